import Foundation

/// Covariate balance between a treated and a control group, as reported in balance tables.
package struct BalanceStatistics: Sendable, Equatable, Codable {
    /// The (weighted) mean in the treated group.
    package var treatedMean: Double
    /// The (weighted) mean in the control group.
    package var controlMean: Double
    /// The (weighted, reliability-corrected) variance in the treated group.
    package var treatedVariance: Double
    /// The (weighted, reliability-corrected) variance in the control group.
    package var controlVariance: Double

    /// The standardized mean difference `(m1 - m0) / sqrt((v1 + v0) / 2)`; zero when both groups
    /// are constant at the same value, infinite when they are constant at different values.
    package var standardizedMeanDifference: Double {
        let diff = treatedMean - controlMean
        let pooled = ((treatedVariance + controlVariance) / 2).squareRoot()
        if pooled == 0 { return diff == 0 ? 0 : (diff > 0 ? .infinity : -.infinity) }
        return diff / pooled
    }

    /// The variance ratio `v1 / v0`, `nil` when the control variance is zero.
    package var varianceRatio: Double? {
        controlVariance > 0 ? treatedVariance / controlVariance : nil
    }
}

extension Descriptive {
    /// Means and variances of a covariate in two groups, optionally weighted per group.
    /// Unweighted variances use `n - 1`; weighted ones the reliability-weight divisor, which
    /// reduces to `n - 1` for equal weights.
    package static func balance(treated: [Double], control: [Double],
                               treatedWeights: [Double]? = nil,
                               controlWeights: [Double]? = nil) throws -> BalanceStatistics {
        let (m1, v1) = try meanAndVariance(treated, treatedWeights, "treated group")
        let (m0, v0) = try meanAndVariance(control, controlWeights, "control group")
        return BalanceStatistics(treatedMean: m1, controlMean: m0, treatedVariance: v1, controlVariance: v0)
    }

    /// The standardized mean difference `(m1 - m0) / sqrt((v1 + v0) / 2)` with optional weights
    /// per group. Throws `.undefined` if both groups are constant at different values.
    package static func standardizedMeanDifference(treated: [Double], control: [Double],
                                                  treatedWeights: [Double]? = nil,
                                                  controlWeights: [Double]? = nil) throws -> Double {
        let b = try balance(treated: treated, control: control,
                            treatedWeights: treatedWeights, controlWeights: controlWeights)
        let smd = b.standardizedMeanDifference
        if !smd.isFinite {
            throw StatisticsError.undefined("standardized mean difference: both "
                + "groups are constant at different values")
        }
        return smd
    }

    /// The variance ratio `v1 / v0` with optional weights per group; throws if `v0` is zero.
    package static func varianceRatio(treated: [Double], control: [Double],
                                     treatedWeights: [Double]? = nil,
                                     controlWeights: [Double]? = nil) throws -> Double {
        let b = try balance(treated: treated, control: control,
                            treatedWeights: treatedWeights, controlWeights: controlWeights)
        guard let ratio = b.varianceRatio else {
            throw StatisticsError.undefined("variance ratio: the control group is constant")
        }
        return ratio
    }

    private static func meanAndVariance(_ x: [Double], _ w: [Double]?,
                                        _ context: String) throws -> (Double, Double) {
        try Check.finite(x, context)
        if let w {
            return (try weightedMean(x, weights: w), try weightedVariance(x, weights: w, kind: .reliability))
        }
        return (try mean(x), try variance(x))
    }
}
