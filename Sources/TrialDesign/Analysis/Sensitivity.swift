import Foundation
import Statistics

/// How robust a control-arm comparison is to confounding the propensity model cannot see:
/// E-values (VanderWeele & Ding 2017) and the tipping-point bias of the external controls.
package struct SensitivityAnalysis: Sendable {
    /// The estimate and its CI limits on the approximate risk-ratio scale the E-values use.
    package var riskRatio: Double
    package var riskRatioLower: Double
    package var riskRatioUpper: Double
    /// The E-values of the estimate and of the CI limit nearest the null (1: the CI contains it).
    package var eValue: Double
    package var eValueConfidenceLimit: Double
    /// How the effect was put on the risk-ratio scale.
    package var conversion: String
    /// The bias in the controls' outcome at which the CI would reach the null: points of the
    /// endpoint (difference), or a factor on the hazard ratio; nil when the CI already contains it.
    package var tippingPoint: Double?
    /// The tipping point in outcome SDs (difference endpoints only).
    package var tippingPointSD: Double?
    package var tippingPointMeaning: String

    /// The analysis of `result`, with the outcome SD (difference endpoints) or the share of
    /// analysed patients with the event (time-to-event endpoints).
    package static func of(_ result: ControlArmResult, plan: TrialPlan, treated: [TrialSubject],
                           pool: [TrialSubject]) -> SensitivityAnalysis {
        let e = result.estimate
        if plan.specification.endpoint.isTimeToEvent {
            let analysed = treated.indices.filter { result.treatedWeights[$0] > 0 }.map { treated[$0] }
                + pool.indices.filter { result.controlWeights[$0] > 0 }.map { pool[$0] }
            let share = Double(analysed.filter(\.event).count) / Double(max(analysed.count, 1))
            let rare = share < 0.15
            let rr = { (log: Double) in EValue.riskRatio(hazardRatio: exp(log), outcomeIsRare: rare) }
            let (est, lo, hi) = (rr(e.estimate), rr(e.lower), rr(e.upper))
            let ev = EValue.riskRatio(estimate: est, lower: lo, upper: hi)
            let significant = e.upper < 0 || e.lower > 0
            let tip = significant ? exp(-(e.upper < 0 ? e.upper : e.lower)) : nil
            return SensitivityAnalysis(
                riskRatio: est, riskRatioLower: lo, riskRatioUpper: hi, eValue: ev.estimate,
                eValueConfidenceLimit: ev.confidenceLimit,
                conversion: rare ? "hazard ratio as a risk ratio (events in \(percent(share)) of patients: rare)"
                    : "hazard ratio to a risk ratio by (1 − 0.5^√HR)/(1 − 0.5^√(1/HR)) "
                        + "(events in \(percent(share)))",
                tippingPoint: tip, tippingPointSD: nil,
                tippingPointMeaning: "the factor by which the controls' hazard would have to be overstated for "
                    + "the 95 % CI of the hazard ratio to reach 1")
        }
        let outcomes = pool.indices.filter { result.controlWeights[$0] > 0 }.map { pool[$0].outcome(plan) }
            .filter(\.isFinite)
        let sd = (try? Descriptive.standardDeviation(outcomes)) ?? .nan
        let rr = EValue.riskRatio(difference: e.estimate, standardError: e.standardError, outcomeSD: sd)
        let ev = EValue.riskRatio(estimate: rr.estimate, lower: rr.lower, upper: rr.upper)
        let significant = e.upper < 0 || e.lower > 0
        let tip = significant ? abs(e.upper < 0 ? e.upper : e.lower) : nil
        return SensitivityAnalysis(
            riskRatio: rr.estimate, riskRatioLower: rr.lower, riskRatioUpper: rr.upper, eValue: ev.estimate,
            eValueConfidenceLimit: ev.confidenceLimit,
            conversion: "standardized difference d = difference / SD of the controls' outcome "
                + "(\(String(format: "%.3g", sd))), RR ≈ exp(0.91 d)",
            tippingPoint: tip, tippingPointSD: tip.map { $0 / sd },
            tippingPointMeaning: "how far the controls' mean outcome would have to be off, in the direction "
                + "that favours treatment, for the 95 % CI of the difference to reach 0")
    }

    private static func percent(_ x: Double) -> String { String(format: "%.0f %%", 100 * x) }
}
