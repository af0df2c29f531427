/// The register tile at the heart of every product.
extension GemmDriver {
    /// C[4×8] (+)= alpha · A[4×depth] · B[depth×8], accumulating in four SIMD8 registers.
    ///
    /// `a` is a packed tile (per p, four rows × four equal lanes). 4×8 measured fastest on the
    /// baseline x86-64 target (SSE: each SIMD8 is two registers, so eight accumulators, the B row
    /// and a broadcast fit the sixteen XMM registers; 4×16 spills). Each lane accumulates its
    /// products in order of p, then `alpha` scales the sum once.
    @inline(__always)
    static func microKernel(
        depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bStride: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, add: Bool
    ) {
        var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
        var ap = UnsafeRawPointer(a)
        var bp = b
        for _ in 0..<depth {
            let row = load8(bp)
            let a0 = ap.load(as: SIMD4<Float>.self), a1 = ap.load(fromByteOffset: 16, as: SIMD4<Float>.self)
            let a2 = ap.load(fromByteOffset: 32, as: SIMD4<Float>.self),
                a3 = ap.load(fromByteOffset: 48, as: SIMD4<Float>.self)
            c0 = c0 + SIMD8(lowHalf: a0, highHalf: a0) * row
            c1 = c1 + SIMD8(lowHalf: a1, highHalf: a1) * row
            c2 = c2 + SIMD8(lowHalf: a2, highHalf: a2) * row
            c3 = c3 + SIMD8(lowHalf: a3, highHalf: a3) * row
            ap += 64
            bp += bStride
        }
        let scale = SIMD8<Float>(repeating: alpha)
        if add {
            store8(load8(c) + scale * c0, c)
            store8(load8(c + ldc) + scale * c1, c + ldc)
            store8(load8(c + 2 * ldc) + scale * c2, c + 2 * ldc)
            store8(load8(c + 3 * ldc) + scale * c3, c + 3 * ldc)
        } else {
            store8(scale * c0, c)
            store8(scale * c1, c + ldc)
            store8(scale * c2, c + 2 * ldc)
            store8(scale * c3, c + 3 * ldc)
        }
    }
}

/// Unaligned load of eight floats.
@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Unaligned load of eight floats.
@inline(__always)
func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Unaligned store of eight floats.
@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
