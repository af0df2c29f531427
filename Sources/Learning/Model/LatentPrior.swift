import Foundation
import NeuralNetworks
import ZebraSupport

/// The distribution generation draws z from: a Gaussian fitted to the aggregate posterior of
/// the training records (the mixture of their q(z|x)), not the N(0, I) prior.
///
/// A VAE's aggregate posterior rarely fills N(0, I) exactly; drawing from the prior then asks the
/// decoder for latent codes no training patient had, and the generated cohort is more varied than
/// the data (ex-post density estimation, Ghosh et al. 2020).
package struct LatentPrior: Sendable, Codable, Equatable {
    package var mean: [Double]
    /// Lower-triangular Cholesky factor of the covariance, row-major.
    package var cholesky: [Double]

    /// The standard normal N(0, I).
    package static func standard(dimensions: Int) -> LatentPrior {
        var l = [Double](repeating: 0, count: dimensions * dimensions)
        for i in 0..<dimensions { l[i * dimensions + i] = 1 }
        return LatentPrior(mean: [Double](repeating: 0, count: dimensions), cholesky: l)
    }

    /// Fits mean(μ_i) and cov(μ_i) + mean(diag σ²_i) from posterior means and log-variances.
    package static func fit(means: [[Float]], logVariances: [[Float]], dimensions d: Int) -> LatentPrior {
        guard means.count >= 2 else { return standard(dimensions: d) }
        let n = Double(means.count)
        var m = [Double](repeating: 0, count: d)
        for mu in means { for k in 0..<d { m[k] += Double(mu[k]) / n } }
        var c = [Double](repeating: 0, count: d * d)
        for mu in means {
            for i in 0..<d {
                for j in 0..<d { c[i * d + j] += (Double(mu[i]) - m[i]) * (Double(mu[j]) - m[j]) / (n - 1) }
            }
        }
        for lv in logVariances { for k in 0..<d { c[k * d + k] += exp(Double(lv[k])) / n } }
        guard case .success(let l) = choleskyLower(c, dimension: d, minimumPivot: 1e-9) else {
            return standard(dimensions: d)
        }
        return LatentPrior(mean: m, cholesky: l)
    }

    /// z = mean + L ε for standard-normal ε.
    package func sample(_ epsilon: [Double]) -> [Float] {
        let d = mean.count
        return (0..<d).map { i in
            var v = mean[i]
            for k in 0...i { v += cholesky[i * d + k] * epsilon[k] }
            return Float(v)
        }
    }
}

extension SequenceVAE {
    /// Posterior means and log-variances of q(z|x) for each sequence.
    package func posterior(_ data: [EncodedSequence]) -> (means: [[Float]], logVariances: [[Float]]) {
        var means: [[Float]] = [], logVariances: [[Float]] = []
        let l = configuration.latent
        var workspace = PassWorkspace()
        for start in stride(from: 0, to: data.count, by: 64) {
            let batch = Array(data[start..<min(start + 64, data.count)])
            let (mu, lv) = encode(batch, workspace: &workspace)
            for j in 0..<batch.count {
                means.append(Array(mu[(j * l)..<((j + 1) * l)]))
                logVariances.append(Array(lv[(j * l)..<((j + 1) * l)]))
            }
        }
        return (means, logVariances)
    }
}
