import Foundation

/// A score test of β = 0 in a (weighted) Cox model.
package struct CoxScoreTest: Sendable, Equatable, Codable {
    /// `Uᵀ V⁻¹ U` on as many degrees of freedom as covariates.
    package var chiSquare: Double
    package var degreesOfFreedom: Int
    package var pValue: Double
}

extension CoxRegression {
    /// The robust (Lin–Wei) score test of β = 0: the weighted score `U = Σ wᵢ Lᵢ` at β = 0 against
    /// the sandwich meat `V = Σ (wᵢ Lᵢ)(wᵢ Lᵢ)ᵀ` of the score residuals `Lᵢ` there, as R's
    /// `coxph(..., robust = TRUE)` reports it. Unlike a log-rank test with the weights as counts, it
    /// stays valid with sampling weights (inverse probability, matching with replacement): with
    /// weights 1 and no ties it is the log-rank test with a robust variance.
    package static func robustScoreTest(times: [Double], events: [Bool], covariates: [Regressor],
                                        weights: [Double]? = nil, ties: CoxTieMethod = .efron) throws -> CoxScoreTest {
        try Survival.validate(times: times, events: events, weights: weights, context: "Cox score test")
        let n = times.count
        let (raw, names) = try Design.matrix(regressors: covariates, count: n, includeIntercept: false,
                                             context: "Cox score test")
        let w = weights ?? [Double](repeating: 1, count: n)
        let model = CoxLikelihood(x: centered(raw, w), times: times, events: events, weights: w, ties: ties)
        let zero = [Double](repeating: 0, count: names.count)
        let point = model.evaluate(zero)
        let meat = model.scoreResidualMeat(zero, point.terms)
        let solved = try meat.solve(point.gradient)
        let chi2 = zip(point.gradient, solved).reduce(0) { $0 + $1.0 * $1.1 }
        guard chi2.isFinite, chi2 >= 0 else {
            throw StatisticsError.undefined(
                "Cox score test: the score variance is singular (no events at risk in both groups?)")
        }
        let p = try ChiSquaredDistribution(degreesOfFreedom: Double(names.count)).sf(chi2)
        return CoxScoreTest(chiSquare: chi2, degreesOfFreedom: names.count, pValue: p)
    }
}
