import Foundation
import Randomness

/// The median survival time with a confidence interval.
package struct MedianSurvival: Sendable, Equatable, Codable {
    /// The smallest time with `S(t) <= 0.5`; nil if the curve never gets there.
    package var estimate: Double?
    /// The lower confidence limit (nil if undefined, which only happens with no events).
    package var lower: Double?
    /// The upper confidence limit; nil means "not reached" (unbounded above).
    package var upper: Double?
    /// The nominal coverage.
    package var level: Double
}

/// The restricted mean survival time `∫₀^τ S(t) dt` with its standard error.
package struct RestrictedMeanSurvival: Sendable, Equatable, Codable {
    /// The truncation time τ.
    package var tau: Double
    /// The area under the curve up to τ.
    package var estimate: Double
    /// The Greenwood-type standard error `sqrt(Σ Aⱼ² dⱼ / (nⱼ (nⱼ - dⱼ)))`, `Aⱼ = ∫_{tⱼ}^τ S`.
    package var standardError: Double
}

/// How far apart two survival curves are over a common time range.
package struct SurvivalCurveDistance: Sendable, Equatable, Codable {
    /// The start of the range compared.
    package var lower: Double
    /// The end of the range compared.
    package var upper: Double
    /// `sup |S₁(t) - S₂(t)|` over the range.
    package var maxAbsoluteDifference: Double
    /// `∫ |S₁(t) - S₂(t)| dt` over the range (in time units).
    package var integratedAbsoluteDifference: Double
    /// The integrated difference divided by the range length (a mean absolute difference).
    package var meanAbsoluteDifference: Double {
        upper > lower ? integratedAbsoluteDifference / (upper - lower) : 0
    }
}

extension KaplanMeierCurve {
    /// The smallest time at which a step function `values` falls to `<= level`.
    private func firstTime(_ values: [Double], atOrBelow level: Double) -> Double? {
        values.firstIndex { $0 <= level }.map { times[$0] }
    }

    /// The median survival time and its confidence interval by inverting the pointwise
    /// log(-log) band (Brookmeyer–Crowley-style, as R's `survfit` and lifelines report it):
    /// the lower limit is where the lower band reaches 0.5, the upper where the upper band does.
    package func medianSurvival(level: Double = 0.95) throws -> MedianSurvival {
        try Check.level(level)
        let z = NormalDistribution.quantile(1 - (1 - level) / 2)
        let bands = zip(survival, greenwoodSums).map { Self.logLogLimits($0, $1, z) }
        return MedianSurvival(estimate: firstTime(survival, atOrBelow: 0.5),
                              lower: firstTime(bands.map { $0.lower }, atOrBelow: 0.5),
                              upper: firstTime(bands.map { $0.upper }, atOrBelow: 0.5),
                              level: level)
    }

    /// The median survival time: the smallest time with `S(t) <= 0.5`, nil if not reached.
    package var median: Double? { firstTime(survival, atOrBelow: 0.5) }

    /// The restricted mean survival time up to `tau` and its standard error. Beyond the last
    /// observed time the curve is carried forward flat.
    package func restrictedMean(upTo tau: Double) throws -> RestrictedMeanSurvival {
        if !(tau > 0) || !tau.isFinite {
            throw StatisticsError.invalidArgument("restricted mean needs a positive finite tau, got \(tau)")
        }
        // Areas of the steps from each time to tau, accumulated backwards.
        var area = 0.0, variance = 0.0
        var previous = tau
        for k in stride(from: times.count - 1, through: 0, by: -1) where times[k] < tau {
            area += survival[k] * (previous - times[k])
            previous = times[k]
            let n = atRisk[k], d = events[k]
            if d > 0 && n > d { variance += area * area * d / (n * (n - d)) }
        }
        area += previous  // S = 1 on [0, first time).
        return RestrictedMeanSurvival(tau: tau, estimate: area, standardError: variance.squareRoot())
    }

    /// The largest and the integrated absolute difference between this curve and `other` over
    /// `range`, by default from 0 to the earlier of the two last observed times.
    package func distance(to other: KaplanMeierCurve, over range: ClosedRange<Double>? = nil) throws
        -> SurvivalCurveDistance {
        guard let lastA = times.last, let lastB = other.times.last else {
            throw StatisticsError.tooFewObservations(needed: 1, got: 0, context: "survival curve distance")
        }
        let lo = range?.lowerBound ?? 0
        let hi = range?.upperBound ?? Swift.min(lastA, lastB)
        if !lo.isFinite || !hi.isFinite {
            throw StatisticsError.invalidArgument("survival curve distance needs a finite range")
        }
        let breaks = Array(Set(([lo, hi] + times + other.times).filter { $0 >= lo && $0 <= hi })).sorted()
        var maxDiff = 0.0, integral = 0.0
        for (k, t) in breaks.enumerated() {
            let diff = Swift.abs(survival(at: t) - other.survival(at: t))
            maxDiff = Swift.max(maxDiff, diff)
            if k + 1 < breaks.count { integral += diff * (breaks[k + 1] - t) }
        }
        return SurvivalCurveDistance(lower: lo, upper: hi, maxAbsoluteDifference: maxDiff,
                                     integratedAbsoluteDifference: integral)
    }
}
