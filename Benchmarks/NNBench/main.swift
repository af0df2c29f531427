/// nn-bench: throughput of the dense kernels and of GRU-VAE training steps (run with -c release).
GemmBench.run()
if let peak = Timing.peakResidentMiB() { print("peak RSS: \(String(format1: peak)) MiB") }
