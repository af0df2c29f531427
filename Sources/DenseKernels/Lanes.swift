/// Loads and stores of eight-float lanes for fused elementwise loops in other modules.
package enum Lanes {
    /// Eight floats from `p` (unaligned).
    @inlinable @inline(__always)
    package static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Eight floats from `p` (unaligned).
    @inlinable @inline(__always)
    package static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Stores eight floats at `p` (unaligned).
    @inlinable @inline(__always)
    package static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// The first `count` (≤ 8) floats at `p`, zeros in the other lanes: for row tails.
    @inlinable @inline(__always)
    package static func load(_ p: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
        if count == 8 { return load(p) }
        var v = SIMD8<Float>()
        for i in 0..<count { v[i] = p[i] }
        return v
    }

    /// The first `count` (≤ 8) floats at `p`, zeros in the other lanes.
    @inlinable @inline(__always)
    package static func load(_ p: UnsafeMutablePointer<Float>, count: Int) -> SIMD8<Float> {
        load(UnsafePointer(p), count: count)
    }

    /// Stores the first `count` (≤ 8) lanes of `v` at `p`.
    @inlinable @inline(__always)
    package static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
        if count == 8 { return store(v, p) }
        for i in 0..<count { p[i] = v[i] }
    }
}
