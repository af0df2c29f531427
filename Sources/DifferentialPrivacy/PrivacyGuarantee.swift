/// A target (ε, δ) privacy budget, as a user states it before training.
public struct PrivacyBudget: Sendable, Equatable, Hashable, Codable {
    /// The ε of the (ε, δ)-DP target.
    public let epsilon: Double
    /// The δ of the (ε, δ)-DP target.
    public let delta: Double

    /// Creates a budget after checking ε > 0 and δ ∈ (0, 1).
    public init(epsilon: Double, delta: Double) throws {
        try PrivacyInputCheck.epsilon(epsilon)
        try PrivacyInputCheck.delta(delta)
        self.epsilon = epsilon
        self.delta = delta
    }
}

/// The (ε, δ) guarantee of a DP-SGD run and everything needed to recompute it, for checkpoints
/// and reports.
public struct PrivacyGuarantee: Sendable, Equatable, Hashable, Codable {
    /// The achieved ε at `delta`.
    public let epsilon: Double
    /// The δ the guarantee is stated at.
    public let delta: Double
    /// The noise multiplier σ of every step.
    public let noiseMultiplier: Double
    /// The Poisson sample rate q of every step.
    public let sampleRate: Double
    /// The number of composed steps.
    public let steps: Int
    /// The Rényi order at which the conversion to (ε, δ) was tightest.
    public let bestOrder: Double
    /// The Rényi orders the accountant minimised over.
    public let orders: [Double]

    /// Creates a guarantee from its parts; the accountant is the usual source.
    public init(
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
