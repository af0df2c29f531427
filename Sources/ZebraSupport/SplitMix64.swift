/// The SplitMix64 generator (Steele, Lea and Flood 2014), which seeds random streams and hashes ids: its output must
/// never change.
@usableFromInline
package struct SplitMix64: Sendable {
    /// The golden-ratio increment added to the state before each output.
    @usableFromInline package static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The generator's state; the next output is `mix(state + increment)`.
    @usableFromInline package var state: UInt64

    /// A generator starting from `state`.
    @inlinable
    package init(state: UInt64) { self.state = state }

    /// Advances the state and returns the next 64 bits.
    @inlinable
    package mutating func next() -> UInt64 {
        state &+= SplitMix64.increment
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective 64-bit hash.
    @inlinable
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
