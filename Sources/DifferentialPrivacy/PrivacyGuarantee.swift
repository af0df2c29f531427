/// A target (ε, δ) privacy budget, as a user states it before training.
package struct PrivacyBudget: Sendable, Equatable, Hashable, Codable {
    /// The ε of the (ε, δ)-DP target.
    package let epsilon: Double
    /// The δ of the (ε, δ)-DP target.
    package let delta: Double

    /// Creates a budget after checking ε > 0 and δ ∈ (0, 1).
    package init(epsilon: Double, delta: Double) throws {
        try PrivacyInputCheck.epsilon(epsilon)
        try PrivacyInputCheck.delta(delta)
        self.epsilon = epsilon
        self.delta = delta
    }
}

/// The (ε, δ) guarantee of a DP-SGD run and everything needed to recompute it, for checkpoints
/// and reports.
package struct PrivacyGuarantee: Sendable, Equatable, Hashable, Codable {
    /// The achieved ε at `delta`.
    package let epsilon: Double
    /// The δ the guarantee is stated at.
    package let delta: Double
    /// The noise multiplier σ of every step.
    package let noiseMultiplier: Double
    /// The Poisson sample rate q of every step.
    package let sampleRate: Double
    /// The number of composed steps.
    package let steps: Int
    /// The Rényi order at which the conversion to (ε, δ) was tightest.
    package let bestOrder: Double
    /// The Rényi orders the accountant minimised over.
    package let orders: [Double]

    /// Creates a guarantee from its parts; the accountant is the usual source.
    package init(
        epsilon: Double, delta: Double, noiseMultiplier: Double, sampleRate: Double,
        steps: Int, bestOrder: Double, orders: [Double]
    ) {
        self.epsilon = epsilon
        self.delta = delta
        self.noiseMultiplier = noiseMultiplier
        self.sampleRate = sampleRate
        self.steps = steps
        self.bestOrder = bestOrder
        self.orders = orders
    }
}
