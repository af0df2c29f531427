import Foundation
import Randomness

/// The area under the ROC curve of scores separating positives from negatives.
package struct AUCResult: Sendable, Equatable, Codable {
    /// `P(score₊ > score₋) + ½ P(score₊ = score₋)`.
    package var auc: Double
    /// The Mann–Whitney U of the positives, `auc · n₊ · n₋`.
    package var mannWhitneyU: Double
    /// DeLong's nonparametric standard error (from placement values).
    package var delongStandardError: Double
    /// Hanley and McNeil's (1982) standard error, which assumes exponential score distributions.
    package var hanleyMcNeilStandardError: Double

    /// The Wald interval `auc ± z · DeLong SE`, clipped to [0, 1].
    package func confidenceInterval(level: Double = 0.95) throws -> ConfidenceInterval {
        try Check.level(level)
        let z = NormalDistribution.quantile(1 - (1 - level) / 2)
        return ConfidenceInterval(lower: Swift.max(0, auc - z * delongStandardError),
                                  upper: Swift.min(1, auc + z * delongStandardError), level: level)
    }
}

extension TwoSample {
    /// The AUC of `positives` against `negatives` (higher scores meaning "more positive"), ties
    /// counted half, with DeLong and Hanley–McNeil standard errors. Needs two of each.
    package static func auc(positives: [Double], negatives: [Double]) throws -> AUCResult {
        try Check.count(positives, atLeast: 2, "AUC positives")
        try Check.count(negatives, atLeast: 2, "AUC negatives")
        let m = Double(positives.count), n = Double(negatives.count)
        let combined = try Descriptive.ranks(positives + negatives)
        let withinPositive = try Descriptive.ranks(positives)
        let withinNegative = try Descriptive.ranks(negatives)
        // Placement values: a midrank in the pooled sample minus the midrank within the own sample
        // counts the other sample's values below it, ties counted half.
        let below = positives.indices.map { combined[$0] - withinPositive[$0] }
        let v10 = below.map { $0 / n }
        let v01 = negatives.indices.map { 1 - (combined[positives.count + $0] - withinNegative[$0]) / m }
        // Midrank differences are multiples of ½, so U is summed exactly.
        let u = Kernel.sum(below)
        let auc = u / (m * n)
        let variance = (try Descriptive.variance(v10)) / m + (try Descriptive.variance(v01)) / n
        let q1 = auc / (2 - auc), q2 = 2 * auc * auc / (1 + auc)
        let hm = (auc * (1 - auc) + (m - 1) * (q1 - auc * auc) + (n - 1) * (q2 - auc * auc)) / (m * n)
        return AUCResult(auc: auc, mannWhitneyU: u, delongStandardError: variance.squareRoot(),
                         hanleyMcNeilStandardError: Swift.max(hm, 0).squareRoot())
    }
}
