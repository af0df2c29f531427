import Foundation

/// The Cox partial likelihood and its derivatives, computed in one pass over risk sets.
/// Covariates are centered beforehand, so `exp(η)` stays in range.
struct CoxLikelihood {
    let x: Matrix          // n × p, centered
    let times: [Double]
    let events: [Bool]
    let weights: [Double]
    let ties: CoxTieMethod
    /// Subjects grouped by distinct time, latest time first.
    let groups: [[Int]]

    init(x: Matrix, times: [Double], events: [Bool], weights: [Double], ties: CoxTieMethod) {
        self.x = x; self.times = times; self.events = events; self.weights = weights; self.ties = ties
        let order = times.indices.sorted { times[$0] > times[$1] }
        var groups: [[Int]] = []
        for i in order {
            if let last = groups.last?.first, times[last] == times[i] {
                groups[groups.count - 1].append(i)
            } else {
                groups.append([i])
            }
        }
        self.groups = groups
    }

    /// Per-time pieces the score residuals need, keyed by group index.
    struct TimeTerms {
        var hazard = 0.0          // Σₖ hₖ
        var hazardMean: [Double]  // Σₖ hₖ x̄ₖ
        var efronHazard = 0.0     // Σₖ (1 - k/d) hₖ, the share seen by the dying
        var efronMean: [Double]   // Σₖ (1 - k/d) hₖ x̄ₖ
        var deathMean: [Double]   // (1/d) Σₖ x̄ₖ
    }

    struct Evaluation: NewtonPoint {
        var logLikelihood: Double
        var gradient: [Double]
        var information: Matrix
        var terms: [TimeTerms]
        var objective: Double { logLikelihood }
    }

    func evaluate(_ beta: [Double]) -> Evaluation {
        let n = x.rows, p = x.columns
        var eta = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<p { eta[i] += x[i, j] * beta[j] } }
        let risk = eta.map { Foundation.exp($0) }
        var s0 = 0.0, s1 = [Double](repeating: 0, count: p), s2 = Matrix(rows: p, columns: p)
        var ll = 0.0, grad = [Double](repeating: 0, count: p), info = Matrix(rows: p, columns: p)
        var terms: [TimeTerms] = []
        terms.reserveCapacity(groups.count)
        for group in groups {
            var d0 = 0.0, d1 = [Double](repeating: 0, count: p), d2 = Matrix(rows: p, columns: p)
            var deaths = 0, deathWeight = 0.0
            for i in group {
                let wr = weights[i] * risk[i]
                s0 += wr
                Self.accumulate(&s1, &s2, x, i, wr)
                if events[i] && weights[i] > 0 {
                    deaths += 1
                    deathWeight += weights[i]
                    d0 += wr
                    Self.accumulate(&d1, &d2, x, i, wr)
                    ll += weights[i] * eta[i]
                    for j in 0..<p { grad[j] += weights[i] * x[i, j] }
                }
            }
            var t = TimeTerms(hazardMean: .init(repeating: 0, count: p), efronMean: .init(repeating: 0, count: p),
                              deathMean: .init(repeating: 0, count: p))
            if deaths > 0 {
                let meanWeight = deathWeight / Double(deaths)
                for k in 0..<deaths {
                    let f = ties == .efron ? Double(k) / Double(deaths) : 0
                    let phi0 = s0 - f * d0
                    let h = meanWeight / phi0
                    ll -= meanWeight * Foundation.log(phi0)
                    t.hazard += h
                    t.efronHazard += (1 - f) * h
                    var mean = [Double](repeating: 0, count: p)
                    for j in 0..<p {
                        mean[j] = (s1[j] - f * d1[j]) / phi0
                        grad[j] -= meanWeight * mean[j]
                        t.hazardMean[j] += h * mean[j]
                        t.efronMean[j] += (1 - f) * h * mean[j]
                        t.deathMean[j] += mean[j] / Double(deaths)
                    }
                    for j in 0..<p {
                        for l in j..<p {
                            let second = (s2[j, l] - f * d2[j, l]) / phi0
                            info[j, l] += meanWeight * (second - mean[j] * mean[l])
                        }
                    }
                }
            }
            terms.append(t)
        }
        for j in 0..<p { for l in 0..<j { info[j, l] = info[l, j] } }
        return Evaluation(logLikelihood: ll, gradient: grad, information: info, terms: terms)
    }

    private static func accumulate(_ v: inout [Double], _ m: inout Matrix, _ x: Matrix, _ i: Int, _ c: Double) {
        let p = x.columns
        for j in 0..<p {
            let cx = c * x[i, j]
            v[j] += cx
            for l in j..<p { m[j, l] += cx * x[i, l] }
        }
    }

    /// `Σᵢ wᵢ² Lᵢ Lᵢᵀ` with `Lᵢ` the score residuals (Efron-adjusted as in R's `coxph`): the meat of
    /// the Lin–Wei robust covariance.
    func scoreResidualMeat(_ beta: [Double], _ terms: [TimeTerms]) -> Matrix {
        let p = x.columns
        var meat = Matrix(rows: p, columns: p)
        var cumHazard = 0.0, cumMean = [Double](repeating: 0, count: p)
        // Groups are latest first; residuals need hazards accumulated from the earliest time.
        for g in stride(from: groups.count - 1, through: 0, by: -1) {
            let t = terms[g]
            for i in groups[g] {
                var eta = 0.0
                for j in 0..<p { eta += x[i, j] * beta[j] }
                let r = Foundation.exp(eta)
                let dies = events[i] && weights[i] > 0
                let h = cumHazard + (dies ? t.efronHazard : t.hazard)
                var residual = [Double](repeating: 0, count: p)
                for j in 0..<p {
                    let m = cumMean[j] + (dies ? t.efronMean[j] : t.hazardMean[j])
                    residual[j] = (dies ? x[i, j] - t.deathMean[j] : 0) - r * (x[i, j] * h - m)
                }
                let w2 = weights[i] * weights[i]
                for j in 0..<p { for l in 0..<p { meat[j, l] += w2 * residual[j] * residual[l] } }
            }
            cumHazard += t.hazard
            for j in 0..<p { cumMean[j] += t.hazardMean[j] }
        }
        return meat
    }
}
