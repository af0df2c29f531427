import Foundation

/// How the Cox partial likelihood treats tied event times.
package enum CoxTieMethod: Sendable, Equatable {
    /// Efron's approximation (the default of R's `coxph` and of lifelines).
    case efron
    /// Breslow's approximation.
    case breslow
}

/// Settings of a Cox regression fit.
package struct CoxRegressionOptions: Sendable, Equatable {
    /// The handling of tied event times.
    package var ties: CoxTieMethod
    /// Convergence when every Newton step satisfies `|Δβⱼ| <= tolerance · (1 + |βⱼ|)`.
    package var tolerance: Double
    /// The iteration cap; reaching it throws `.didNotConverge`.
    package var maxIterations: Int
    /// Which covariance `estimate` and `hazardRatio` use by default; nil means robust exactly
    /// when weights are given (weights then being sampling weights, e.g. inverse probability).
    package var covariance: CovarianceKind?

    /// Options with the defaults: Efron ties, tolerance 1e-9, 50 iterations, automatic covariance.
    package init(ties: CoxTieMethod = .efron, tolerance: Double = 1e-9, maxIterations: Int = 50,
                covariance: CovarianceKind? = nil) {
        self.ties = ties
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.covariance = covariance
    }
}

/// A fitted Cox proportional hazards model.
package struct CoxRegressionFit: Sendable {
    /// Covariate names in order (no intercept: the baseline hazard absorbs it).
    package let coefficientNames: [String]
    /// The log hazard ratios.
    package let coefficients: [Double]
    /// The inverse observed information.
    package let classicalCovariance: Matrix
    /// The Lin–Wei robust (sandwich) covariance from weighted score residuals.
    package let robustCovariance: Matrix
    /// The covariance used unless another is asked for.
    package let defaultCovariance: CovarianceKind
    /// The log partial likelihood at the estimate.
    package let logPartialLikelihood: Double
    /// The log partial likelihood at β = 0.
    package let nullLogPartialLikelihood: Double
    /// Newton iterations used.
    package let iterations: Int
    /// The number of subjects.
    package let observationCount: Int
    /// The number of (unweighted) events.
    package let eventCount: Int

    /// `exp(β)` for every covariate.
    package var hazardRatios: [Double] { coefficients.map { Foundation.exp($0) } }

    /// Standard errors of the log hazard ratios (default covariance unless `kind` is given).
    package func standardErrors(_ kind: CovarianceKind? = nil) -> [Double] {
        Design.standardErrors(covariance(kind ?? defaultCovariance))
    }

    /// The log hazard ratio of `name` with its z-based Wald inference.
    package func estimate(_ name: String, covariance kind: CovarianceKind? = nil,
                         level: Double = 0.95) throws -> CoefficientEstimate {
        try Design.namedEstimate(name, names: coefficientNames, coefficients: coefficients,
                                 covariance: covariance(kind ?? defaultCovariance), level: level,
                                 degreesOfFreedom: nil)
    }

    /// The hazard ratio of `name` with its confidence interval, both on the ratio scale.
    package func hazardRatio(_ name: String, covariance kind: CovarianceKind? = nil,
                            level: Double = 0.95) throws -> HazardRatioEstimate {
        let e = try estimate(name, covariance: kind, level: level)
        return HazardRatioEstimate(name: name, hazardRatio: Foundation.exp(e.estimate),
                                   confidenceInterval: ConfidenceInterval(
                                       lower: Foundation.exp(e.confidenceInterval.lower),
                                       upper: Foundation.exp(e.confidenceInterval.upper), level: level),
                                   logHazardRatio: e)
    }
}

/// A hazard ratio with its confidence interval (the exponentiated Wald interval).
package struct HazardRatioEstimate: Sendable, Equatable, Codable {
    /// The covariate's name.
    package var name: String
    /// `exp(β)`.
    package var hazardRatio: Double
    /// The exponentiated Wald interval of β.
    package var confidenceInterval: ConfidenceInterval
    /// The underlying estimate on the log scale (SE, z, p-value).
    package var logHazardRatio: CoefficientEstimate
}

/// Cox proportional hazards regression by Newton–Raphson on the partial likelihood.
package enum CoxRegression {
    /// Fits `h(t | x) = h₀(t) exp(xβ)` to right-censored data. Weights multiply each subject's
    /// contribution (case or sampling weights; with them the robust covariance is the default).
    package static func fit(times: [Double], events: [Bool], covariates: [Regressor],
                           weights: [Double]? = nil,
                           options: CoxRegressionOptions = .init()) throws -> CoxRegressionFit {
        try Survival.validate(times: times, events: events, weights: weights, context: "Cox regression")
        let n = times.count
        let (raw, names) = try Design.matrix(regressors: covariates, count: n, includeIntercept: false,
                                             context: "Cox regression")
        let eventCount = events.indices.filter { events[$0] && (weights?[$0] ?? 1) > 0 }.count
        if eventCount == 0 {
            throw StatisticsError.tooFewObservations(needed: 1, got: 0, context: "Cox regression (events)")
        }
        let w = weights ?? [Double](repeating: 1, count: n)
        let model = CoxLikelihood(x: centered(raw, w), times: times, events: events, weights: w, ties: options.ties)
        let nullLL = model.evaluate([Double](repeating: 0, count: names.count)).logLikelihood
        let result = try Newton.maximize(
            start: [Double](repeating: 0, count: names.count), names: names, tolerance: options.tolerance,
            maxIterations: options.maxIterations, context: "Cox regression", evaluate: model.evaluate)
        guard let (beta, point, iterations) = result else {
            throw StatisticsError.didNotConverge(
                iterations: options.maxIterations,
                context: "Cox regression (a coefficient may be diverging, e.g. no events in one group)")
        }
        let bread = try Design.inverseInformation(point.information, names: names, context: "Cox regression")
        let meat = model.scoreResidualMeat(beta, point.terms)
        return CoxRegressionFit(
            coefficientNames: names, coefficients: beta, classicalCovariance: bread,
            robustCovariance: try Design.sandwich(bread: bread, meat: meat),
            defaultCovariance: options.covariance ?? (weights == nil ? .classical : .robust),
            logPartialLikelihood: point.logLikelihood, nullLogPartialLikelihood: nullLL,
            iterations: iterations, observationCount: n, eventCount: eventCount)
    }

    /// Columns minus their weighted means: leaves β unchanged and keeps `exp(xβ)` in range.
    static func centered(_ x: Matrix, _ w: [Double]) -> Matrix {
        var out = x
        let totalWeight = w.reduce(0, +)
        for j in 0..<x.columns {
            var s = 0.0
            for i in 0..<x.rows { s += w[i] * x[i, j] }
            let mean = s / totalWeight
            for i in 0..<x.rows { out[i, j] -= mean }
        }
        return out
    }
}
