import Foundation
import ZebraSupport

/// Descriptive statistics of samples: location, spread, quantiles and histograms.
///
/// Every routine validates its input and throws `StatisticsError` rather than returning NaN,
/// so a bad cohort produces a message instead of a silently poisoned report.
package enum Descriptive {
    /// The arithmetic mean.
    package static func mean(_ x: [Double]) throws -> Double {
        try Check.count(x, atLeast: 1, "mean")
        return try Kernel.checkedSum(x, "mean input") / Double(x.count)
    }

    /// The sample variance with the `n - 1` divisor (two-pass, for accuracy).
    package static func variance(_ x: [Double]) throws -> Double {
        try Check.count(x, atLeast: 2, "variance")
        let m = try Kernel.checkedSum(x, "variance input") / Double(x.count)
        return Kernel.sumOfSquares(x, about: m) / Double(x.count - 1)
    }

    /// The sample standard deviation, the square root of `variance`.
    package static func standardDeviation(_ x: [Double]) throws -> Double {
        try variance(x).squareRoot()
    }

    /// The weighted mean `Σ w x / Σ w`; weights must be non-negative and not all zero.
    package static func weightedMean(_ x: [Double], weights: [Double]) throws -> Double {
        try Check.count(x, atLeast: 1, "weighted mean")
        try Check.weights(weights, count: x.count, "weighted mean")
        try Check.finite(x, "weighted mean input")
        let (s, w) = Kernel.weightedSum(x, weights)
        return s / w
    }

    /// What the weights of a weighted variance stand for, which fixes its divisor.
    package enum WeightKind: Sendable {
        /// Reliability (importance, e.g. inverse-probability) weights: divisor `V1 - V2 / V1`
        /// with `V1 = Σ w`, `V2 = Σ w²`. Unbiased, and equal to the `n - 1` variance for equal
        /// weights; this is the convention of balance tables (e.g. R's cobalt).
        case reliability
        /// Frequency weights (integer replication counts): divisor `Σ w - 1`.
        case frequency
        /// No bias correction: divisor `Σ w`.
        case population
    }

    /// The weighted variance about the weighted mean, with the divisor chosen by `kind`.
    package static func weightedVariance(_ x: [Double], weights: [Double],
                                        kind: WeightKind = .reliability) throws -> Double {
        let m = try weightedMean(x, weights: weights)
        var ss = 0.0, v1 = 0.0, v2 = 0.0
        for i in x.indices {
            let d = x[i] - m
            ss += weights[i] * d * d
            v1 += weights[i]
            v2 += weights[i] * weights[i]
        }
        let divisor: Double
        switch kind {
        case .reliability: divisor = v1 - v2 / v1
        case .frequency: divisor = v1 - 1
        case .population: divisor = v1
        }
        if !(divisor > 0) {
            throw StatisticsError.undefined("weighted variance needs more than one "
                + "effective observation (divisor \(divisor))")
        }
        return ss / divisor
    }

    /// The effective sample size `(Σ w)² / Σ w²` (Kish) of a set of weights.
    package static func effectiveSampleSize(weights: [Double]) throws -> Double {
        try Check.count(weights, atLeast: 1, "effective sample size")
        try Check.weights(weights, count: weights.count, "effective sample size")
        var s = 0.0, s2 = 0.0
        for w in weights { s += w; s2 += w * w }
        return s * s / s2
    }

    /// The sample quantile of type 7 (the default of R and NumPy): linear interpolation between
    /// order statistics at `h = (n - 1) p`. `x` need not be sorted.
    package static func quantile(_ x: [Double], _ p: Double) throws -> Double {
        try Check.finite(x, "quantile input")
        return try quantile(sorted: x.sorted(), p)
    }

    /// Several type-7 quantiles of unsorted data, sorting once.
    package static func quantiles(_ x: [Double], _ ps: [Double]) throws -> [Double] {
        try Check.finite(x, "quantile input")
        let sorted = x.sorted()
        return try ps.map { try quantile(sorted: sorted, $0) }
    }

    /// The type-7 quantile of data already sorted ascending (not re-checked, for speed).
    package static func quantile(sorted x: [Double], _ p: Double) throws -> Double {
        try Check.count(x, atLeast: 1, "quantile")
        if !(p >= 0 && p <= 1) {
            throw StatisticsError.invalidArgument("quantile probability must lie in [0, 1], got \(p)")
        }
        return ZebraSupport.quantile(sorted: x, p)!
    }

    /// The median (type-7 quantile at 0.5, i.e. the usual midpoint rule for even counts).
    package static func median(_ x: [Double]) throws -> Double {
        try quantile(x, 0.5)
    }

    /// The interquartile range `Q(0.75) - Q(0.25)` with type-7 quantiles.
    package static func interquartileRange(_ x: [Double]) throws -> Double {
        let q = try quantiles(x, [0.25, 0.75])
        return q[1] - q[0]
    }

    /// A one-line numeric summary of a sample.
    package static func summary(_ x: [Double]) throws -> DescriptiveSummary {
        try Check.count(x, atLeast: 1, "summary")
        try Check.finite(x, "summary input")
        let sorted = x.sorted()
        return DescriptiveSummary(
            count: x.count,
            mean: Kernel.sum(x) / Double(x.count),
            standardDeviation: x.count >= 2 ? try standardDeviation(x) : nil,
            minimum: sorted[0],
            firstQuartile: try quantile(sorted: sorted, 0.25),
            median: try quantile(sorted: sorted, 0.5),
            thirdQuartile: try quantile(sorted: sorted, 0.75),
            maximum: sorted[sorted.count - 1])
    }
}

/// Count, mean, SD and five-number summary of a sample (type-7 quartiles).
package struct DescriptiveSummary: Sendable, Equatable, Codable {
    /// The number of observations.
    package var count: Int
    /// The arithmetic mean.
    package var mean: Double
    /// `nil` for a single observation.
    package var standardDeviation: Double?
    /// The smallest value.
    package var minimum: Double
    /// The type-7 25th percentile.
    package var firstQuartile: Double
    /// The median.
    package var median: Double
    /// The type-7 75th percentile.
    package var thirdQuartile: Double
    /// The largest value.
    package var maximum: Double
}
