import Foundation
import Plotting
import Serialization
import Statistics

extension ControlArmResult {
    /// `balance.csv`: means, SMDs and variance ratios before and after, flagged where |SMD| > 0.1.
    package func balanceCSV() -> String {
        var lines = ["covariate,binary,treated_mean_before,control_mean_before,smd_before,variance_ratio_before,"
            + "treated_mean_after,control_mean_after,smd_after,variance_ratio_after,imbalanced_before,imbalanced_after"]
        for r in balance {
            let cells = [csvField(r.name), r.isBinary ? "1" : "0",
                         fixed(r.before.treatedMean, 4), fixed(r.before.controlMean, 4), fixed(r.smdBefore, 4),
                         r.varianceRatioBefore.map { fixed($0, 4) } ?? "",
                         fixed(r.after.treatedMean, 4), fixed(r.after.controlMean, 4), fixed(r.smdAfter, 4),
                         r.varianceRatioAfter.map { fixed($0, 4) } ?? "",
                         abs(r.smdBefore) > ControlArm.smdThreshold ? "1" : "0", r.isImbalanced ? "1" : "0"]
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The balance table as text, for the console.
    package func balanceTable() -> String {
        func row(_ cells: [String]) -> String {
            cells[0].padding(toLength: 26, withPad: " ", startingAt: 0)
                + cells.dropFirst().map { String(repeating: " ", count: max(0, 11 - $0.count)) + $0 }.joined()
        }
        var out = [row(["covariate", "SMD before", "SMD after", "VR before", "VR after"])]
        for r in balance {
            out.append(row([r.name, fixed(r.smdBefore, 3), fixed(r.smdAfter, 3), fixed(r.varianceRatioBefore, 2),
                            fixed(r.varianceRatioAfter, 2)]) + (r.isImbalanced ? "   |SMD| > 0.1" : ""))
        }
        return out.joined(separator: "\n")
    }

    /// The love plot: |SMD| per covariate before and after.
    package func lovePlotSVG(title: String) -> String {
        LovePlot(title: title, covariates: balance.map(\.name), before: balance.map(\.smdBefore),
                 after: balance.map(\.smdAfter), beforeLabel: "Before (whole pool)",
                 afterLabel: method == .match ? "After matching" : "After weighting",
                 threshold: ControlArm.smdThreshold, absolute: true).svg()
    }

    /// Mean trajectories (with 95 % CI bands) or Kaplan–Meier curves by arm.
    package func endpointSVG(plan: TrialPlan) -> String {
        if !survival.isEmpty {
            let series = survival.map { arm, km -> StepSeries in
                let ci = km.times.map {
                    (try? km.confidenceInterval(at: $0)) ?? ConfidenceInterval(lower: .nan, upper: .nan, level: 0.95)
                }
                return StepSeries(name: arm, times: [0] + km.times.map { $0 * 12 }, values: [1] + km.survival,
                                  lower: [1] + ci.map(\.lower), upper: [1] + ci.map(\.upper),
                                  censorTimes: zip(km.times, km.censored).filter { $0.1 > 0 }.map { $0.0 * 12 },
                                  endTime: plan.specification.endpoint.months)
            }
            return StepChart(title: "Kaplan–Meier: \(plan.specification.endpoint.summary) (95 % CI)",
                             xLabel: "Months from the index date", yLabel: "Event-free probability",
                             series: series).svg()
        }
        let measure = plan.endpointMeasure.map { plan.template.measures[$0].concept.text } ?? "endpoint"
        let series = trajectories.map {
            LineSeries(name: $0.arm, x: $0.months, y: $0.mean, lower: $0.lower, upper: $0.upper, showsPoints: true)
        }
        return LineChart(title: "Mean \(measure) by arm (95 % CI)", xLabel: "Months from the index date",
                         yLabel: measure, series: series).svg()
    }

    /// `results.json`.
    package func json(plan: TrialPlan, pool: ReportJSON, treatedCount: Int,
                      treatedExcluded: [TreatedArm.Exclusion],
                     treatedSource: String, trueEffect: Double?, seed: UInt64,
                     outsideMeasureRanges: [String: Int] = [:]) -> ReportJSON {
        let spec = plan.specification
        let e = estimate
        let scale = spec.endpoint.isTimeToEvent ? "log hazard ratio (treated vs control)"
            : "difference in the endpoint (treated − control)"
        var est: [(String, ReportJSON)] = [
            ("scale", .string(scale)), ("estimate", .finite(e.estimate)), ("standardError", .finite(e.standardError)),
            ("ci95", .array([.finite(e.lower), .finite(e.upper)])), ("pValue", .finite(e.pValue)),
            ("treatedAnalysed", .integer(e.treatedCount)), ("controlsAnalysed", .integer(e.controlCount)),
            ("method", .string(e.method)),
        ]
        if spec.endpoint.isTimeToEvent {
            est.append(("hazardRatio", .finite(exp(e.estimate))))
            est.append(("hazardRatioCI95", .array([.finite(exp(e.lower)), .finite(exp(e.upper))])))
        }
        if let trueEffect {
            est.append(("trueEffect", .finite(trueEffect))); est.append(("ciCoversTruth", .bool(e.covers(trueEffect))))
        }
        var members: [(String, ReportJSON)] = [
            ("trial", .string(spec.id)), ("title", .string(spec.title)),
            ("disease", .string("\(plan.template.id) \(plan.template.version)")),
            ("templateDigest", .string(plan.template.digest)), ("generator", .string(plan.generatorDescription)),
            ("endpoint", .string(spec.endpoint.summary)), ("method", .string(method.rawValue)),
            ("seed", .string(String(seed))), ("treated", .object([("source", .string(treatedSource)),
                                                                  ("patients", .integer(treatedCount)),
                                 ("excluded",
                                  .array(treatedExcluded.map {
                                      .object([("id", .string($0.id)), ("reason", .string($0.reason))])
                                  })),
                                 ("unmatched", .integer(matched?.unmatchedTreated ?? 0)),
                                 ("baselineOutsideMeasureRange", .object(outsideMeasureRanges.sorted { $0.key < $1.key }
                                     .map { ($0.key, .integer($0.value)) }))])),
            ("pool", pool),
            ("controlArm", .object([("patients", .integer(controlWeights.filter { $0 > 0 }.count)),
                                    ("effectiveSize", .finite(effectiveControls)),
                                    ("ratio", method == .match ? .integer(ratio) : .null),
                                    ("caliperLogit", .finite(matched?.caliper))])),
            ("propensityModel", .object([("terms", .array((["(Intercept)"] + propensity.names).map { .string($0) })),
                                         ("coefficientsPerSD", .array(propensity.coefficients.map { .finite($0) }))])),
            ("balance", .array(balance.map { r in
                .object([("covariate", .string(r.name)), ("smdBefore", .finite(r.smdBefore)),
                         ("smdAfter", .finite(r.smdAfter)), ("varianceRatioBefore", .finite(r.varianceRatioBefore)),
                         ("varianceRatioAfter", .finite(r.varianceRatioAfter)),
                         ("imbalancedAfter", .bool(r.isImbalanced))])
            })),
            ("estimate", .object(est)),
        ]
        if !trajectories.isEmpty {
            members.append(("trajectories", .array(trajectories.map { t in
                .object([("arm", .string(t.arm)), ("months", .array(t.months.map { .finite($0) })),
                         ("mean", .array(t.mean.map { .finite($0) })), ("n", .array(t.counts.map { .integer($0) }))])
            })))
        }
        if !survival.isEmpty {
            members.append(("kaplanMeier", .array(survival.map { arm, km in
                .object([("arm", .string(arm)), ("eventFreeAtEndpoint", .finite(km.survival(at: plan.horizonYears))),
                         ("events", .finite(km.events.reduce(0, +)))])
            })))
            if let lr = logRank {
                members.append(("logRank",
                                .object([("chiSquare", .finite(lr.chiSquare)), ("pValue", .finite(lr.pValue))])))
            }
            if let s = scoreTest {
                members.append(("robustScoreTest",
                                .object([("chiSquare", .finite(s.chiSquare)), ("pValue", .finite(s.pValue)),
                                         ("method", .string("weighted Cox model, robust (Lin-Wei) score test of "
                                             + "no difference at beta = 0, Efron ties"))])))
            }
        }
        if let s = sensitivity {
            members.append(("sensitivity", .object([
                ("riskRatioScale", .object([("estimate", .finite(s.riskRatio)), ("lower", .finite(s.riskRatioLower)),
                                            ("upper", .finite(s.riskRatioUpper)), ("conversion", .string(s.conversion))])),
                ("eValue", .finite(s.eValue)), ("eValueConfidenceLimit", .finite(s.eValueConfidenceLimit)),
                ("tippingPoint", .finite(s.tippingPoint)), ("tippingPointSD", .finite(s.tippingPointSD)),
                ("tippingPointMeaning", .string(s.tippingPointMeaning)),
                ("reference", .string("VanderWeele TJ, Ding P. Sensitivity analysis in observational research: "
                    + "introducing the E-value. Ann Intern Med 2017;167(4):268-274")),
            ])))
        }
        if let m = repeatedMeasures {
            let e = m.estimate
            members.append(("mmrm", .object([
                ("estimate", .finite(e.estimate)), ("standardError", .finite(e.standardError)),
                ("ci95", .array([.finite(e.lower), .finite(e.upper)])), ("pValue", .finite(e.pValue)),
                ("degreesOfFreedom", .finite(m.degreesOfFreedom)), ("subjects", .integer(m.subjects)),
                ("visitCovariance", .array(m.visitCovariance.map { .array($0.map { .finite($0) }) })),
                ("method", .string(e.method + "; arm weights as precision weights; model-based SE")),
            ])))
        }
        if let i = imputation {
            members.append(("imputation", imputationJSON(i)))
        }
        members.append(("effectiveSampleSize", .object([("treated", .finite(effectiveTreated)),
                                                        ("controls", .finite(effectiveControls))])))
        return .object(members)
    }

    private func imputationJSON(_ i: ImputationSummary) -> ReportJSON {
        func pooled(_ p: PooledEstimate) -> ReportJSON {
            .object([("estimate", .finite(p.estimate)), ("standardError", .finite(p.standardError)),
                     ("ci95", .array([.finite(p.lower), .finite(p.upper)])), ("pValue", .finite(p.pValue)),
                     ("withinVariance", .finite(p.withinVariance)), ("betweenVariance", .finite(p.betweenVariance)),
                     ("fractionMissingInformation", .finite(p.fractionMissingInformation)),
                     ("degreesOfFreedom", .finite(p.degreesOfFreedom)),
                     ("completeDataDegreesOfFreedom", .finite(p.completeDataDegreesOfFreedom))])
        }
        return .object([
            ("method", .string("chained equations (predictive mean matching, 5 donors, Bayesian regression draws); "
                + "imputation model: every covariate, the arm and the outcome; Rubin's rules with Barnard-Rubin df")),
            ("imputations", .integer(i.imputations)), ("iterations", .integer(i.iterations)),
            ("missing", .array(i.missing.map {
                .object([("covariate", .string($0.covariate)), ("treated", .integer($0.treated)),
                         ("controls", .integer($0.controls))])
            })),
            ("pooled", pooled(i.pooled)),
            ("mmrmPooled", i.repeatedMeasures.map(pooled) ?? .null),
            ("perImputation", .array(i.estimates.map {
                .object([("estimate", .finite($0.estimate)), ("standardError", .finite($0.standardError))])
            })),
            ("reference", .string("van Buuren S, Groothuis-Oudshoorn K. mice: Multivariate Imputation by Chained "
                + "Equations in R. J Stat Softw 2011;45(3):1-67; Barnard J, Rubin DB. Small-sample degrees of "
                + "freedom with multiple imputation. Biometrika 1999;86(4):948-955")),
        ])
    }

    /// One row per imputation: the estimate and its standard error (for re-pooling).
    package func imputationsCSV() -> String? {
        guard let i = imputation else { return nil }
        var lines = ["imputation,estimate,standard_error"]
        for (k, e) in i.estimates.enumerated() {
            lines.append("\(k + 1),\(String(format: "%.10g", e.estimate)),\(String(format: "%.10g", e.standardError))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
