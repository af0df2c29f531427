import Foundation
import Randomness

/// Dynamic borrowing of external controls with a robust mixture prior (Schmidli et al. 2014,
/// Biometrics 70:1023-1032): the control mean μ has the prior `w N(mₑ, sₑ²) + (1 − w) N(mₑ, σ²)`,
/// the informative part from the external controls and a vague part with the information of one
/// patient (σ the outcome SD). Concurrent controls update it; the more they disagree with the
/// external mean, the more weight moves to the vague part, so the externals count less.
package struct RobustMixturePrior: Sendable {
    package var externalMean: Double
    package var externalSE: Double
    package var outcomeSD: Double
    package var informativeWeight: Double

    package init(externalMean: Double, externalSE: Double, outcomeSD: Double, informativeWeight: Double = 0.5) {
        self.externalMean = externalMean
        self.externalSE = externalSE
        self.outcomeSD = outcomeSD
        self.informativeWeight = informativeWeight
    }

    /// The prior effective sample size of the informative part: `σ² / sₑ²` patients.
    package var priorEffectiveSize: Double { outcomeSD * outcomeSD / (externalSE * externalSE) }

    /// A normal mixture: weights, means and SDs.
    package struct Mixture: Sendable {
        package var weights: [Double]
        package var means: [Double]
        package var sds: [Double]

        package var mean: Double { zip(weights, means).reduce(0) { $0 + $1.0 * $1.1 } }
        package var sd: Double {
            let m = mean
            return zip(weights, zip(means, sds)).reduce(0) { $0 + $1.0 * ($1.1.1 * $1.1.1 + pow($1.1.0 - m, 2)) }
                .squareRoot()
        }

        package func cdf(_ x: Double) -> Double {
            zip(weights, zip(means, sds)).reduce(0) { $0 + $1.0 * NormalDistribution.cdf((x - $1.1.0) / $1.1.1) }
        }

        /// The quantile by bisection.
        package func quantile(_ p: Double) -> Double {
            var lo = means.min()! - 12 * sds.max()!, hi = means.max()! + 12 * sds.max()!
            for _ in 0..<200 {
                let mid = (lo + hi) / 2
                if cdf(mid) < p { lo = mid } else { hi = mid }
            }
            return (lo + hi) / 2
        }
    }

    /// The posterior of the control mean given the concurrent controls' mean `m` with SE `s`.
    package func posterior(concurrentMean m: Double, concurrentSE s: Double) -> Mixture {
        let taus = [externalSE, outcomeSD]
        let priorWeights = [informativeWeight, 1 - informativeWeight]
        var weights: [Double] = [], means: [Double] = [], sds: [Double] = []
        for (w, tau) in zip(priorWeights, taus) {
            let v = 1 / (1 / (tau * tau) + 1 / (s * s))
            means.append(v * (externalMean / (tau * tau) + m / (s * s)))
            sds.append(v.squareRoot())
            // The marginal likelihood of the concurrent mean under this component.
            let total = (tau * tau + s * s).squareRoot()
            weights.append(w * NormalDistribution.pdf((m - externalMean) / total) / total)
        }
        let sum = weights.reduce(0, +)
        return Mixture(weights: weights.map { $0 / sum }, means: means, sds: sds)
    }

    /// The posterior of `treated mean − control mean`, the treated mean with a flat prior.
    package func effect(treatedMean t: Double, treatedSE st: Double, concurrentMean m: Double,
                        concurrentSE s: Double) -> (effect: Mixture, informativeWeight: Double) {
        let control = posterior(concurrentMean: m, concurrentSE: s)
        let effect = Mixture(weights: control.weights, means: control.means.map { t - $0 },
                             sds: control.sds.map { ($0 * $0 + st * st).squareRoot() })
        return (effect, control.weights[0])
    }
}
