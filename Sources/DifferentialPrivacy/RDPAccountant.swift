import Foundation

/// Composes the Rényi-DP of DP-SGD steps and converts the total to an (ε, δ) guarantee.
///
/// RDP composes by addition at each order, so the accountant keeps one running total per order.
/// The conversion is Balle et al. (2020), Theorem 21:
/// ε = rdp(α) − (ln δ + ln α)/(α − 1) + ln((α − 1)/α), minimised over the orders.
package struct RDPAccountant: Sendable, Equatable, Codable {
    /// The orders Opacus uses by default: 1.1, 1.2, …, 10.9 and the integers 12…63.
    package static let defaultOrders: [Double] =
        (1..<100).map { 1 + Double($0) / 10 } + (12...63).map { Double($0) }

    /// The Rényi orders tracked.
    package let orders: [Double]
    /// The composed RDP at each order.
    package private(set) var rdp: [Double]
    /// The steps composed so far, summed over every `compose` call.
    package private(set) var steps: Int

    /// An accountant with nothing composed yet.
    package init(orders: [Double] = RDPAccountant.defaultOrders) throws {
        try PrivacyInputCheck.orders(orders)
        self.orders = orders
        self.rdp = Array(repeating: 0, count: orders.count)
        self.steps = 0
    }

    /// Adds `steps` steps of the sampled Gaussian mechanism to the total.
    package mutating func compose(_ mechanism: SampledGaussianMechanism, steps: Int) throws {
        try PrivacyInputCheck.steps(steps)
        let perStep = mechanism.rdp(orders: orders)
        for k in rdp.indices {
            rdp[k] += perStep[k] * Double(steps)
        }
        self.steps += steps
    }

    /// The tightest ε at `delta` over the tracked orders, and the order attaining it.
    package func epsilon(delta: Double) throws -> (epsilon: Double, order: Double) {
        try Self.epsilon(rdp: rdp, orders: orders, delta: delta)
    }

    /// Converts RDP values at `orders` to the tightest (ε, δ) guarantee (Balle et al. 2020).
    /// ε is floored at 0; an order whose RDP is infinite or NaN never wins.
    package static func epsilon(
        rdp: [Double], orders: [Double], delta: Double
    ) throws -> (epsilon: Double, order: Double) {
        try PrivacyInputCheck.delta(delta)
        try PrivacyInputCheck.orders(orders)
        guard rdp.count == orders.count else {
            throw PrivacyAccountingError.invalid(
                "got \(rdp.count) RDP values for \(orders.count) orders")
        }
        let logDelta = Foundation.log(delta)
        var best = Double.infinity
        var bestOrder = orders[0]
        for (value, a) in zip(rdp, orders) {
            let eps = value - (logDelta + Foundation.log(a)) / (a - 1) + Foundation.log((a - 1) / a)
            if eps < best {
                best = eps
                bestOrder = a
            }
        }
        return (Swift.max(0, best), bestOrder)
    }

    /// The guarantee of `steps` DP-SGD steps with sample rate q and noise multiplier σ.
    package static func guarantee(
        sampleRate: Double, noiseMultiplier: Double, steps: Int, delta: Double,
        orders: [Double] = RDPAccountant.defaultOrders
    ) throws -> PrivacyGuarantee {
        let mechanism = try SampledGaussianMechanism(
            sampleRate: sampleRate, noiseMultiplier: noiseMultiplier)
        var accountant = try RDPAccountant(orders: orders)
        try accountant.compose(mechanism, steps: steps)
        let (eps, order) = try accountant.epsilon(delta: delta)
        return PrivacyGuarantee(
            epsilon: eps, delta: delta, noiseMultiplier: noiseMultiplier, sampleRate: sampleRate,
            steps: steps, bestOrder: order, orders: orders)
    }
}
