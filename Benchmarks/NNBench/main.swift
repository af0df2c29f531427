/// nn-bench: throughput of the dense kernels and of GRU-VAE training steps (run with -c release).
GemmBench.run()
TrainingBench.run()
if let peak = Timing.peakResidentMiB() { print("\npeak RSS (VmHWM): \(String(format1: peak)) MiB") }
