import Foundation

/// Which covariance matrix of the coefficients to base inference on.
package enum CovarianceKind: Sendable, Equatable {
    /// The model-based covariance (`σ² (XᵀWX)⁻¹` for least squares, inverse information otherwise).
    case classical
    /// The heteroskedasticity-consistent sandwich with the `n / (n - p)` small-sample factor (HC1).
    case robust
}

/// A fitted ordinary or weighted least-squares regression.
package struct LinearRegressionFit: Sendable {
    /// Coefficient names in order; the intercept, if any, is `Regressor.interceptName` and first.
    package let coefficientNames: [String]
    /// The least-squares coefficients.
    package let coefficients: [Double]
    /// The classical covariance `σ² (XᵀWX)⁻¹`.
    package let classicalCovariance: Matrix
    /// The HC1 sandwich covariance `n/(n-p) · B (Σ wᵢ² rᵢ² xᵢxᵢᵀ) B` with `B = (XᵀWX)⁻¹`.
    package let robustCovariance: Matrix
    /// The fitted values `Xβ`.
    package let fittedValues: [Double]
    /// The residuals `y - Xβ`.
    package let residuals: [Double]
    /// `σ = sqrt(Σ wᵢ rᵢ² / (n - p))`.
    package let residualStandardDeviation: Double
    /// The (weighted) coefficient of determination; uncentered when the model has no intercept.
    package let rSquared: Double
    /// R² adjusted for the number of coefficients.
    package let adjustedRSquared: Double
    /// The number of observations `n`.
    package let observationCount: Int
    /// `n - p`, the degrees of freedom of the t-based inference.
    package let residualDegreesOfFreedom: Int
    /// Whether the first coefficient is an intercept.
    package let hasIntercept: Bool

    /// Estimate, SE, t statistic, p-value and t-based CI of the coefficient called `name`.
    package func estimate(_ name: String, covariance kind: CovarianceKind = .classical,
                         level: Double = 0.95) throws -> CoefficientEstimate {
        try Design.namedEstimate(name, names: coefficientNames, coefficients: coefficients,
                                 covariance: covariance(kind), level: level,
                                 degreesOfFreedom: Double(residualDegreesOfFreedom))
    }

    /// `estimate(_:covariance:level:)` for every coefficient, in order.
    package func estimates(covariance kind: CovarianceKind = .classical, level: Double = 0.95) throws
        -> [CoefficientEstimate] {
        try coefficientNames.map { try estimate($0, covariance: kind, level: level) }
    }

    /// The prediction for one new observation, given its regressor values in fit order (no intercept entry).
    package func predict(_ values: [Double]) throws -> Double {
        try Design.linearPredictor(coefficients, hasIntercept: hasIntercept, values: values)
    }
}

/// Ordinary and weighted least squares with classical and HC1 robust inference.
package enum LinearRegression {
    /// Fits `response ~ regressors` (plus an intercept unless told otherwise), minimizing
    /// `Σ wᵢ (yᵢ - xᵢβ)²`. Weights are treated as precision (analytic) weights, as in
    /// statsmodels' WLS; zero weights are allowed and still count towards `n`.
    package static func fit(response y: [Double], regressors: [Regressor], weights: [Double]? = nil,
                           includeIntercept: Bool = true) throws -> LinearRegressionFit {
        let n = y.count
        try Check.finite(y, "linear regression response")
        let (x, names) = try Design.matrix(regressors: regressors, count: n, includeIntercept: includeIntercept,
                                           context: "linear regression")
        let p = names.count
        if n <= p {
            throw StatisticsError.tooFewObservations(needed: p + 1, got: n,
                                                     context: "linear regression with \(p) coefficients")
        }
        let w = weights ?? [Double](repeating: 1, count: n)
        if let weights { try Check.weights(weights, count: n, "linear regression") }

        let bread = try Design.inverseInformation(Design.weightedCrossProduct(x, w), names: names,
                                                  context: "linear regression")
        var xtwy = [Double](repeating: 0, count: p)
        for i in 0..<n { for j in 0..<p { xtwy[j] += x[i, j] * w[i] * y[i] } }
        let beta = try bread.multiplied(by: xtwy)
        let fitted = try x.multiplied(by: beta)
        let resid = (0..<n).map { y[$0] - fitted[$0] }

        var rss = 0.0
        for i in 0..<n { rss += w[i] * resid[i] * resid[i] }
        let df = n - p
        let sigma2 = rss / Double(df)
        let meat = Design.weightedCrossProduct(x, (0..<n).map { w[$0] * w[$0] * resid[$0] * resid[$0] })
        let robust = try Design.sandwich(bread: bread, meat: meat).scaled(by: Double(n) / Double(df))

        let (r2, adj) = rSquared(y: y, w: w, rss: rss, n: n, p: p, centered: includeIntercept)
        return LinearRegressionFit(coefficientNames: names, coefficients: beta,
                                   classicalCovariance: bread.scaled(by: sigma2), robustCovariance: robust,
                                   fittedValues: fitted, residuals: resid,
                                   residualStandardDeviation: sigma2.squareRoot(), rSquared: r2,
                                   adjustedRSquared: adj, observationCount: n, residualDegreesOfFreedom: df,
                                   hasIntercept: includeIntercept)
    }

    private static func rSquared(y: [Double], w: [Double], rss: Double, n: Int, p: Int,
                                 centered: Bool) -> (Double, Double) {
        let (sw, wsum) = Kernel.weightedSum(y, w)
        let center = centered ? sw / wsum : 0
        var tss = 0.0
        for i in 0..<n { tss += w[i] * (y[i] - center) * (y[i] - center) }
        if tss == 0 { return (rss == 0 ? 1 : 0, rss == 0 ? 1 : 0) }
        let r2 = 1 - rss / tss
        let dfTotal = Double(centered ? n - 1 : n)
        return (r2, 1 - (1 - r2) * dfTotal / Double(n - p))
    }

    /// The name of the treatment coefficient in `ancova`.
    package static let treatmentName = "treatment"
    /// The name of the baseline coefficient in `ancova`.
    package static let baselineName = "baseline"

    /// The ANCOVA treatment effect: fits `outcome ~ treatment + baseline + covariates` (typically
    /// with `outcome` the change from baseline and `treatment` coded 0/1) and returns the
    /// treatment coefficient with its t-based inference under the chosen covariance.
    package static func ancova(outcome: [Double], treatment: [Double], baseline: [Double]?,
                              covariates: [Regressor] = [], weights: [Double]? = nil,
                              covariance kind: CovarianceKind = .classical,
                              level: Double = 0.95) throws -> CoefficientEstimate {
        var regressors = [Regressor(treatmentName, treatment)]
        if let baseline { regressors.append(Regressor(baselineName, baseline)) }
        regressors += covariates
        let model = try fit(response: outcome, regressors: regressors, weights: weights)
        return try model.estimate(treatmentName, covariance: kind, level: level)
    }
}
