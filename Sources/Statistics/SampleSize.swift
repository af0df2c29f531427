import Foundation
import Randomness

/// Patients per arm for two-arm trials with equal allocation and a two-sided test.
package enum SampleSize {
    /// Per arm, to detect a difference `delta` in the mean of a normal outcome with SD `sd`:
    /// `2 (z₁₋α/₂ + z₁₋β)² σ² / δ²`, rounded up.
    package static func perArm(meanDifference delta: Double, sd: Double, power: Double, alpha: Double = 0.05) -> Int? {
        guard delta != 0, sd > 0, power > 0, power < 1, alpha > 0, alpha < 1 else { return nil }
        let z = NormalDistribution.quantile(1 - alpha / 2) + NormalDistribution.quantile(power)
        let n = 2 * z * z * sd * sd / (delta * delta)
        return max(1, Int((n - 1e-9).rounded(.up)))
    }

    /// Events needed to detect hazard ratio `hr` with a log-rank test (Schoenfeld 1981):
    /// `4 (z₁₋α/₂ + z₁₋β)² / (ln HR)²`, rounded up.
    package static func events(hazardRatio hr: Double, power: Double, alpha: Double = 0.05) -> Int? {
        guard hr > 0, hr != 1, power > 0, power < 1, alpha > 0, alpha < 1 else { return nil }
        let z = NormalDistribution.quantile(1 - alpha / 2) + NormalDistribution.quantile(power)
        let log = Foundation.log(hr)
        return Int((4 * z * z / (log * log) - 1e-9).rounded(.up))
    }

    /// Per arm, to collect `events` when a control patient has the event with probability
    /// `controlProbability` over follow-up and a treated one with `1 − (1 − p)^HR` (proportional hazards).
    package static func perArm(events: Int, controlProbability p: Double, hazardRatio hr: Double) -> Int? {
        guard p > 0, p < 1, hr > 0 else { return nil }
        let treated = 1 - Foundation.pow(1 - p, hr)
        return Int((Double(events) / (p + treated) - 1e-9).rounded(.up))
    }
}
