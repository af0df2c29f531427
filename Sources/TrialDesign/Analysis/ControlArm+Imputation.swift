import Foundation
import Statistics

/// How missing baseline covariates were multiply imputed, and the pooled result.
package struct ImputationSummary: Sendable {
    /// Patients lacking each covariate before imputation, by arm.
    package struct Missing: Sendable {
        package var covariate: String
        package var treated: Int
        package var controls: Int
    }

    package var imputations: Int
    package var iterations: Int
    package var missing: [Missing]
    /// Each completed data set's estimate, in imputation order.
    package var estimates: [EffectEstimate]
    /// The primary estimate pooled by Rubin's rules.
    package var pooled: PooledEstimate
    /// The MMRM estimate pooled by Rubin's rules (change endpoints).
    package var repeatedMeasures: PooledEstimate?
}

extension ControlArm {
    /// Multiple imputation of the missing baseline covariates (both arms) by chained equations with
    /// predictive mean matching, the whole analysis on each completed data set, and Rubin's rules.
    ///
    /// The imputation model holds every covariate, the arm and the outcome: for a measure endpoint
    /// its value at the endpoint visit (itself imputed in the chain where missing, but never
    /// analysed), for a time to event the event indicator and the Nelson–Aalen cumulative hazard
    /// (White and Royston 2009). When the endpoint measure is itself a covariate and the baseline
    /// visit lacks it, the imputed baseline is the endpoint's baseline. Matching, balance, curves
    /// and the control patients written out are those of the first imputation; the estimate, its
    /// interval and the MMRM are pooled.
    static func analyseImputed(plan: TrialPlan, treated: [TrialSubject], pool: [TrialSubject], method: ControlMethod,
                               ratio: Int, seed: UInt64) throws(TrialDesignError) -> ControlArmResult {
        let all = treated + pool
        var groups: [[Int]] = [], names: [String] = []
        for (c, column) in plan.covariates.enumerated() where !column.isHidden {
            if let g = names.firstIndex(of: column.covariate) { groups[g].append(c) } else {
                names.append(column.covariate); groups.append([c])
            }
        }
        var data = all.map(\.covariates)
        var auxiliary = all.indices.map { [$0 < treated.count ? 1.0 : 0.0] }
        if plan.specification.endpoint.isTimeToEvent {
            let hazard = NelsonAalen.cumulativeHazard(times: all.map(\.time), events: all.map(\.event))
            for k in all.indices { auxiliary[k] += [all[k].event ? 1 : 0, hazard[k]] }
        } else {
            let outcome = plan.covariates.count
            for k in all.indices { data[k].append(all[k].values[plan.endpointVisit]) }
            if data.contains(where: { !$0[outcome].isNaN }) { groups.append([outcome]) }
        }
        let missing = names.indices.map { g in
            ImputationSummary.Missing(
                covariate: names[g],
                treated: treated.indices.filter { data[$0][groups[g][0]].isNaN }.count,
                controls: pool.indices.filter { data[treated.count + $0][groups[g][0]].isNaN }.count)
        }.filter { $0.treated + $0.controls > 0 }
        let mice = ChainedEquations(imputations: plan.specification.imputations)
        let completed: [[[Double]]]
        do { completed = try mice.complete(data, groups: groups, auxiliary: auxiliary, seed: seed) } catch {
            throw TrialDesignError("multiple imputation of the baseline covariates failed: \(error)")
        }
        let baselineColumn = plan.covariates.firstIndex {
            if case .measure(let m) = $0.source { return m == plan.endpointMeasure } else { return false }
        }
        func filled(_ set: [[Double]]) -> [TrialSubject] {
            all.indices.map { k in
                var s = all[k]
                s.covariates = Array(set[k].prefix(plan.covariates.count))
                if let b = baselineColumn, !s.values.isEmpty, s.values[0].isNaN { s.values[0] = s.covariates[b] }
                return s
            }
        }
        var results: [ControlArmResult] = []
        var first: (treated: [TrialSubject], pool: [TrialSubject])?
        for set in completed {
            let subjects = filled(set)
            let t = Array(subjects.prefix(treated.count)), p = Array(subjects.dropFirst(treated.count))
            if first == nil { first = (t, p) }
            results.append(try analyseComplete(plan: plan, treated: t, pool: p, method: method, ratio: ratio))
        }
        return try pooled(results, plan: plan, first: first!, missing: missing, iterations: mice.iterations)
    }

    private static func pooled(_ results: [ControlArmResult], plan: TrialPlan,
                               first: (treated: [TrialSubject], pool: [TrialSubject]),
                               missing: [ImputationSummary.Missing],
                               iterations: Int) throws(TrialDesignError) -> ControlArmResult {
        var result = results[0]
        let estimates = results.map(\.estimate)
        let tte = plan.specification.endpoint.isTimeToEvent
        let completeDF = tte ? Double.infinity
            : Double(estimates[0].treatedCount + estimates[0].controlCount - plan.covariates.count - 3)
        func pool(_ e: [EffectEstimate], df: Double) throws -> PooledEstimate {
            try RubinsRules.pool(estimates: e.map(\.estimate), variances: e.map { $0.standardError * $0.standardError },
                                 completeDataDF: df)
        }
        do {
            let p = try pool(estimates, df: max(completeDF, 1))
            result.estimate = EffectEstimate(p, like: estimates[0], imputations: results.count)
            var mmrm: PooledEstimate?
            let fits = results.compactMap(\.repeatedMeasures)
            if fits.count == results.count, var r = result.repeatedMeasures {
                let q = try pool(fits.map(\.estimate), df: fits[0].degreesOfFreedom)
                r.estimate = EffectEstimate(q, like: r.estimate, imputations: results.count)
                r.degreesOfFreedom = q.degreesOfFreedom
                result.repeatedMeasures = r
                mmrm = q
            } else {
                result.repeatedMeasures = nil
            }
            result.imputation = ImputationSummary(imputations: results.count, iterations: iterations, missing: missing,
                                                  estimates: estimates, pooled: p, repeatedMeasures: mmrm)
        } catch {
            throw TrialDesignError("the imputed analyses could not be pooled: \(error)")
        }
        result.sensitivity = SensitivityAnalysis.of(result, plan: plan, treated: first.treated, pool: first.pool)
        return result
    }
}

extension EffectEstimate {
    init(_ p: PooledEstimate, like e: EffectEstimate, imputations: Int) {
        self = e
        estimate = p.estimate
        standardError = p.standardError
        lower = p.lower
        upper = p.upper
        pValue = p.pValue
        method = e.method + "; pooled over \(imputations) imputations by Rubin's rules"
    }
}
