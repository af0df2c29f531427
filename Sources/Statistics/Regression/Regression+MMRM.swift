import Foundation

/// One subject's repeated responses: for each visit observed, the response and its row of the
/// fixed-effects design.
package struct RepeatedMeasures: Sendable {
    package var visits: [Int]
    package var responses: [Double]
    package var rows: [[Double]]
    /// A precision weight (the residual covariance is Σ / weight).
    package var weight: Double

    package init(visits: [Int], responses: [Double], rows: [[Double]], weight: Double = 1) {
        (self.visits, self.responses, self.rows, self.weight) = (visits, responses, rows, weight)
    }
}

/// A mixed model for repeated measures fitted by REML with an unstructured covariance between
/// visits: `yᵢ = Xᵢβ + εᵢ`, `εᵢ ~ N(0, Σ[visitsᵢ, visitsᵢ] / wᵢ)`.
package struct MMRMFit: Sendable {
    package var coefficients: [Double]
    /// `(Σᵢ Xᵢᵀ Vᵢ⁻¹ Xᵢ)⁻¹` at the REML estimate.
    package var covariance: Matrix
    /// The visit covariance Σ.
    package var visitCovariance: Matrix
    package var restrictedLogLikelihood: Double
    /// Satterthwaite degrees of freedom of each coefficient.
    package var degreesOfFreedom: [Double]
    package var iterations: Int

    /// The estimate of coefficient `j` with its SE, t interval and p-value on Satterthwaite df.
    package func estimate(_ j: Int, name: String) throws -> CoefficientEstimate {
        let se = covariance[j, j].squareRoot()
        let t = try StudentTDistribution(degreesOfFreedom: degreesOfFreedom[j])
        let q = t.quantile(0.975)
        let statistic = coefficients[j] / se
        return CoefficientEstimate(name: name, estimate: coefficients[j], standardError: se, statistic: statistic,
                                   pValue: 2 * t.sf(abs(statistic)),
                                   confidenceInterval: ConfidenceInterval(lower: coefficients[j] - q * se,
                                                                          upper: coefficients[j] + q * se, level: 0.95))
    }
}

package enum MMRM {
    /// Fits the model to `subjects` with `visitCount` visits and `p` fixed effects.
    package static func fit(_ subjects: [RepeatedMeasures], visitCount: Int, p: Int) throws -> MMRMFit {
        let model = REMLModel(subjects: subjects, t: visitCount, p: p)
        var theta = try model.start()
        var f = try model.negativeLogLikelihood(theta)
        var iterations = 0
        // Quasi-Newton (BFGS) on the Cholesky parameters with central-difference gradients.
        var h = Matrix.identity(theta.count)
        var g = try model.gradient(theta)
        while iterations < 200 {
            iterations += 1
            var direction = [Double](repeating: 0, count: theta.count)
            for i in 0..<theta.count { for j in 0..<theta.count { direction[i] -= h[i, j] * g[j] } }
            var step = 1.0, next = theta, fNext = Double.infinity
            let slope = zip(g, direction).reduce(0) { $0 + $1.0 * $1.1 }
            while step > 1e-10 {
                next = zip(theta, direction).map { $0 + step * $1 }
                fNext = (try? model.negativeLogLikelihood(next)) ?? .infinity
                if fNext <= f + 1e-4 * step * slope { break }  // Armijo condition
                step /= 2
            }
            guard fNext.isFinite, step > 1e-10 else { break }
            let gNext = try model.gradient(next)
            let s = zip(next, theta).map { $0 - $1 }, y = zip(gNext, g).map { $0 - $1 }
            let sy = zip(s, y).reduce(0) { $0 + $1.0 * $1.1 }
            let converged = abs(f - fNext) < 1e-11 * (1 + abs(f)) && s.allSatisfy { abs($0) < 1e-7 }
            theta = next; f = fNext; g = gNext
            if converged || g.allSatisfy({ abs($0) < 1e-7 }) { break }
            if sy > 1e-12 { h = bfgsUpdate(h, s, y, sy) }
        }
        let point = try model.evaluate(theta)
        let dfs = try satterthwaite(model, theta, point)
        return MMRMFit(coefficients: point.beta, covariance: point.betaCovariance, visitCovariance: point.sigma,
                       restrictedLogLikelihood: -f, degreesOfFreedom: dfs, iterations: iterations)
    }

    /// `ν = 2 φ² / (∇φᵀ H⁻¹ ∇φ)` for `φ(θ) = Var(β̂ⱼ)`, H the Hessian of −REML in θ (numerical).
    static func satterthwaite(_ model: REMLModel, _ theta: [Double], _ point: REMLModel.Point) throws -> [Double] {
        let k = theta.count, eps = 1e-4
        var hessian = Matrix(rows: k, columns: k)
        for a in 0..<k {
            var up = theta, down = theta
            up[a] += eps; down[a] -= eps
            let gu = try model.gradient(up), gd = try model.gradient(down)
            for b in 0..<k { hessian[a, b] = (gu[b] - gd[b]) / (2 * eps) }
        }
        for a in 0..<k {
            for b in 0..<a {
                let m = (hessian[a, b] + hessian[b, a]) / 2
                hessian[a, b] = m; hessian[b, a] = m
            }
        }
        let inverse = try hessian.inverse()
        var variances: [[Double]] = []  // per θ perturbation, the diagonal of Cov(β̂)
        for a in 0..<k {
            var up = theta, down = theta
            up[a] += eps; down[a] -= eps
            let cu = try model.evaluate(up).betaCovariance, cd = try model.evaluate(down).betaCovariance
            variances.append((0..<model.p).map { (cu[$0, $0] - cd[$0, $0]) / (2 * eps) })
        }
        return (0..<model.p).map { j in
            let grad = (0..<k).map { variances[$0][j] }
            var q = 0.0
            for a in 0..<k { for b in 0..<k { q += grad[a] * inverse[a, b] * grad[b] } }
            let phi = point.betaCovariance[j, j]
            return q > 0 ? 2 * phi * phi / q : .infinity
        }
    }

    static func bfgsUpdate(_ h: Matrix, _ s: [Double], _ y: [Double], _ sy: Double) -> Matrix {
        let n = s.count
        var hy = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n { hy[i] += h[i, j] * y[j] } }
        let yhy = zip(y, hy).reduce(0) { $0 + $1.0 * $1.1 }
        var out = h
        for i in 0..<n {
            for j in 0..<n {
                out[i, j] += (sy + yhy) * s[i] * s[j] / (sy * sy) - (hy[i] * s[j] + s[i] * hy[j]) / sy
            }
        }
        return out
    }
}

