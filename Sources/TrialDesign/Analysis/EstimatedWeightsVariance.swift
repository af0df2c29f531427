import Foundation
import Statistics

/// One patient's row of the propensity model, for the stacked sandwich variance.
struct PropensityRow: Sendable {
    /// Standardized covariates with a leading 1.
    var x: [Double]
    /// 1 for the group the score predicts (treated or trial), 0 otherwise.
    var label: Double
    var fitted: Double
    /// How the patient's analysis weight moves with the score's coefficients: `∂w/∂γ = w · c · x`
    /// with this c (1 for odds weights, 0 for constant weights, −e or 1 − e for overlap weights).
    var weightDerivative: Double

    init(x: [Double], label: Double, fitted: Double, weightDerivative: Double) {
        (self.x, self.label, self.fitted, self.weightDerivative) = (x, label, fitted, weightDerivative)
    }
}

/// The sandwich covariance of a weighted least-squares fit whose weights are the odds of an
/// estimated propensity score, stacking the logistic score equations with the weighted normal
/// equations (M-estimation; Lunceford & Davidian 2004, Reifeis & Hudgens 2022).
///
/// For ATT weights, ignoring that the score was estimated does not reliably err on the safe
/// side: with a few dozen treated patients the naive HC1 interval covered 93–94 %.
enum EstimatedWeightsVariance {
    /// - Parameters:
    ///   - z: the outcome model's rows (intercept first) of the patients with the outcome.
    ///   - residuals, weights: per outcome row.
    ///   - outcomeRow: per propensity row, the index of its outcome row (nil: no outcome).
    ///   - propensity: every patient the score was fitted on.
    ///   - ridge: the score's ridge penalty (on every coefficient but the intercept).
    static func covariance(z: [[Double]], residuals: [Double], weights: [Double], outcomeRow: [Int?],
                           propensity: [PropensityRow], ridge: Double) throws -> Matrix {
        let pg = propensity.first?.x.count ?? 0
        let pb = z.first?.count ?? 0
        let p = pg + pb
        var a = [Double](repeating: 0, count: p * p)
        var b = [Double](repeating: 0, count: p * p)
        var psi = [Double](repeating: 0, count: p)
        for (i, row) in propensity.enumerated() {
            let x = row.x
            let v = row.fitted * (1 - row.fitted)
            for j in 0..<pg { for k in 0..<pg { a[j * p + k] += v * x[j] * x[k] } }
            for j in 0..<pg { psi[j] = (row.label - row.fitted) * x[j] }
            for j in pg..<p { psi[j] = 0 }
            if let r = outcomeRow[i] {
                let zr = z[r], w = weights[r], e = residuals[r]
                for j in 0..<pb {
                    psi[pg + j] = w * e * zr[j]
                    for k in 0..<pb { a[(pg + j) * p + pg + k] += w * zr[j] * zr[k] }
                    // d(w e z)/dγ = c w e z xᵀ (c = 1 when w is proportional to the odds exp(xγ)).
                    let c = row.weightDerivative
                    if c != 0 { for k in 0..<pg { a[(pg + j) * p + k] -= c * w * e * zr[j] * x[k] } }
                }
            }
            for j in 0..<p where psi[j] != 0 { for k in 0..<p { b[j * p + k] += psi[j] * psi[k] } }
        }
        for j in 1..<max(pg, 1) { a[j * p + j] += ridge }
        let ainv = try Matrix(rows: p, columns: p, elements: a).inverse()
        let meat = try Matrix(rows: p, columns: p, elements: b)
        let n = Double(z.count)
        let small = n / max(n - Double(pb), 1)
        return try ainv.multiplied(by: meat).multiplied(by: ainv.transposed()).scaled(by: small)
    }

    /// A t-based estimate of coefficient `j` with `df` degrees of freedom.
    static func estimate(_ name: String, value: Double, variance: Double, df: Double) throws -> CoefficientEstimate {
        let se = max(variance, 0).squareRoot()
        let t = try StudentTDistribution(degreesOfFreedom: max(df, 1))
        let q = t.quantile(0.975)
        let stat = se > 0 ? value / se : .infinity
        return CoefficientEstimate(name: name, estimate: value, standardError: se, statistic: stat,
                                   pValue: se > 0 ? t.twoSidedPValue(stat) : 0,
                                   confidenceInterval: ConfidenceInterval(lower: value - q * se, upper: value + q * se,
                                                                          level: 0.95))
    }
}
