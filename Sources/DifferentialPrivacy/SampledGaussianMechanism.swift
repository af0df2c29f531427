import Foundation

/// The sampled Gaussian mechanism: Poisson-subsample each record with probability `sampleRate`,
/// then add Gaussian noise of standard deviation `noiseMultiplier` × sensitivity to the sum.
///
/// Its Rényi-DP follows Mironov, Talwar & Zhang (2019), "Rényi Differential Privacy of the
/// Sampled Gaussian Mechanism", §3.3, in the same form as TF-Privacy and Opacus so that the
/// numbers can be checked against theirs.
package struct SampledGaussianMechanism: Sendable, Equatable, Codable {
    /// The probability q that any one record joins a step's batch.
    package let sampleRate: Double
    /// The noise standard deviation σ divided by the L2 sensitivity (the clipping norm).
    package let noiseMultiplier: Double

    /// Creates the mechanism after checking q ∈ (0, 1] and σ > 0.
    package init(sampleRate: Double, noiseMultiplier: Double) throws {
        try PrivacyInputCheck.sampleRate(sampleRate)
        try PrivacyInputCheck.noiseMultiplier(noiseMultiplier)
        self.sampleRate = sampleRate
        self.noiseMultiplier = noiseMultiplier
    }

    /// The RDP ε(α) of one step at order α > 1; +inf where the series cannot be evaluated,
    /// which is conservative because such an order then never wins the minimisation.
    package func rdp(order alpha: Double) -> Double {
        precondition(alpha > 1, "Rényi order must exceed 1")
        let q = sampleRate, sigma = noiseMultiplier
        if q == 1 { return alpha / (2 * sigma * sigma) }
        if alpha.isInfinite { return .infinity }
        let logA: Double?
        if alpha == alpha.rounded(), alpha < Double(Int32.max) {
            logA = Self.logAIntegerOrder(q: q, sigma: sigma, alpha: Int(alpha))
        } else {
            logA = Self.logAFractionalOrder(q: q, sigma: sigma, alpha: alpha)
        }
        guard let logA, !logA.isNaN else { return .infinity }
        return Swift.max(0, logA / (alpha - 1))
    }

    /// The RDP of one step at each order.
    package func rdp(orders: [Double]) -> [Double] {
        orders.map { rdp(order: $0) }
    }

    /// log A_α for integer α: the exact binomial expansion
    /// A_α = Σ_i C(α, i) q^i (1 − q)^(α − i) exp((i² − i) / (2σ²)).
    static func logAIntegerOrder(q: Double, sigma: Double, alpha: Int) -> Double {
        let logQ = Foundation.log(q)
        let log1mQ = Foundation.log1p(-q)
        let twoSigma2 = 2 * sigma * sigma
        var logA = -Double.infinity
        var logBinomial = 0.0
        for i in 0...alpha {
            if i > 0 {
                logBinomial += Foundation.log(Double(alpha - i + 1)) - Foundation.log(Double(i))
            }
            let fi = Double(i)
            let term = logBinomial + fi * logQ + Double(alpha - i) * log1mQ + (fi * fi - fi) / twoSigma2
            logA = LogSpace.add(logA, term)
        }
        return logA
    }

    /// log A_α for fractional α: the two-sided series of Mironov et al. §3.3, splitting the
    /// integral at z0 = σ² ln(1/q − 1) + 1/2 and summing until both tails fall below e^−30.
    /// Returns nil when cancellation makes a partial sum negative (the series is then unusable).
    static func logAFractionalOrder(q: Double, sigma: Double, alpha: Double) -> Double? {
        let logQ = Foundation.log(q)
        let log1mQ = Foundation.log1p(-q)
        let twoSigma2 = 2 * sigma * sigma
        let sqrt2Sigma = 2.0.squareRoot() * sigma
        let logHalf = -Foundation.log(2.0)
        let z0 = sigma * sigma * Foundation.log(1 / q - 1) + 0.5
        var logA0 = -Double.infinity, logA1 = -Double.infinity
        // The generalised binomial C(α, i), carried as log-magnitude and sign.
        var logCoef = 0.0
        var coefPositive = true
        // Terms decay geometrically once i passes α; the cap only guards against NaN inputs.
        for i in 0..<100_000 {
            if i > 0 {
                let factor = (alpha - Double(i) + 1) / Double(i)
                logCoef += Foundation.log(Swift.abs(factor))
                if factor < 0 { coefPositive.toggle() }
            }
            let fi = Double(i)
            let j = alpha - fi
            let logT0 = logCoef + fi * logQ + j * log1mQ
            let logT1 = logCoef + j * logQ + fi * log1mQ
            let logE0 = logHalf + LogSpace.logErfc((fi - z0) / sqrt2Sigma)
            let logE1 = logHalf + LogSpace.logErfc((z0 - j) / sqrt2Sigma)
            let logS0 = logT0 + (fi * fi - fi) / twoSigma2 + logE0
            let logS1 = logT1 + (j * j - j) / twoSigma2 + logE1
            if coefPositive {
                logA0 = LogSpace.add(logA0, logS0)
                logA1 = LogSpace.add(logA1, logS1)
            } else {
                guard let a0 = LogSpace.subtract(logA0, logS0),
                      let a1 = LogSpace.subtract(logA1, logS1) else { return nil }
                logA0 = a0
                logA1 = a1
            }
            if Swift.max(logS0, logS1) < -30 { return LogSpace.add(logA0, logA1) }
            if logS0.isNaN || logS1.isNaN { return nil }
        }
        return nil
    }
}