/// The REML criterion of the unstructured-covariance model, parametrized by the Cholesky factor
/// of Σ (log diagonal), so that every θ gives a positive-definite Σ.
struct REMLModel {
    let subjects: [RepeatedMeasures]
    let t: Int
    let p: Int

    struct Point {
        var beta: [Double]
        var betaCovariance: Matrix
        var sigma: Matrix
        var negativeLogLikelihood: Double
    }

    func sigma(_ theta: [Double]) -> Matrix {
        var l = Matrix(rows: t, columns: t)
        var k = 0
        for i in 0..<t {
            for j in 0...i {
                l[i, j] = i == j ? exp(theta[k]) : theta[k]
                k += 1
            }
        }
        var s = Matrix(rows: t, columns: t)
        for i in 0..<t { for j in 0..<t { for m in 0...min(i, j) { s[i, j] += l[i, m] * l[j, m] } } }
        return s
    }

    /// θ from the per-visit residual variances of ordinary least squares (a diagonal Σ).
    func start() throws -> [Double] {
        var v = [Double](repeating: 0, count: t), n = [Double](repeating: 0, count: t)
        let ols = try evaluate(identityTheta())
        for s in subjects {
            for (k, visit) in s.visits.enumerated() {
                let fitted = zip(s.rows[k], ols.beta).reduce(0) { $0 + $1.0 * $1.1 }
                v[visit] += (s.responses[k] - fitted) * (s.responses[k] - fitted); n[visit] += 1
            }
        }
        var theta: [Double] = []
        for i in 0..<t { for j in 0...i { theta.append(i == j ? 0.5 * log(max(v[i] / max(n[i] - 1, 1), 1e-8)) : 0) } }
        return theta
    }

    func identityTheta() -> [Double] { (0..<(t * (t + 1) / 2)).map { _ in 0 } }

    func negativeLogLikelihood(_ theta: [Double]) throws -> Double { try evaluate(theta).negativeLogLikelihood }

    func gradient(_ theta: [Double]) throws -> [Double] {
        try theta.indices.map { a in
            let eps = 1e-5 * max(1, abs(theta[a]))
            var up = theta, down = theta
            up[a] += eps; down[a] -= eps
            return (try negativeLogLikelihood(up) - negativeLogLikelihood(down)) / (2 * eps)
        }
    }

    func evaluate(_ theta: [Double]) throws -> Point {
        let sigma = sigma(theta)
        var xtvx = Matrix(rows: p, columns: p), xtvy = [Double](repeating: 0, count: p)
        var logDet = 0.0
        var inverses: [Matrix] = []
        for s in subjects {
            let n = s.visits.count
            var sub = Matrix(rows: n, columns: n)
            for a in 0..<n { for b in 0..<n { sub[a, b] = sigma[s.visits[a], s.visits[b]] / s.weight } }
            let chol = try sub.cholesky()
            logDet += chol.logDeterminant
            let inv = try chol.inverse()
            inverses.append(inv)
            for a in 0..<n {
                for b in 0..<n {
                    let v = inv[a, b]
                    for i in 0..<p {
                        let xi = s.rows[a][i] * v
                        xtvy[i] += xi * s.responses[b]
                        for j in 0..<p { xtvx[i, j] += xi * s.rows[b][j] }
                    }
                }
            }
        }
        let cholX = try xtvx.cholesky()
        let beta = try cholX.solve(xtvy)
        var quadratic = 0.0
        for (s, inv) in zip(subjects, inverses) {
            let r = s.responses.indices.map { s.responses[$0] - zip(s.rows[$0], beta).reduce(0) { $0 + $1.0 * $1.1 } }
            for a in r.indices { for b in r.indices { quadratic += r[a] * inv[a, b] * r[b] } }
        }
        let total = subjects.reduce(0) { $0 + $1.visits.count }
        let nll = 0.5 * (logDet + cholX.logDeterminant + quadratic + Double(total - p) * log(2 * Double.pi))
        return Point(beta: beta, betaCovariance: try cholX.inverse(), sigma: sigma, negativeLogLikelihood: nll)
    }
}
