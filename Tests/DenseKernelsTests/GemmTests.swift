import Randomness
import Testing

@testable import DenseKernels

/// Compares the blocked products with a naive triple loop in Double.
@Suite struct GemmTests {
    enum Form: CaseIterable { case ab, atb, abt }

    /// A[m×k] (or its transpose) times B[k×n] (or its transpose) by the definition, in Double.
    static func reference(
        form: Form, a: [Float], b: [Float], c: [Float], m: Int, n: Int, k: Int, alpha: Float, accumulate: Bool
    ) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let aValue = form == .atb ? a[p * m + i] : a[i * k + p]
                    let bValue = form == .abt ? b[j * k + p] : b[p * n + j]
                    sum += Double(aValue) * Double(bValue)
                }
                out[i * n + j] = Double(alpha) * sum + (accumulate ? Double(c[i * n + j]) : 0)
            }
        }
        return out
    }

    static func randomMatrix(_ count: Int, _ random: inout RandomStream) -> [Float] {
        (0..<count).map { _ in Float(random.nextUnit() * 2 - 1) }
    }

    static func product(
        form: Form, a: [Float], b: [Float], c: inout [Float], m: Int, n: Int, k: Int,
        alpha: Float, accumulate: Bool, threads: Int = 1
    ) {
        switch form {
        case .ab: Gemm.ab(a, b, &c, m: m, n: n, k: k, alpha: alpha, accumulate: accumulate, threads: threads)
        case .atb: Gemm.atb(a, b, &c, m: m, n: n, k: k, alpha: alpha, accumulate: accumulate, threads: threads)
        case .abt: Gemm.abt(a, b, &c, m: m, n: n, k: k, alpha: alpha, accumulate: accumulate, threads: threads)
        }
    }

    static let sizes: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 3, 17), (3, 1, 33), (17, 33, 3), (33, 17, 1), (4, 8, 8), (5, 9, 7),
        (32, 24, 16), (33, 40, 65), (7, 130, 300), (64, 17, 257),
    ]

    @Test(arguments: Form.allCases)
    func matchesNaiveReference(form: Form) {
        var random = RandomStream(seed: 11, stream: 1)
        for (m, n, k) in Self.sizes {
            for accumulate in [false, true] {
                let alpha: Float = accumulate ? -0.75 : 1.5
                let a = Self.randomMatrix(m * k, &random), b = Self.randomMatrix(k * n, &random)
                var c = Self.randomMatrix(m * n, &random)
                let expected = Self.reference(
                    form: form, a: a, b: b, c: c, m: m, n: n, k: k, alpha: alpha, accumulate: accumulate)
                Self.product(form: form, a: a, b: b, c: &c, m: m, n: n, k: k, alpha: alpha, accumulate: accumulate)
                // Float sums of k products of magnitude ≤ 1: error grows like k·2⁻²⁴ at worst.
                let tolerance = 1e-6 * Double(k + 1) * 4
                #expect(c.count == m * n && expected.count == m * n, "form \(form) \(m)×\(n)×\(k)")
                let worst = zip(c, expected).map { abs(Double($0) - $1) }.max() ?? 0
                #expect(worst <= tolerance, "form \(form) \(m)×\(n)×\(k) accumulate \(accumulate): \(worst)")
            }
        }
    }

    @Test func randomSizesMatchReference() {
        var random = RandomStream(seed: 12, stream: 2)
        for _ in 0..<24 {
            let m = 1 + random.nextInt(below: 40), n = 1 + random.nextInt(below: 40), k = 1 + random.nextInt(below: 70)
            let form = Form.allCases[random.nextInt(below: 3)]
            let a = Self.randomMatrix(m * k, &random), b = Self.randomMatrix(k * n, &random)
            var c = Self.randomMatrix(m * n, &random)
            let expected = Self.reference(form: form, a: a, b: b, c: c, m: m, n: n, k: k, alpha: 1, accumulate: true)
            Self.product(form: form, a: a, b: b, c: &c, m: m, n: n, k: k, alpha: 1, accumulate: true)
            #expect(c.count == m * n && expected.count == m * n, "form \(form) \(m)×\(n)×\(k)")
            let worst = zip(c, expected).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst <= 4e-6 * Double(k + 1), "form \(form) \(m)×\(n)×\(k): \(worst)")
        }
    }

    @Test func emptyDepthClearsOrKeeps() {
        var c: [Float] = [1, 2, 3, 4]
        Gemm.ab([], [], &c, m: 2, n: 2, k: 0, accumulate: true)
        #expect(c == [1, 2, 3, 4])
        Gemm.ab([], [], &c, m: 2, n: 2, k: 0)
        #expect(c == [0, 0, 0, 0])
    }

    /// Big enough to cross the parallel threshold; every thread count must give the same bits.
    @Test(arguments: Form.allCases)
    func resultIsIdenticalForAnyThreadCount(form: Form) {
        var random = RandomStream(seed: 13, stream: UInt64(form.hashValue & 0xff))
        let (m, n, k) = (45, 97, 970)
        #expect(2 * m * n * k >= GemmDriver.parallelFlops)
        let a = Self.randomMatrix(m * k, &random), b = Self.randomMatrix(k * n, &random)
        let start = Self.randomMatrix(m * n, &random)
        var single = start
        Self.product(form: form, a: a, b: b, c: &single, m: m, n: n, k: k, alpha: 0.5, accumulate: true)
        for threads in [2, 3, 5] {
            var parallel = start
            Self.product(
                form: form, a: a, b: b, c: &parallel, m: m, n: n, k: k, alpha: 0.5, accumulate: true, threads: threads)
            #expect(parallel == single, "threads \(threads)")
        }
    }
}
