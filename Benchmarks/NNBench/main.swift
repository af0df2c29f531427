import ZebraSupport

/// nn-bench: throughput of the dense kernels and of GRU-VAE training steps (run with -c release).
///
/// Arguments: `gemm`, `training` or nothing for both.
let arguments = Set(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("gemm") { GemmBench.run() }
if arguments.isEmpty || arguments.contains("training") { TrainingBench.run() }
if let peak = peakResidentMegabytes() { print("\npeak RSS (VmHWM): \(String(format1: peak)) MiB") }
