import ZebraSupport

/// A seedable xoshiro256** generator: one independent stream per patient (or per task).
///
/// The state is derived from a `(seed, stream)` pair through SplitMix64, so stream `k` of seed `s`
/// is the same on every machine, every Swift version and whatever the thread that draws from it.
package struct RandomStream: Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates stream `stream` of `seed`.
    @inlinable
    package init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = SplitMix64(state: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        // One extra round decorrelates neighbouring stream numbers before the state is filled.
        mixer.state = mixer.next() ^ (stream &+ 0x9E37_79B9_7F4A_7C15)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// A child stream, for work that must not disturb this stream's sequence (ids, sub-tasks).
    @inlinable
    package func substream(_ index: UInt64) -> RandomStream {
        RandomStream(seed: s0 ^ s2.rotatedLeft(by: 17), stream: index ^ s1)
    }

    /// The next 64 random bits.
    @inlinable
    package mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable
    package mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in the open interval (0, 1): safe to take logarithms of.
    @inlinable
    package mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's method).
    @inlinable
    package mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold {
                product = next().multipliedFullWidth(by: b)
            }
        }
        return Int(product.high)
    }
}

extension UInt64 {
    @inlinable
    func rotatedLeft(by k: UInt64) -> UInt64 {
        (self << k) | (self >> (64 &- k))
    }
}
