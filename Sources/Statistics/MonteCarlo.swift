import Foundation
import Randomness

/// Uncertainty of simulation summaries and binomial proportions.
package enum MonteCarlo {
    /// The Monte Carlo standard error of a mean of replicate values, `sd / sqrt(n)`.
    package static func standardErrorOfMean(_ values: [Double]) throws -> Double {
        try Descriptive.standardDeviation(values) / Double(values.count).squareRoot()
    }

    /// The Monte Carlo standard error of an estimated proportion, `sqrt(p̂ (1 - p̂) / n)`.
    package static func standardErrorOfProportion(successes: Int, trials: Int) throws -> Double {
        try checkCounts(successes, trials)
        let p = Double(successes) / Double(trials)
        return (p * (1 - p) / Double(trials)).squareRoot()
    }

    /// The Wilson score interval for a binomial proportion (good coverage near 0 and 1, unlike Wald).
    package static func wilsonInterval(successes: Int, trials: Int, level: Double = 0.95) throws -> ConfidenceInterval {
        try checkCounts(successes, trials)
        try Check.level(level)
        let z = NormalDistribution.quantile(1 - (1 - level) / 2)
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        // Exact endpoints at 0 and n, where rounding could otherwise leave 1e-17 instead of 0.
        return ConfidenceInterval(lower: successes == 0 ? 0 : Swift.max(0, center - half),
                                  upper: successes == trials ? 1 : Swift.min(1, center + half), level: level)
    }

    private static func checkCounts(_ successes: Int, _ trials: Int) throws {
        if trials < 1 {
            throw StatisticsError.tooFewObservations(needed: 1, got: trials, context: "binomial proportion")
        }
        if successes < 0 || successes > trials {
            throw StatisticsError.invalidArgument("successes must lie in 0...\(trials), got \(successes)")
        }
    }
}
