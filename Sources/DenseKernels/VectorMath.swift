/// Vectorised exp, sigmoid and tanh for activations and gates.
///
/// Scalar `Foundation.exp` costs a library call per element, which would dominate a GRU step at
/// hidden size 64–128. These use the Cephes single-precision polynomials (about 1–2 ulp relative
/// error on the clamped range) and plain SIMD arithmetic, so they vectorise on any x86-64 or arm64.
package enum VectorMath {
    /// e^x for eight lanes; inputs are clamped to [-87.33, 88.37], the range of normal floats.
    @inlinable @inline(__always)
    package static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var v = x.replacing(with: 88.376_26, where: x .> 88.376_26)
        v.replace(with: -87.336_55, where: v .< -87.336_55)
        // Adding 1.5·2^23 rounds to the nearest integer and leaves it in the low mantissa bits.
        let magic: Float = 12_582_912
        let shifted = v * 1.442_695_04 + magic
        let n = shifted - magic
        let r = v - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * (r * r) + r + 1
        let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- (0x4B40_0000 - 127)
        let scale = unsafeBitCast(bits &<< 23, to: SIMD8<Float>.self)
        return p * scale
    }

    /// 1 / (1 + e^-x) for eight lanes.
    @inlinable @inline(__always)
    package static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        1 / (1 + exp(-x))
    }

    /// tanh(x) for eight lanes: an odd polynomial near zero (no cancellation), 1 − 2/(e^2|x| + 1) beyond.
    @inlinable @inline(__always)
    package static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let negative = x .< 0
        let a = x.replacing(with: -x, where: negative)
        let large = 1 - 2 / (exp(a + a) + 1)
        let z = x * x
        var p = SIMD8<Float>(repeating: -5.704_988_727_45e-3)
        p = p * z + 2.063_908_879_54e-2
        p = p * z - 5.373_971_555_31e-2
        p = p * z + 1.333_144_220_36e-1
        p = p * z - 3.333_328_194_22e-1
        let small = x + x * z * p
        var result = large.replacing(with: -large, where: negative)
        result.replace(with: small, where: a .< 0.625)
        return result
    }

    /// e^x for one value, through the vector code (so scalar tails round like vector lanes).
    @inlinable @inline(__always)
    package static func exp(_ x: Float) -> Float { exp(SIMD8(repeating: x))[0] }

    /// Sigmoid of one value, through the vector code.
    @inlinable @inline(__always)
    package static func sigmoid(_ x: Float) -> Float { sigmoid(SIMD8(repeating: x))[0] }

    /// tanh of one value, through the vector code.
    @inlinable @inline(__always)
    package static func tanh(_ x: Float) -> Float { tanh(SIMD8(repeating: x))[0] }
}

extension VectorMath {
    /// Applies an eight-lane function to a buffer in place; the tail goes through the same code.
    @inlinable @inline(__always)
    package static func apply(
        _ x: UnsafeMutableBufferPointer<Float>, _ f: (SIMD8<Float>) -> SIMD8<Float>
    ) {
        guard let p = x.baseAddress else { return }
        let raw = UnsafeMutableRawPointer(p)
        var i = 0
        while i + 8 <= x.count {
            raw.storeBytes(of: f(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)), toByteOffset: i * 4,
                           as: SIMD8<Float>.self)
            i += 8
        }
        if i < x.count {
            var tail = SIMD8<Float>()
            for j in i..<x.count { tail[j - i] = p[j] }
            let y = f(tail)
            for j in i..<x.count { p[j] = y[j - i] }
        }
    }

    /// x = e^x in place.
    package static func exp(_ x: UnsafeMutableBufferPointer<Float>) { apply(x) { exp($0) } }

    /// x = sigmoid(x) in place.
    package static func sigmoid(_ x: UnsafeMutableBufferPointer<Float>) { apply(x) { sigmoid($0) } }

    /// x = tanh(x) in place.
    package static func tanh(_ x: UnsafeMutableBufferPointer<Float>) { apply(x) { tanh($0) } }
}
