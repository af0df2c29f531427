/// A two-sided confidence interval.
public struct ConfidenceInterval: Sendable, Equatable, Codable {
    /// The lower limit (may be `-infinity` for one-sided or unbounded limits).
    public var lower: Double
    /// The upper limit (may be `+infinity` when the data do not bound it).
    public var upper: Double
    /// The nominal coverage, e.g. 0.95.
    public var level: Double

    /// An interval with the given limits and nominal coverage.
    public init(lower: Double, upper: Double, level: Double) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }

    /// Whether `value` lies inside the closed interval.
    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }

    /// The width `upper - lower`.
    public var width: Double { upper - lower }
}

/// One named coefficient of a fitted model with its inference.
public struct CoefficientEstimate: Sendable, Equatable, Codable {
    /// The coefficient's name as given to the fit (the intercept is `"(Intercept)"`).
    public var name: String
    /// The point estimate.
    public var estimate: Double
    /// Its standard error under the chosen covariance.
    public var standardError: Double
    /// The Wald statistic `estimate / standardError` (t for linear models, z otherwise).
    public var statistic: Double
    /// The two-sided p-value of the Wald statistic.
    public var pValue: Double
    /// The Wald confidence interval.
    public var confidenceInterval: ConfidenceInterval

    /// An estimate with its inference, as computed by the fits.
    public init(name: String, estimate: Double, standardError: Double, statistic: Double,
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
public struct Regressor: Sendable, Equatable {
    /// The name used to look the coefficient up afterwards.
    public var name: String
    /// One value per observation.
    public var values: [Double]

    /// A regressor called `name` with one value per observation.
    public init(_ name: String, _ values: [Double]) {
        self.name = name
        self.values = values
    }

    /// The name the regression fits give the intercept column.
    public static let interceptName = "(Intercept)"
}

/// A fitted model with a classical and a robust (sandwich) covariance of its coefficients.
public protocol CovarianceEstimates {
    var classicalCovariance: Matrix { get }
    var robustCovariance: Matrix { get }
}

extension CovarianceEstimates {
    /// The covariance of the given kind.
    public func covariance(_ kind: CovarianceKind) -> Matrix {
        kind == .classical ? classicalCovariance : robustCovariance
    }

    /// Standard errors from the covariance of the given kind.
    public func standardErrors(_ kind: CovarianceKind = .classical) -> [Double] {
        Design.standardErrors(covariance(kind))
    }
}

extension LinearRegressionFit: CovarianceEstimates {}
extension LogisticRegressionFit: CovarianceEstimates {}
extension CoxRegressionFit: CovarianceEstimates {}
