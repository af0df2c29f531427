import Foundation

/// The result of a two-group log-rank test.
package struct LogRankResult: Sendable, Equatable, Codable {
    /// The chi-square statistic `(O₁ - E₁)² / V` on one degree of freedom.
    package var chiSquare: Double
    /// Its upper-tail p-value.
    package var pValue: Double
    /// Observed (weighted) events in group 0 and group 1.
    package var observed: [Double]
    /// Expected (weighted) events in group 0 and group 1 under equal hazards.
    package var expected: [Double]
    /// The hypergeometric variance of `O - E` (the same for both groups).
    package var variance: Double
}

/// The log-rank (Mantel–Cox) test comparing two survival distributions.
package enum LogRankTest {
    /// Compares the survival of two groups given as separate samples.
    package static func compare(timesA: [Double], eventsA: [Bool], timesB: [Double], eventsB: [Bool],
                               weightsA: [Double]? = nil, weightsB: [Double]? = nil) throws -> LogRankResult {
        if (weightsA == nil) != (weightsB == nil) {
            throw StatisticsError.invalidArgument("log-rank test: give weights for both groups or for neither")
        }
        let group = [Bool](repeating: false, count: timesA.count) + [Bool](repeating: true, count: timesB.count)
        let weights = weightsA.flatMap { a in weightsB.map { a + $0 } }
        return try compare(times: timesA + timesB, events: eventsA + eventsB, inGroupB: group, weights: weights)
    }

    /// Compares group A (`inGroupB[i] == false`, reported first) with group B. With weights,
    /// every count is a weighted sum (the weighted log-rank of lifelines).
    package static func compare(times: [Double], events: [Bool], inGroupB: [Bool],
                               weights: [Double]? = nil) throws -> LogRankResult {
        try Survival.validate(times: times, events: events, weights: weights, context: "log-rank test")
        try Check.sameCount(inGroupB.count, times.count, "log-rank test: group labels vs times")
        let order = times.indices.sorted { times[$0] < times[$1] }
        var atRisk = [0.0, 0.0]
        for i in times.indices { atRisk[inGroupB[i] ? 1 : 0] += weights?[i] ?? 1 }
        if atRisk[0] == 0 || atRisk[1] == 0 {
            throw StatisticsError.tooFewObservations(needed: 1, got: 0, context: "log-rank test: one group is empty")
        }
        var observed = [0.0, 0.0], expected = [0.0, 0.0], variance = 0.0
        var k = 0
        while k < order.count {
            let t = times[order[k]]
            var deaths = [0.0, 0.0], leaving = [0.0, 0.0]
            while k < order.count && times[order[k]] == t {
                let i = order[k], g = inGroupB[i] ? 1 : 0, w = weights?[i] ?? 1
                if events[i] { deaths[g] += w }
                leaving[g] += w
                k += 1
            }
            let n = atRisk[0] + atRisk[1], d = deaths[0] + deaths[1]
            if d > 0 && n > 0 {
                observed[0] += deaths[0]; observed[1] += deaths[1]
                let share = atRisk[0] / n
                expected[0] += d * share
                expected[1] += d * (1 - share)
                if n > 1 { variance += d * share * (1 - share) * (n - d) / (n - 1) }
            }
            atRisk[0] -= leaving[0]; atRisk[1] -= leaving[1]
        }
        if !(variance > 0) {
            throw StatisticsError.undefined("log-rank test: no events while both groups are at risk")
        }
        let diff = observed[0] - expected[0]
        let chi2 = diff * diff / variance
        return LogRankResult(chiSquare: chi2, pValue: try ChiSquaredDistribution(degreesOfFreedom: 1).sf(chi2),
                             observed: observed, expected: expected, variance: variance)
    }
}
