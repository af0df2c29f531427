import Foundation
import Randomness

/// Pieces shared by the linear, logistic and Cox fits.
enum Design {
    /// The row-major `n × p` design matrix (an intercept column first if asked) and its column names.
    static func matrix(regressors: [Regressor], count n: Int, includeIntercept: Bool,
                       context: String) throws -> (x: Matrix, names: [String]) {
        var names = includeIntercept ? [Regressor.interceptName] : []
        var seen = Set(names)
        for r in regressors {
            try Check.sameCount(r.values.count, n, "\(context): regressor '\(r.name)' vs outcome")
            try Check.finite(r.values, "\(context): regressor '\(r.name)'")
            if !seen.insert(r.name).inserted {
                throw StatisticsError.invalidArgument("\(context): regressor name '\(r.name)' is used twice")
            }
            names.append(r.name)
        }
        if names.isEmpty { throw StatisticsError.invalidArgument("\(context): no regressors and no intercept") }
        let p = names.count
        var x = Matrix(rows: n, columns: p)
        let offset = includeIntercept ? 1 : 0
        for i in 0..<n {
            if includeIntercept { x[i, 0] = 1 }
            for (j, r) in regressors.enumerated() { x[i, j + offset] = r.values[i] }
        }
        return (x, names)
    }

    /// `Xᵀ diag(w) X` (symmetric, `p × p`).
    static func weightedCrossProduct(_ x: Matrix, _ w: [Double]) -> Matrix {
        let n = x.rows, p = x.columns
        var a = Matrix(rows: p, columns: p)
        x.elements.withUnsafeBufferPointer { xp in
            a.elements.withUnsafeMutableBufferPointer { ap in
                for i in 0..<n {
                    let wi = w[i]
                    if wi == 0 { continue }
                    let row = i * p
                    for j in 0..<p {
                        let wx = wi * xp[row + j]
                        if wx == 0 { continue }
                        for k in j..<p { ap[j * p + k] += wx * xp[row + k] }
                    }
                }
            }
        }
        for j in 0..<p { for k in 0..<j { a[j, k] = a[k, j] } }
        return a
    }

    /// The inverse of an SPD information matrix after scaling it to unit diagonal, so the
    /// singularity test measures collinearity rather than the units of the predictors. A failure
    /// names the first predictor that is (nearly) a combination of the ones before it.
    static func inverseInformation(_ a: Matrix, names: [String], context: String) throws -> Matrix {
        let p = a.rows
        var d = [Double](repeating: 0, count: p)
        for j in 0..<p {
            if !(a[j, j] > 0) || !a[j, j].isFinite {
                throw StatisticsError.singularMatrix("\(context): predictor '\(names[j])' carries no "
                    + "information (constant zero or all weight removed)")
            }
            d[j] = a[j, j].squareRoot()
        }
        var s = a
        for j in 0..<p { for k in 0..<p { s[j, k] = a[j, k] / (d[j] * d[k]) } }
        switch CholeskyFactorization.factor(s, relativeTolerance: 1e-12) {
        case let .failure(f):
            throw StatisticsError.singularMatrix("\(context): predictor '\(names[f.pivot])' "
                + "is collinear with the predictors before it")
        case let .success(l):
            var inv = try CholeskyFactorization(lower: l).inverse()
            for j in 0..<p { for k in 0..<p { inv[j, k] /= d[j] * d[k] } }
            return inv
        }
    }

    /// The sandwich `bread · meat · bread`.
    static func sandwich(bread: Matrix, meat: Matrix) throws -> Matrix {
        try bread.multiplied(by: meat).multiplied(by: bread)
    }

    /// The Wald estimate of the coefficient called `name`, or an error listing the known names.
    static func namedEstimate(_ name: String, names: [String], coefficients: [Double], covariance: Matrix,
                              level: Double, degreesOfFreedom: Double?) throws -> CoefficientEstimate {
        guard let j = names.firstIndex(of: name) else {
            throw StatisticsError.invalidArgument("no coefficient named '\(name)' (have \(names))")
        }
        return try wald(name: name, estimate: coefficients[j], variance: covariance[j, j],
                        level: level, degreesOfFreedom: degreesOfFreedom)
    }

    /// Square roots of a covariance matrix's diagonal (negative rounding noise clamped to 0).
    static func standardErrors(_ covariance: Matrix) -> [Double] {
        covariance.diagonalElements.map { Swift.max($0, 0).squareRoot() }
    }

    /// `xβ` for one observation's regressor values (no intercept entry) in fit order.
    static func linearPredictor(_ coefficients: [Double], hasIntercept: Bool, values: [Double]) throws -> Double {
        let offset = hasIntercept ? 1 : 0
        try Check.sameCount(values.count, coefficients.count - offset, "prediction: values vs regressors")
        var s = hasIntercept ? coefficients[0] : 0
        for j in values.indices { s += coefficients[j + offset] * values[j] }
        return s
    }

    /// A Wald estimate with a t (finite `degreesOfFreedom`) or normal reference distribution.
    static func wald(name: String, estimate: Double, variance: Double, level: Double,
                     degreesOfFreedom: Double?) throws -> CoefficientEstimate {
        try Check.level(level)
        let se = Swift.max(variance, 0).squareRoot()
        let stat = estimate / se
        let crit: Double, p: Double
        if let df = degreesOfFreedom {
            let t = try StudentTDistribution(degreesOfFreedom: df)
            crit = t.quantile(1 - (1 - level) / 2)
            p = t.twoSidedPValue(stat)
        } else {
            crit = NormalDistribution.quantile(1 - (1 - level) / 2)
            p = 2 * NormalDistribution.cdf(-Swift.abs(stat))
        }
        return CoefficientEstimate(name: name, estimate: estimate, standardError: se, statistic: stat,
                                   pValue: p,
                                   confidenceInterval: ConfidenceInterval(lower: estimate - crit * se,
                                                                          upper: estimate + crit * se,
                                                                          level: level))
    }
}
