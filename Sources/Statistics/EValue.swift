import Foundation

/// E-values (VanderWeele & Ding 2017, Ann Intern Med 167:268-274): the minimum strength of
/// association, on the risk-ratio scale, that an unmeasured confounder would need with both the
/// treatment and the outcome to explain away an estimate or its confidence limit.
package enum EValue {
    /// The E-value of a risk ratio: `RR + sqrt(RR (RR − 1))`, with RR < 1 inverted first.
    package static func riskRatio(_ rr: Double) -> Double {
        guard rr.isFinite, rr > 0 else { return .nan }
        let r = rr < 1 ? 1 / rr : rr
        return r + (r * (r - 1)).squareRoot()
    }

    /// The E-values of an estimate and of its confidence limit nearest the null (1 when the
    /// interval contains the null), all on the risk-ratio scale.
    package static func riskRatio(estimate: Double, lower: Double, upper: Double)
        -> (estimate: Double, confidenceLimit: Double) {
        let e = riskRatio(estimate)
        if lower <= 1 && upper >= 1 { return (e, 1) }
        return (e, riskRatio(estimate > 1 ? lower : upper))
    }

    /// A hazard ratio as a risk ratio: the hazard ratio itself when the outcome is rare (under
    /// 15 % by the end of follow-up), else `(1 − 0.5^√HR) / (1 − 0.5^√(1/HR))`.
    package static func riskRatio(hazardRatio hr: Double, outcomeIsRare: Bool) -> Double {
        guard !outcomeIsRare else { return hr }
        let s = hr.squareRoot()
        return (1 - pow(0.5, s)) / (1 - pow(0.5, 1 / s))
    }

    /// A difference in means as an approximate risk ratio: `exp(0.91 d)` for the standardized
    /// difference `d = difference / sd`, with limits `exp(0.91 d ∓ 1.78 SE_d)`.
    package static func riskRatio(difference: Double, standardError: Double, outcomeSD sd: Double)
        -> (estimate: Double, lower: Double, upper: Double) {
        let d = difference / sd, s = standardError / sd
        return (exp(0.91 * d), exp(0.91 * d - 1.78 * s), exp(0.91 * d + 1.78 * s))
    }
}
