import Foundation

/// An estimate pooled over multiply imputed data sets by Rubin's rules.
package struct PooledEstimate: Sendable, Equatable {
    /// The mean of the per-imputation estimates (Q̄).
    package var estimate: Double
    /// √T, with T = Ū + (1 + 1/m) B.
    package var standardError: Double
    /// The mean within-imputation variance Ū.
    package var withinVariance: Double
    /// The between-imputation variance B.
    package var betweenVariance: Double
    /// Degrees of freedom: Barnard and Rubin (1999) when the complete-data df is finite, else
    /// Rubin's (1987) large-sample df.
    package var degreesOfFreedom: Double
    /// The complete-data degrees of freedom the small-sample df started from (infinity: none).
    package var completeDataDegreesOfFreedom: Double
    /// The fraction of missing information λ = (1 + 1/m) B / T.
    package var fractionMissingInformation: Double
    package var lower: Double
    package var upper: Double
    package var pValue: Double
    package var imputations: Int
}

/// Rubin's rules for combining estimates from multiply imputed data (Rubin 1987; Barnard and
/// Rubin 1999 for small samples).
package enum RubinsRules {
    /// Pools `estimates` and their squared standard errors `variances`, one per imputation, with
    /// complete-data degrees of freedom `completeDataDF` (infinity for z-based fits).
    package static func pool(estimates: [Double], variances: [Double], completeDataDF: Double = .infinity,
                             level: Double = 0.95) throws -> PooledEstimate {
        let m = estimates.count
        guard m >= 2 else {
            throw StatisticsError.tooFewObservations(needed: 2, got: m, context: "Rubin's rules (imputations)")
        }
        guard variances.count == m else {
            throw StatisticsError.dimensionMismatch("\(m) estimates but \(variances.count) variances")
        }
        guard estimates.allSatisfy(\.isFinite), variances.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw StatisticsError.invalidArgument("an imputation's estimate or variance is not finite")
        }
        let mm = Double(m)
        let qbar = estimates.reduce(0, +) / mm
        let ubar = variances.reduce(0, +) / mm
        let b = estimates.reduce(0) { $0 + ($1 - qbar) * ($1 - qbar) } / (mm - 1)
        let t = ubar + (1 + 1 / mm) * b
        let lambda = t > 0 ? (1 + 1 / mm) * b / t : 0
        let dfOld = lambda > 0 ? (mm - 1) / (lambda * lambda) : .infinity
        var df = dfOld
        if completeDataDF.isFinite {
            let dfObserved = (completeDataDF + 1) / (completeDataDF + 3) * completeDataDF * (1 - lambda)
            df = dfOld.isInfinite ? dfObserved : dfOld * dfObserved / (dfOld + dfObserved)
        }
        let dist = try StudentTDistribution(degreesOfFreedom: df)
        let q = dist.quantile(0.5 + level / 2)
        let se = t.squareRoot()
        return PooledEstimate(estimate: qbar, standardError: se, withinVariance: ubar, betweenVariance: b,
                              degreesOfFreedom: df, completeDataDegreesOfFreedom: completeDataDF,
                              fractionMissingInformation: lambda,
                              lower: qbar - q * se, upper: qbar + q * se,
                              pValue: se > 0 ? dist.twoSidedPValue(qbar / se) : .nan, imputations: m)
    }
}
