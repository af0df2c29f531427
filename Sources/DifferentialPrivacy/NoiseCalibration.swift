/// Finds the smallest noise multiplier that keeps a DP-SGD run within a privacy budget.
package enum NoiseCalibration {
    /// The largest noise multiplier tried by default; beyond it training no longer learns.
    package static let defaultMaxNoiseMultiplier = 1000.0

    /// The smallest σ (to relative precision `tolerance`) whose guarantee meets `budget.epsilon`
    /// after `steps` steps at sample rate q; the returned guarantee is never above the target.
    ///
    /// ε falls monotonically as σ rises, so bisection brackets the answer. Throws
    /// `.unreachableTarget` when even `maxNoiseMultiplier` overshoots the budget.
    package static func noiseMultiplier(
        budget: PrivacyBudget, sampleRate: Double, steps: Int,
        orders: [Double] = RDPAccountant.defaultOrders,
        maxNoiseMultiplier: Double = NoiseCalibration.defaultMaxNoiseMultiplier,
        tolerance: Double = 1e-6
    ) throws -> PrivacyGuarantee {
        try PrivacyInputCheck.sampleRate(sampleRate)
        try PrivacyInputCheck.steps(steps)
        try PrivacyInputCheck.orders(orders)
        try PrivacyInputCheck.noiseMultiplier(maxNoiseMultiplier)
        guard tolerance > 0, tolerance < 1 else {
            throw PrivacyAccountingError.invalid("tolerance must lie in (0, 1), got \(tolerance)")
        }
        func guarantee(_ sigma: Double) throws -> PrivacyGuarantee {
            try RDPAccountant.guarantee(
                sampleRate: sampleRate, noiseMultiplier: sigma, steps: steps,
                delta: budget.delta, orders: orders)
        }
        var high = try guarantee(maxNoiseMultiplier)
        guard high.epsilon <= budget.epsilon else {
            throw PrivacyAccountingError(
                .unreachableTarget,
                "epsilon \(budget.epsilon) at delta \(budget.delta) cannot be reached with "
                    + "\(steps) steps at sample rate \(sampleRate): even noise multiplier "
                    + "\(maxNoiseMultiplier) gives epsilon \(high.epsilon); "
                    + "use fewer steps, a smaller sample rate, or a larger budget")
        }
        // Halving first finds the order of magnitude cheaply; σ → 0 sends ε to infinity,
        // so the loop ends well before the floor.
        var low = 0.0
        while high.noiseMultiplier > 1e-3 {
            let half = try guarantee(high.noiseMultiplier / 2)
            if half.epsilon > budget.epsilon {
                low = half.noiseMultiplier
                break
            }
            high = half
        }
        while high.noiseMultiplier - low > tolerance * high.noiseMultiplier {
            let mid = try guarantee(0.5 * (low + high.noiseMultiplier))
            if mid.epsilon <= budget.epsilon {
                high = mid
            } else {
                low = mid.noiseMultiplier
            }
        }
        return high
    }
}
