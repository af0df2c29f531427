import DenseKernels
import Dispatch
import Randomness

/// GFLOP/s of the three product forms at the sizes a GRU-VAE uses.
enum GemmBench {
    static let shapes: [(m: Int, n: Int, k: Int, what: String)] = [
        (32, 384, 128, "h · W_hh, batch 32, hidden 128 (one step)"),
        (32, 192, 64, "h · W_hh, batch 32, hidden 64 (one step)"),
        (64, 384, 128, "h · W_hh, batch 64, hidden 128 (one step)"),
        (640, 384, 32, "X · W_ih, 20 steps × batch 32, input 32 (fused)"),
        (128, 384, 640, "Hᵀ · dG for dW_hh over 20 steps × 32, hidden 128"),
        (256, 256, 256, "square 256"),
    ]

    static func run() {
        print("GEMM GFLOP/s (C = A·B / Aᵀ·B / A·Bᵀ), 1 and 2 threads")
        print(pad("m×n×k", 16) + pad("AB 1t", 9) + pad("AB 2t", 9) + pad("AᵀB 1t", 9) + pad("AᵀB 2t", 9)
            + pad("ABᵀ 1t", 9) + pad("ABᵀ 2t", 9) + "  shape")
        var random = RandomStream(seed: 1, stream: 99)
        for shape in shapes {
            let (m, n, k) = (shape.m, shape.n, shape.k)
            let a = (0..<(m * k)).map { _ in Float(random.nextUnit() - 0.5) }
            let b = (0..<(k * n)).map { _ in Float(random.nextUnit() - 0.5) }
            var c = [Float](repeating: 0, count: m * n)
            var line = pad("\(m)×\(n)×\(k)", 16)
            for form in 0..<3 {
                for threads in [1, 2] {
                    let seconds = Timing.secondsPerCall {
                        switch form {
                        case 0: Gemm.ab(a, b, &c, m: m, n: n, k: k, threads: threads)
                        case 1: Gemm.atb(a, b, &c, m: m, n: n, k: k, threads: threads)
                        default: Gemm.abt(a, b, &c, m: m, n: n, k: k, threads: threads)
                        }
                    }
                    line += pad(String(format1: Double(2 * m * n * k) / seconds / 1e9), 9)
                }
            }
            print(line + "  " + shape.what)
        }
    }
}
