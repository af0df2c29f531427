import Foundation
import Statistics

/// The MMRM beside the ANCOVA for a change endpoint: the change from baseline at every
/// post-baseline visit up to the endpoint, with visit-specific intercept, treatment, baseline and
/// standardized covariates (the ANCOVA's design columns), an unstructured covariance between
/// visits, REML, the arm weights as precision weights, and Satterthwaite degrees of freedom. The
/// estimate is the treatment effect at the endpoint visit; patients with any post-baseline value
/// count, so those who leave early still inform it (missing at random).
package struct RepeatedMeasuresEstimate: Sendable {
    package var estimate: EffectEstimate
    package var degreesOfFreedom: Double
    package var visitCovariance: [[Double]]
    package var subjects: Int
}

extension ControlArmResult {
    static func repeatedMeasures(plan: TrialPlan, treated: [TrialSubject], pool: [TrialSubject],
                                 treatedWeights: [Double], controlWeights: [Double]) -> RepeatedMeasuresEstimate? {
        guard case .change = plan.specification.endpoint, plan.endpointVisit >= 1 else { return nil }
        let all = treated + pool
        let weights = treatedWeights + controlWeights
        let isTreated = treated.map { _ in 1.0 } + pool.map { _ in 0.0 }
        let visits = plan.endpointVisit
        let kept = all.indices.filter { k in
            weights[k] > 0 && all[k].baseline.isFinite && (1...visits).contains { all[k].values[$0].isFinite }
        }
        let design = DesignColumns.endpointAdjustment(rows: kept.map { all[$0].covariates }, plan: plan)
        let z = design.regressors(kept.map { all[$0].covariates })
        let q = 3 + z.count, p = visits * q
        var subjects: [RepeatedMeasures] = []
        for (r, k) in kept.enumerated() {
            var s = RepeatedMeasures(visits: [], responses: [], rows: [], weight: weights[k])
            for v in 1...visits where all[k].values[v].isFinite {
                var row = [Double](repeating: 0, count: p)
                let base = (v - 1) * q
                row[base] = 1; row[base + 1] = isTreated[k]; row[base + 2] = all[k].baseline
                for (j, column) in z.enumerated() { row[base + 3 + j] = column.values[r] }
                s.visits.append(v - 1); s.responses.append(all[k].values[v] - all[k].baseline); s.rows.append(row)
            }
            subjects.append(s)
        }
        let nt = kept.filter { isTreated[$0] == 1 }.count
        guard nt >= 2, kept.count - nt >= 2, kept.count > q + 1,
              let fit = try? MMRM.fit(subjects, visitCount: visits, p: p),
              let e = try? fit.estimate((visits - 1) * q + 1, name: "treatment at the endpoint visit") else { return nil }
        let t = fit.visitCovariance
        return RepeatedMeasuresEstimate(
            estimate: EffectEstimate(e, treated: nt, control: kept.count - nt,
                                     method: "MMRM (REML, unstructured covariance, Satterthwaite df)"),
            degreesOfFreedom: fit.degreesOfFreedom[(visits - 1) * q + 1],
            visitCovariance: (0..<visits).map { a in (0..<visits).map { t[a, $0] } }, subjects: kept.count)
    }
}
