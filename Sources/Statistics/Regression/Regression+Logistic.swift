import Foundation

/// Settings of a logistic regression fit.
package struct LogisticRegressionOptions: Sendable, Equatable {
    /// The L2 penalty λ: the fit maximizes `ℓ(β) - λ/2 Σ βⱼ²` over the non-intercept coefficients
    /// (λ = 1/C in scikit-learn's terms). Any λ > 0 keeps estimates finite under separation.
    package var ridge: Double
    /// Convergence when every Newton step satisfies `|Δβⱼ| <= tolerance · (1 + |βⱼ|)`.
    package var tolerance: Double
    /// The iteration cap; reaching it throws `.didNotConverge`.
    package var maxIterations: Int
    /// Whether to add an intercept column (named `Regressor.interceptName`).
    package var includeIntercept: Bool

    /// Options with the defaults: no ridge, tolerance 1e-10, 100 iterations, an intercept.
    package init(ridge: Double = 0, tolerance: Double = 1e-10, maxIterations: Int = 100,
                includeIntercept: Bool = true) {
        self.ridge = ridge
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.includeIntercept = includeIntercept
    }
}

/// A fitted logistic regression (log-odds linear in the regressors).
package struct LogisticRegressionFit: Sendable {
    /// Coefficient names in order; the intercept, if any, is first.
    package let coefficientNames: [String]
    /// The (penalized) maximum-likelihood coefficients on the log-odds scale.
    package let coefficients: [Double]
    /// The inverse of the (penalized) observed information at the estimate.
    package let classicalCovariance: Matrix
    /// The sandwich covariance `H⁻¹ (Σ wᵢ² (yᵢ - pᵢ)² xᵢxᵢᵀ) H⁻¹` (HC0), for sampling weights.
    package let robustCovariance: Matrix
    /// The fitted probabilities of the observations.
    package let fittedProbabilities: [Double]
    /// The weighted log-likelihood at the estimate (without the penalty).
    package let logLikelihood: Double
    /// The number of Newton iterations used.
    package let iterations: Int
    /// The ridge penalty the fit used.
    package let ridge: Double
    /// Whether the first coefficient is an intercept.
    package let hasIntercept: Bool

    /// The coefficient called `name` (log-odds scale) with its z-based Wald inference.
    package func estimate(_ name: String, covariance kind: CovarianceKind = .classical,
                         level: Double = 0.95) throws -> CoefficientEstimate {
        try Design.namedEstimate(name, names: coefficientNames, coefficients: coefficients,
                                 covariance: covariance(kind), level: level, degreesOfFreedom: nil)
    }

    /// The linear predictor (log-odds) for one observation's regressor values in fit order.
    package func linearPredictor(_ values: [Double]) throws -> Double {
        try Design.linearPredictor(coefficients, hasIntercept: hasIntercept, values: values)
    }

    /// The predicted probability for one observation's regressor values in fit order.
    package func predict(_ values: [Double]) throws -> Double {
        LogisticRegression.logistic(try linearPredictor(values))
    }

    /// Predicted probabilities for new observations given as named columns, in any order; every
    /// regressor of the fit must be present (extra columns are ignored).
    package func predictProbabilities(_ regressors: [Regressor]) throws -> [Double] {
        let offset = hasIntercept ? 1 : 0
        let columns = try coefficientNames.dropFirst(offset).map { name in
            guard let r = regressors.first(where: { $0.name == name }) else {
                throw StatisticsError.invalidArgument("prediction needs a regressor named '\(name)'")
            }
            return r.values
        }
        let n = columns.first?.count ?? 0
        for (c, name) in zip(columns, coefficientNames.dropFirst(offset)) {
            try Check.sameCount(c.count, n, "prediction: regressor '\(name)' length")
        }
        return try (0..<n).map { i in try predict(columns.map { $0[i] }) }
    }
}

