import Foundation

/// Samplers written here rather than taken from the standard library, so that a seed gives the
/// same numbers under every Swift version. Each normal draw consumes exactly one uniform
/// (inversion), which keeps streams aligned and makes truncated sampling exact.
extension RandomStream {
    /// A standard normal draw by inversion of the normal CDF.
    @inlinable
    package mutating func nextNormal() -> Double {
        NormalDistribution.quantile(nextOpenUnit())
    }

    /// A normal draw with the given mean and standard deviation.
    @inlinable
    package mutating func nextNormal(mean: Double, sd: Double) -> Double {
        mean + sd * nextNormal()
    }

    /// A standard normal draw restricted to `[lower, upper]`, by inversion (exact, no rejection).
    package mutating func nextTruncatedNormal(lower: Double, upper: Double) -> Double {
        let a = NormalDistribution.cdf(lower)
        let b = NormalDistribution.cdf(upper)
        // u stays strictly inside (0, 1) even where a + (b − a)·u rounds to an end.
        func inside(_ u: Double) -> Double { Swift.min(Swift.max(u, Double.leastNormalMagnitude), 1 - 0x1p-53) }
        if b - a > 1e-12 {
            let u = inside(a + (b - a) * nextOpenUnit())
            return Swift.min(Swift.max(NormalDistribution.quantile(u), lower), upper)
        }
        // Far in one tail: the CDF has no resolution left, so use the upper tail by symmetry.
        if lower > 0 {
            let a2 = NormalDistribution.cdf(-upper), b2 = NormalDistribution.cdf(-lower)
            let u = inside(a2 + (b2 - a2) * nextOpenUnit())
            return Swift.min(Swift.max(-NormalDistribution.quantile(u), lower), upper)
        }
        return Swift.min(Swift.max(0, lower), upper)
    }

    /// An exponential draw with rate 1.
    @inlinable
    package mutating func nextExponential() -> Double {
        -Foundation.log(nextOpenUnit())
    }

    /// A Bernoulli draw.
    @inlinable
    package mutating func nextBool(probability p: Double) -> Bool {
        nextUnit() < p
    }

    /// A gamma draw with the given shape and unit scale (Marsaglia and Tsang 2000).
    package mutating func nextGamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma shape must be positive")
        if shape < 1 {
            let u = nextOpenUnit()
            return nextGamma(shape: shape + 1) * Foundation.pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = nextNormal()
            let v0 = 1 + c * x
            if v0 <= 0 { continue }
            let v = v0 * v0 * v0
            let u = nextOpenUnit()
            if Foundation.log(u) < 0.5 * x * x + d - d * v + d * Foundation.log(v) {
                return d * v
            }
        }
    }

    /// A beta draw.
    package mutating func nextBeta(_ a: Double, _ b: Double) -> Double {
        let x = nextGamma(shape: a)
        let y = nextGamma(shape: b)
        return x / (x + y)
    }

    /// An index drawn with the given (non-negative, not necessarily normalised) weights.
    package mutating func nextIndex(weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        var u = nextUnit() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }

    /// The indices `0..<count` in a random order (Fisher–Yates).
    package mutating func shuffledIndices(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        if count < 2 { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            order.swapAt(i, j)
        }
        return order
    }
}
