import Foundation
import Randomness

/// A draw z = μ + e^(½ logσ²) ⊙ ε with the noise ε kept for the backward pass.
package struct ReparameterisedSample: Sendable {
    package var z: [Float]
    package var noise: [Float]
}

/// The reparameterisation trick: sampling from N(μ, σ²) as a differentiable function of μ and logσ².
package enum Reparameterisation {
    /// Draws ε ~ N(0, 1) from `random` (in order of the elements) and returns z = μ + e^(½ logσ²) ⊙ ε.
    package static func sample(
        mean: [Float], logVariance: [Float], random: inout RandomStream
    ) -> ReparameterisedSample {
        precondition(mean.count == logVariance.count, "Reparameterisation: length mismatch")
        let noise = mean.indices.map { _ in Float(random.nextNormal()) }
        return ReparameterisedSample(z: transform(mean: mean, logVariance: logVariance, noise: noise), noise: noise)
    }

    /// z = μ + e^(½ logσ²) ⊙ ε for given noise (ε = 0 gives the mean, for deterministic decoding).
    package static func transform(mean: [Float], logVariance: [Float], noise: [Float]) -> [Float] {
        precondition(mean.count == logVariance.count && noise.count == mean.count,
                     "Reparameterisation: length mismatch")
        return mean.indices.map { mean[$0] + Foundation.exp(0.5 * logVariance[$0]) * noise[$0] }
    }

    /// dμ = dz and dlogσ² = dz ⊙ ε ⊙ ½e^(½ logσ²).
    package static func backward(
        logVariance: [Float], noise: [Float], zGradient: [Float]
    ) -> (meanGradient: [Float], logVarianceGradient: [Float]) {
        precondition(logVariance.count == noise.count && zGradient.count == noise.count,
                     "Reparameterisation: length mismatch")
        let dLogVariance = noise.indices.map { zGradient[$0] * noise[$0] * 0.5 * Foundation.exp(0.5 * logVariance[$0]) }
        return (zGradient, dLogVariance)
    }
}