/// Logistic regression by Newton–Raphson (IRLS) with step halving, optional weights and ridge.
package enum LogisticRegression {
    /// `1 / (1 + e^-x)` without overflow.
    package static func logistic(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
    }

    /// `log(1 + e^x)` without overflow.
    static func softplus(_ x: Double) -> Double {
        x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
    }

    /// Fits `P(y = 1) = logistic(Xβ)`. Outcomes must lie in [0, 1] (usually 0/1); weights act as
    /// frequency or sampling weights. Throws `.didNotConverge` under separation with `ridge == 0`.
    package static func fit(outcome y: [Double], regressors: [Regressor], weights: [Double]? = nil,
                           options: LogisticRegressionOptions = .init()) throws -> LogisticRegressionFit {
        let n = y.count
        for v in y where !(v >= 0 && v <= 1) {
            throw StatisticsError.invalidArgument("logistic regression outcomes must lie in [0, 1], found \(v)")
        }
        if !(options.ridge >= 0) || !options.ridge.isFinite {
            throw StatisticsError.invalidArgument("ridge penalty must be finite and non-negative, got \(options.ridge)")
        }
        let (x, names) = try Design.matrix(regressors: regressors, count: n,
                                           includeIntercept: options.includeIntercept, context: "logistic regression")
        let p = names.count
        if n < 1 { throw StatisticsError.tooFewObservations(needed: 1, got: 0, context: "logistic regression") }
        if let weights { try Check.weights(weights, count: n, "logistic regression") }
        let w = weights ?? [Double](repeating: 1, count: n)
        let penalty = (0..<p).map { options.includeIntercept && $0 == 0 ? 0 : options.ridge }

        var start = [Double](repeating: 0, count: p)
        if options.includeIntercept {
            let (sy, sw) = Kernel.weightedSum(y, w)
            let mean = Swift.min(Swift.max(sy / sw, 1e-6), 1 - 1e-6)
            start[0] = Foundation.log(mean / (1 - mean))
        }
        let result = try Newton.maximize(
            start: start, names: names, tolerance: options.tolerance, maxIterations: options.maxIterations,
            context: "logistic regression",
            annotate: { options.ridge == 0 ? separationHint($0, iteration: $1) : $0 },
            evaluate: { evaluate(x, y, w, $0, penalty) })
        guard let (beta, point, iterations) = result else {
            throw StatisticsError.didNotConverge(
                iterations: options.maxIterations,
                context: options.ridge == 0
                    ? "logistic regression (estimates diverge, as under complete or "
                    + "quasi-complete separation; a ridge penalty > 0 keeps them finite)"
                    : "logistic regression")
        }
        return try finish(x, y, w, beta, point, names, iterations, options)
    }

    /// `fit` with Boolean outcomes.
    package static func fit(outcome: [Bool], regressors: [Regressor], weights: [Double]? = nil,
                           options: LogisticRegressionOptions = .init()) throws -> LogisticRegressionFit {
        try fit(outcome: outcome.map { $0 ? 1 : 0 }, regressors: regressors, weights: weights, options: options)
    }

    private static func separationHint(_ error: StatisticsError, iteration: Int) -> StatisticsError {
        guard case let .singularMatrix(text) = error, iteration > 1 else { return error }
        return .singularMatrix("\(text); the information vanished during the fit, "
            + "as under separation (a ridge penalty > 0 helps)")
    }

    private static func linearPredictors(_ x: Matrix, _ beta: [Double]) -> [Double] {
        let p = x.columns
        return (0..<x.rows).map { i in
            var s = 0.0
            for j in 0..<p { s += x[i, j] * beta[j] }
            return s
        }
    }

    /// The penalized log-likelihood, its gradient and information at `beta`.
    struct Point: NewtonPoint {
        var objective: Double
        var gradient: [Double]
        var information: Matrix
        var linearPredictors: [Double]
        var logLikelihood: Double
    }

    private static func evaluate(_ x: Matrix, _ y: [Double], _ w: [Double], _ beta: [Double],
                                 _ penalty: [Double]) -> Point {
        let eta = linearPredictors(x, beta)
        let p = x.columns
        var ll = 0.0
        var gradient = [Double](repeating: 0, count: p)
        var curvature = [Double](repeating: 0, count: x.rows)
        for i in eta.indices where w[i] > 0 {
            // y log μ + (1 - y) log(1 - μ) = y η - log(1 + e^η).
            ll += w[i] * (y[i] * eta[i] - softplus(eta[i]))
            let mu = logistic(eta[i])
            curvature[i] = w[i] * mu * (1 - mu)
            let r = w[i] * (y[i] - mu)
            for j in 0..<p { gradient[j] += r * x[i, j] }
        }
        var information = Design.weightedCrossProduct(x, curvature)
        var objective = ll
        for j in 0..<p {
            objective -= 0.5 * penalty[j] * beta[j] * beta[j]
            gradient[j] -= penalty[j] * beta[j]
            information[j, j] += penalty[j]
        }
        return Point(objective: objective, gradient: gradient, information: information,
                     linearPredictors: eta, logLikelihood: ll)
    }

    private static func finish(_ x: Matrix, _ y: [Double], _ w: [Double], _ beta: [Double], _ point: Point,
                               _ names: [String], _ iterations: Int,
                               _ options: LogisticRegressionOptions) throws -> LogisticRegressionFit {
        let bread = try Design.inverseInformation(point.information, names: names, context: "logistic regression")
        let fitted = point.linearPredictors.map(logistic)
        var scores = [Double](repeating: 0, count: x.rows)
        for i in scores.indices {
            let r = w[i] * (y[i] - fitted[i])
            scores[i] = r * r
        }
        let robust = try Design.sandwich(bread: bread, meat: Design.weightedCrossProduct(x, scores))
        return LogisticRegressionFit(coefficientNames: names, coefficients: beta, classicalCovariance: bread,
                                     robustCovariance: robust, fittedProbabilities: fitted,
                                     logLikelihood: point.logLikelihood, iterations: iterations,
                                     ridge: options.ridge, hasIntercept: options.includeIntercept)
    }
}
