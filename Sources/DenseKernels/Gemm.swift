/// Single-precision matrix products on row-major, densely packed matrices.
///
/// The three forms are the ones a linear layer needs: `ab` for the forward pass (X·W), `atb` for
/// weight gradients (Xᵀ·dY) and `abt` for input gradients (dY·Wᵀ). Each computes
/// `C = alpha·op(A)·op(B)`, or adds that to `C` when `accumulate` is true.
///
/// With `threads > 1` large products are split over blocks of rows of `C`; every element of `C` is
/// computed by exactly one thread with the same sequence of operations, so the result is bitwise
/// the same whatever the thread count.
package enum Gemm {
    /// C[m×n] (+)= alpha · A[m×k] · B[k×n].
    package static func ab(
        _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, accumulate: Bool = false, threads: Int = 1
    ) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "Gemm.ab: buffer too small")
        guard m > 0, n > 0 else { return }
        guard k > 0 else { return GemmDriver.clear(c, count: m * n, accumulate: accumulate) }
        let operands = GemmOperands(
            m: m, n: n, k: k, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
            b: b.baseAddress!, bRowStride: n, bTransposed: false, c: c.baseAddress!, ldc: n)
        GemmDriver.run(operands, alpha: alpha, accumulate: accumulate, threads: threads)
    }

    /// C[m×n] (+)= alpha · Aᵀ · B, where A is stored k×m and B is k×n.
    package static func atb(
        _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, accumulate: Bool = false, threads: Int = 1
    ) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "Gemm.atb: buffer too small")
        guard m > 0, n > 0 else { return }
        guard k > 0 else { return GemmDriver.clear(c, count: m * n, accumulate: accumulate) }
        let operands = GemmOperands(
            m: m, n: n, k: k, a: a.baseAddress!, aRowStride: 1, aColumnStride: m,
            b: b.baseAddress!, bRowStride: n, bTransposed: false, c: c.baseAddress!, ldc: n)
        GemmDriver.run(operands, alpha: alpha, accumulate: accumulate, threads: threads)
    }

    /// C[m×n] (+)= alpha · A · Bᵀ, where A is stored m×k and B is n×k.
    package static func abt(
        _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, accumulate: Bool = false, threads: Int = 1
    ) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "Gemm.abt: buffer too small")
        guard m > 0, n > 0 else { return }
        guard k > 0 else { return GemmDriver.clear(c, count: m * n, accumulate: accumulate) }
        let operands = GemmOperands(
            m: m, n: n, k: k, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
            b: b.baseAddress!, bRowStride: k, bTransposed: true, c: c.baseAddress!, ldc: n)
        GemmDriver.run(operands, alpha: alpha, accumulate: accumulate, threads: threads)
    }
}

extension Gemm {
    /// C[m×n] (+)= alpha · A[m×k] · B[k×n] on arrays.
    package static func ab(
        _ a: [Float], _ b: [Float], _ c: inout [Float],
        m: Int, n: Int, k: Int, alpha: Float = 1, accumulate: Bool = false, threads: Int = 1
    ) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    ab(a, b, c, m: m, n: n, k: k, alpha: alpha, accumulate: accumulate, threads: threads)
                }
            }
        }
    }

    /// C[m×n] (+)= alpha · Aᵀ · B on arrays (A stored k×m, B stored k×n).
    package static func atb(
        _ a: [Float], _ b: [Float], _ c: inout [Float],
        m: Int, n: Int, k: Int, alpha: Float = 1, accumulate: Bool = false, threads: Int = 1
    ) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    atb(a, b, c, m: m, n: n, k: k, alpha: alpha, accumulate: accumulate, threads: threads)
                }
            }
        }
    }

    /// C[m×n] (+)= alpha · A · Bᵀ on arrays (A stored m×k, B stored n×k).
    package static func abt(
        _ a: [Float], _ b: [Float], _ c: inout [Float],
        m: Int, n: Int, k: Int, alpha: Float = 1, accumulate: Bool = false, threads: Int = 1
    ) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    abt(a, b, c, m: m, n: n, k: k, alpha: alpha, accumulate: accumulate, threads: threads)
                }
            }
        }
    }
}
