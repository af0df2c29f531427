import Foundation
import Randomness

/// A Kaplan–Meier estimate of a survival function: a right-continuous step function that
/// starts at 1 and drops at each event time.
package struct KaplanMeierCurve: Sendable, Equatable, Codable {
    /// The distinct observed times (events or censorings), ascending.
    package let times: [Double]
    /// `S(t)` at each time, i.e. just after the drop at that time.
    package let survival: [Double]
    /// The (weighted) number at risk just before each time.
    package let atRisk: [Double]
    /// The (weighted) number of events at each time.
    package let events: [Double]
    /// The (weighted) number censored at each time (they count as at risk at that time).
    package let censored: [Double]
    /// The cumulative Greenwood sum `Σ dⱼ / (nⱼ (nⱼ - dⱼ))` at each time (infinite once `S` is 0,
    /// so encoding a curve that reaches 0 as JSON needs a non-conforming-float strategy).
    package let greenwoodSums: [Double]

    /// Greenwood's standard error of `S(t)` at each time, `S · sqrt(Σ d / (n (n - d)))` (0 once `S` is 0).
    package var standardErrors: [Double] {
        zip(survival, greenwoodSums).map { s, g in s > 0 ? s * g.squareRoot() : 0 }
    }

    /// The index of the last time `<= t`, or nil before the first time.
    func index(atOrBefore t: Double) -> Int? {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    /// `S(t)`: 1 before the first event, right-continuous, constant after the last time.
    package func survival(at t: Double) -> Double {
        index(atOrBefore: t).map { survival[$0] } ?? 1
    }

    /// Greenwood's standard error of `S(t)`.
    package func standardError(at t: Double) -> Double {
        guard let i = index(atOrBefore: t) else { return 0 }
        return survival[i] > 0 ? survival[i] * greenwoodSums[i].squareRoot() : 0
    }

    /// Pointwise confidence limits for `S(t)` on the log(-log) scale (the "exponential
    /// Greenwood" interval of R's `conf.type = "log-log"` and lifelines), which stay in [0, 1].
    package func confidenceInterval(at t: Double, level: Double = 0.95) throws -> ConfidenceInterval {
        try Check.level(level)
        let z = NormalDistribution.quantile(1 - (1 - level) / 2)
        guard let i = index(atOrBefore: t) else { return ConfidenceInterval(lower: 1, upper: 1, level: level) }
        let (lo, hi) = Self.logLogLimits(survival[i], greenwoodSums[i], z)
        return ConfidenceInterval(lower: lo, upper: hi, level: level)
    }

    /// `S^exp(±z sqrt(G) / log S)`: the log(-log) limits, degenerate at S = 1 and S = 0.
    static func logLogLimits(_ s: Double, _ g: Double, _ z: Double) -> (lower: Double, upper: Double) {
        if s >= 1 { return (1, 1) }
        if s <= 0 || !g.isFinite { return (0, 0) }
        let c = z * g.squareRoot() / Foundation.log(s)
        return (Foundation.pow(s, Foundation.exp(-c)), Foundation.pow(s, Foundation.exp(c)))
    }
}

/// Kaplan–Meier estimation.
package enum KaplanMeier {
    /// Estimates the survival function from right-censored data. `events[i]` is true for an
    /// observed event, false for censoring at `times[i]`. Optional non-negative weights make
    /// every count a weighted sum (as for inverse-probability-weighted curves).
    package static func estimate(times: [Double], events: [Bool], weights: [Double]? = nil) throws -> KaplanMeierCurve {
        try Survival.validate(times: times, events: events, weights: weights, context: "Kaplan–Meier")
        let order = times.indices.sorted { times[$0] < times[$1] }
        var total = 0.0
        for i in times.indices { total += weights?[i] ?? 1 }

        var outTimes: [Double] = [], outS: [Double] = [], outN: [Double] = []
        var outD: [Double] = [], outC: [Double] = [], outG: [Double] = []
        var atRisk = total, s = 1.0, g = 0.0
        var k = 0
        while k < order.count {
            let t = times[order[k]]
            var d = 0.0, c = 0.0
            while k < order.count && times[order[k]] == t {
                let w = weights?[order[k]] ?? 1
                if events[order[k]] { d += w } else { c += w }
                k += 1
            }
            if d > 0 && atRisk > 0 {
                // Clamp against rounding when weighted counts nearly exhaust the risk set.
                let remaining = Swift.max(atRisk - d, 0)
                s *= remaining / atRisk
                g = remaining > 1e-12 * atRisk ? g + d / (atRisk * remaining) : .infinity
                if remaining <= 1e-12 * atRisk { s = 0 }
            }
            outTimes.append(t); outS.append(s); outN.append(atRisk)
            outD.append(d); outC.append(c); outG.append(g)
            atRisk -= d + c
        }
        return KaplanMeierCurve(times: outTimes, survival: outS, atRisk: outN, events: outD,
                                censored: outC, greenwoodSums: outG)
    }
}

/// Input checks shared by the survival routines.
enum Survival {
    static func validate(times: [Double], events: [Bool], weights: [Double]?, context: String) throws {
        try Check.count(times, atLeast: 1, context)
        try Check.sameCount(times.count, events.count, "\(context): times vs event indicators")
        for t in times where !(t >= 0) || !t.isFinite {
            throw StatisticsError.invalidArgument("\(context): survival times must be "
                + "finite and non-negative, found \(t)")
        }
        if let weights { try Check.weights(weights, count: times.count, context) }
    }
}
