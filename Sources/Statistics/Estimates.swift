/// A two-sided confidence interval.
package struct ConfidenceInterval: Sendable, Equatable, Codable {
    /// The lower limit (may be `-infinity` for one-sided or unbounded limits).
    package var lower: Double
    /// The upper limit (may be `+infinity` when the data do not bound it).
    package var upper: Double
    /// The nominal coverage, e.g. 0.95.
    package var level: Double

    /// An interval with the given limits and nominal coverage.
    package init(lower: Double, upper: Double, level: Double) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }

    /// Whether `value` lies inside the closed interval.
    package func contains(_ value: Double) -> Bool { value >= lower && value <= upper }

    /// The width `upper - lower`.
    package var width: Double { upper - lower }
}

/// One named coefficient of a fitted model with its inference.
package struct CoefficientEstimate: Sendable, Equatable, Codable {
    /// The coefficient's name as given to the fit (the intercept is `"(Intercept)"`).
    package var name: String
    /// The point estimate.
    package var estimate: Double
    /// Its standard error under the chosen covariance.
    package var standardError: Double
    /// The Wald statistic `estimate / standardError` (t for linear models, z otherwise).
    package var statistic: Double
    /// The two-sided p-value of the Wald statistic.
    package var pValue: Double
    /// The Wald confidence interval.
    package var confidenceInterval: ConfidenceInterval

    /// An estimate with its inference, as computed by the fits.
    package init(name: String, estimate: Double, standardError: Double, statistic: Double,
                pValue: Double, confidenceInterval: ConfidenceInterval) {
        self.name = name
        self.estimate = estimate
        self.standardError = standardError
        self.statistic = statistic
        self.pValue = pValue
        self.confidenceInterval = confidenceInterval
    }
}

/// A named predictor column for a regression.
package struct Regressor: Sendable, Equatable {
    /// The name used to look the coefficient up afterwards.
    package var name: String
    /// One value per observation.
    package var values: [Double]

    /// A regressor called `name` with one value per observation.
    package init(_ name: String, _ values: [Double]) {
        self.name = name
        self.values = values
    }

    /// The name the regression fits give the intercept column.
    package static let interceptName = "(Intercept)"
}

/// A fitted model with a classical and a robust (sandwich) covariance of its coefficients.
package protocol CovarianceEstimates {
    var classicalCovariance: Matrix { get }
    var robustCovariance: Matrix { get }
}

extension CovarianceEstimates {
    /// The covariance of the given kind.
    package func covariance(_ kind: CovarianceKind) -> Matrix {
        kind == .classical ? classicalCovariance : robustCovariance
    }

    /// Standard errors from the covariance of the given kind.
    package func standardErrors(_ kind: CovarianceKind = .classical) -> [Double] {
        Design.standardErrors(covariance(kind))
    }
}

extension LinearRegressionFit: CovarianceEstimates {}
extension LogisticRegressionFit: CovarianceEstimates {}
extension CoxRegressionFit: CovarianceEstimates {}
