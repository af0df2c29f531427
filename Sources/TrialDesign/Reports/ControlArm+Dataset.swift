import Foundation
import Serialization
import Statistics

/// Where a candidate of the analysis came from, for the analysis dataset.
package enum SubjectOrigin: String, Sendable {
    case treated
    case simulatedControl = "simulated-control"
    case externalControl = "external-control"
}

extension ControlArmResult {
    /// The analysis dataset (ADaM-like, one row per patient): every treated patient and every pool
    /// candidate (in the control arm or not), their index date, baseline covariates, propensity
    /// score, weight, matched set, endpoint data and whether they were analysed, then one row per
    /// patient left out before the analysis with the reason. `X_*` are the standardized design
    /// columns of the endpoint model as fitted, so that the model can be refitted exactly.
    package func analysisDataset(plan: TrialPlan, treated: [TrialSubject], pool: [TrialSubject],
                                 poolOrigins: [SubjectOrigin], excluded: [(id: String, origin: SubjectOrigin,
                                                                           reason: String)]) -> String {
        let design = endpointDesign(plan: plan, treated: treated, pool: pool)
        let spec = plan.specification
        var header = ["USUBJID", "ORIGIN", "ARM", "IN_ARM", "INDEX_DATE"]
        header += plan.covariates.map { "COV_" + $0.name }
        header += ["PS", "LOGIT_PS", "WEIGHT", "MATCHED_SET"]
        if spec.endpoint.isTimeToEvent {
            header += ["TIME_Y", "EVENT"]
        } else {
            header += spec.visitMonths.map { "AVAL_M" + DatasetFormat.number($0) } + ["BASE", "OUTCOME"]
        }
        header += design.names.map { "X_" + $0 } + ["ANALYSED", "EXCLUSION"]
        var lines = [csvLine(header)]
        let sets = matchedSets(treated: treated, pool: pool)
        for (group, subjects) in [(true, treated), (false, pool)] {
            for (i, s) in subjects.enumerated() {
                let k = group ? i : treated.count + i
                let weight = group ? treatedWeights[i] : controlWeights[i]
                let logit = group ? propensity.treatedLogits[i] : propensity.controlLogits[i]
                var row = [s.id, group ? SubjectOrigin.treated.rawValue : poolOrigins[i].rawValue,
                           group ? spec.treatedArm.id : spec.controlArm.id, weight > 0 ? "1" : "0", s.indexDay.iso]
                row += s.covariates.map(DatasetFormat.number)
                row += [DatasetFormat.number(LogisticRegression.logistic(logit)), DatasetFormat.number(logit),
                        DatasetFormat.number(weight), sets[k] ?? ""]
                if spec.endpoint.isTimeToEvent {
                    row += [DatasetFormat.number(s.time), s.event ? "1" : "0"]
                } else {
                    row += s.values.map(DatasetFormat.number) + [DatasetFormat.number(s.baseline),
                                                                 DatasetFormat.number(s.outcome(plan))]
                }
                let x = design.rows[k]
                row += x.map { $0.map(DatasetFormat.number) ?? "" }
                // A treated patient left without a control is in the dataset; say why they are not analysed.
                let unmatched = group && weight == 0 && matched != nil
                row += [design.analysed[k] ? "1" : "0", unmatched ? "no control within the caliper" : ""]
                lines.append(csvLine(row))
            }
        }
        let blanks = header.count - 4
        for e in excluded {
            lines.append(csvLine([e.id, e.origin.rawValue, e.origin == .treated ? spec.treatedArm.id : spec.controlArm.id,
                                  "0"] + [String](repeating: "", count: blanks - 2) + ["0", e.reason]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// For each patient (treated first, then pool), the id of the treated patient whose matched set
    /// they belong to.
    private func matchedSets(treated: [TrialSubject], pool: [TrialSubject]) -> [Int: String] {
        guard let matched else { return [:] }
        var sets: [Int: String] = [:]
        for (t, controls) in matched.matches.enumerated() where !controls.isEmpty {
            sets[t] = treated[t].id
            for c in controls { sets[treated.count + c] = treated[t].id }
        }
        return sets
    }

    /// The endpoint model's design as fitted: which patients enter it and their standardized columns.
    private func endpointDesign(plan: TrialPlan, treated: [TrialSubject], pool: [TrialSubject])
        -> (names: [String], rows: [[Double?]], analysed: [Bool]) {
        let all = treated + pool
        let weights = treatedWeights + controlWeights
        let isMeasure = !plan.specification.endpoint.isTimeToEvent
        let analysed = all.indices.map { k in
            weights[k] > 0 && (!isMeasure || (all[k].outcome(plan).isFinite && all[k].baseline.isFinite))
        }
        guard isMeasure else { return ([], all.map { _ in [] }, analysed) }
        let kept = all.indices.filter { analysed[$0] }
        let design = DesignColumns.endpointAdjustment(rows: kept.map { all[$0].covariates }, plan: plan)
        let regressors = design.regressors(kept.map { all[$0].covariates })
        var rows = [[Double?]](repeating: [Double?](repeating: nil, count: regressors.count), count: all.count)
        for (r, k) in kept.enumerated() { rows[k] = regressors.map { $0.values[r] } }
        return (design.names, rows, analysed)
    }
}

/// Numbers in the analysis files: shortest round-trip text, empty for NaN.
enum DatasetFormat {
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "" }
        return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
    }
}

extension ControlArmResult {
    /// The Kaplan–Meier curve of each arm as a table: every event or censoring time with the
    /// numbers at risk, events and censorings (weighted), survival and its 95 % log(−log) interval.
    package func kaplanMeierCSV() -> String {
        var lines = ["arm,time_years,at_risk,events,censored,survival,lower95,upper95"]
        for (arm, km) in survival {
            for i in km.times.indices {
                let ci = try? km.confidenceInterval(at: km.times[i])
                lines.append(csvLine([arm, DatasetFormat.number(km.times[i]), DatasetFormat.number(km.atRisk[i]),
                                      DatasetFormat.number(km.events[i]), DatasetFormat.number(km.censored[i]),
                                      DatasetFormat.number(km.survival[i]),
                                      ci.map { DatasetFormat.number($0.lower) } ?? "",
                                      ci.map { DatasetFormat.number($0.upper) } ?? ""]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The disposition of both arms, step by step: `(arm, step, patients)`.
    package func dispositionCSV(_ steps: [(arm: String, step: String, patients: Int)]) -> String {
        (["arm,step,patients"] + steps.map { csvLine([$0.arm, $0.step, String($0.patients)]) })
            .joined(separator: "\n") + "\n"
    }
}
