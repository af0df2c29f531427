/// Elementwise and reduction kernels on flat Float buffers, eight lanes at a time.
///
/// Reductions sum in a fixed order (SIMD partial sums over fixed blocks, folded into a Double), so a
/// result depends only on the data, never on alignment or thread count.
package enum VectorOps {
    /// y += alpha · x.
    package static func axpy(_ alpha: Float, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count == y.count, "axpy: length mismatch")
        let xp = x.baseAddress, yp = y.baseAddress
        guard let xp, let yp else { return }
        let a = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i + 8 <= x.count {
            store8(load8(yp + i) + a * load8(xp + i), yp + i)
            i += 8
        }
        while i < x.count {
            yp[i] += alpha * xp[i]
            i += 1
        }
    }

    /// x *= alpha.
    package static func scale(_ x: UnsafeMutableBufferPointer<Float>, by alpha: Float) {
        guard let xp = x.baseAddress else { return }
        let a = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i + 8 <= x.count {
            store8(a * load8(xp + i), xp + i)
            i += 8
        }
        while i < x.count {
            xp[i] *= alpha
            i += 1
        }
    }

    /// out = x ⊙ y (elementwise product); `out` may alias `x` or `y`.
    package static func multiply(
        _ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(x.count == y.count && x.count == out.count, "multiply: length mismatch")
        guard let xp = x.baseAddress, let yp = y.baseAddress, let op = out.baseAddress else { return }
        var i = 0
        while i + 8 <= x.count {
            store8(load8(xp + i) * load8(yp + i), op + i)
            i += 8
        }
        while i < x.count {
            op[i] = xp[i] * yp[i]
            i += 1
        }
    }

    /// Σ x·y, accumulated in Double for accuracy over long vectors.
    package static func dot(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>) -> Double {
        precondition(x.count == y.count, "dot: length mismatch")
        guard let xp = x.baseAddress, let yp = y.baseAddress else { return 0 }
        var total = 0.0
        var i = 0
        // Float SIMD partial sums over short blocks, folded into Double: fast and still accurate.
        while i + 256 <= x.count {
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
            var j = i
            while j < i + 256 {
                s0 = s0 + load8(xp + j) * load8(yp + j)
                s1 = s1 + load8(xp + j + 8) * load8(yp + j + 8)
                j += 16
            }
            total += Double((s0 + s1).sum())
            i += 256
        }
        while i < x.count {
            total += Double(xp[i]) * Double(yp[i])
            i += 1
        }
        return total
    }

    /// Σ x², accumulated as in `dot`.
    package static func sumOfSquares(_ x: UnsafeBufferPointer<Float>) -> Double {
        dot(x, x)
    }

    /// x += y.
    package static func add(_ y: UnsafeBufferPointer<Float>, to x: UnsafeMutableBufferPointer<Float>) {
        axpy(1, y, x)
    }
}

extension VectorOps {
    /// y += alpha · x on arrays.
    package static func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
        x.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { y in axpy(alpha, x, y) } }
    }

    /// x *= alpha on an array.
    package static func scale(_ x: inout [Float], by alpha: Float) {
        x.withUnsafeMutableBufferPointer { scale($0, by: alpha) }
    }

    /// x ⊙ y on arrays.
    package static func multiply(_ x: [Float], _ y: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in out.withUnsafeMutableBufferPointer { multiply(x, y, into: $0) } }
        }
        return out
    }

    /// Σ x·y on arrays.
    package static func dot(_ x: [Float], _ y: [Float]) -> Double {
        x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in dot(x, y) } }
    }

    /// Σ x² on an array.
    package static func sumOfSquares(_ x: [Float]) -> Double {
        x.withUnsafeBufferPointer { sumOfSquares($0) }
    }
}
