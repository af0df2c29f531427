import Foundation

/// KL(q(z|x) ‖ N(0, I)) for a batch of diagonal Gaussians, with its gradients.
package struct KLResult: Sendable {
    /// β · Σ_d max(freeBits, KL_d): the term to add to the loss.
    package var value: Float
    /// KL_d: the batch-mean KL of each latent dimension, before the floor (for monitoring).
    package var perDimension: [Float]
    package var meanGradient: [Float]
    package var logVarianceGradient: [Float]
}

package enum KLDivergence {
    /// KL of N(mean, e^logVariance) from N(0, I) over rows×dimensions, averaged over rows.
    ///
    /// Per row and dimension, kl = ½(μ² + e^logσ² − 1 − logσ²). KL_d is its mean over the rows and
    /// the loss is β · Σ_d max(freeBits, KL_d) ("free bits", Kingma et al. 2016: a dimension whose
    /// KL is under the floor is not pushed further toward the prior). The floor's gradient is zero,
    /// so a dimension with KL_d ≤ freeBits gets zero gradient; with freeBits = 0 this is the plain
    /// β-weighted KL. The floor applies to the batch mean, so a batch of one (per-example gradients)
    /// floors each example's KL on its own.
    package static func standardNormal(
        mean: [Float], logVariance: [Float], dimensions: Int, beta: Float = 1, freeBits: Float = 0
    ) -> KLResult {
        precondition(mean.count == logVariance.count && dimensions > 0 && mean.count % dimensions == 0,
                     "KLDivergence: inputs are not rows × \(dimensions)")
        let rows = mean.count / dimensions
        var perDimension = [Double](repeating: 0, count: dimensions)
        for i in mean.indices {
            let mu = Double(mean[i]), lv = Double(logVariance[i])
            perDimension[i % dimensions] += 0.5 * (mu * mu + Foundation.exp(lv) - 1 - lv)
        }
        let means = perDimension.map { $0 / Double(max(rows, 1)) }
        let value = means.reduce(0.0) { $0 + max(Double(freeBits), $1) } * Double(beta)
        let weight = beta / Float(max(rows, 1))
        var dMean = [Float](repeating: 0, count: mean.count)
        var dLogVariance = [Float](repeating: 0, count: mean.count)
        for i in mean.indices where means[i % dimensions] > Double(freeBits) {
            dMean[i] = weight * mean[i]
            dLogVariance[i] = weight * 0.5 * (Foundation.exp(logVariance[i]) - 1)
        }
        return KLResult(
            value: Float(value), perDimension: means.map { Float($0) },
            meanGradient: dMean, logVarianceGradient: dLogVariance)
    }
}
