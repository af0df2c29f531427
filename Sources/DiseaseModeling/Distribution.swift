import Foundation
import Randomness

/// A distribution of a patient-level quantity (an age, a delay, an attribute), whose parameters
/// are predictors and which may be driven by one of the patient's random effects, so that the
/// quantity correlates with others through the random-effects correlation matrix.
package struct Distribution: Sendable, Hashable {
    package enum Family: Sendable, Hashable {
        case fixed(Predictor)
        case normal(mean: Predictor, sd: Predictor)
        case lognormal(median: Predictor, sigma: Predictor)
        case gamma(mean: Predictor, sd: Predictor)
        case weibull(scale: Predictor, shape: Predictor)
        case exponential(mean: Predictor)
        case uniform(min: Predictor, max: Predictor)
        /// Logistic with this mean and variance (scale `√(3 variance)/π`): the onset model of Langbehn 2004.
        case logistic(mean: Predictor, variance: Predictor)
    }

    package var family: Family
    package var minimum: Double?
    package var maximum: Double?
    /// When set, the draw uses this random effect's z (or Φ(z)) instead of a fresh one.
    package var randomEffect: Int?

    package init(_ family: Family, minimum: Double? = nil, maximum: Double? = nil, randomEffect: Int? = nil) {
        self.family = family
        self.minimum = minimum
        self.maximum = maximum
        self.randomEffect = randomEffect
    }

    /// Whether the family can be driven by a random effect (it has a closed-form quantile).
    package var supportsRandomEffect: Bool {
        if case .gamma = family { return false }
        return true
    }

    /// Draws a value for a patient.
    package func sample(in context: PatientContext, using rng: inout RandomStream) -> Double {
        let lo = minimum ?? -.infinity
        let hi = maximum ?? .infinity
        if case .gamma(let meanP, let sdP) = family {
            let mean = meanP.value(in: context), sd = max(sdP.value(in: context), 1e-12)
            let shape = (mean / sd) * (mean / sd), scale = sd * sd / mean
            for _ in 0..<100 {
                let x = rng.nextGamma(shape: shape) * scale
                if x >= lo && x <= hi { return x }
            }
            return min(max(mean, lo), hi)
        }
        if let effect = randomEffect {
            // Clamp rather than redraw: redrawing would break the correlation the effect carries.
            return min(max(quantile(ofStandardNormal: context.randomEffects[effect], in: context), lo), hi)
        }
        // Exact truncation by inversion: sample z in the standard-normal image of [lo, hi].
        let zLo = lo.isFinite ? standardNormalImage(of: lo, in: context) : -.infinity
        let zHi = hi.isFinite ? standardNormalImage(of: hi, in: context) : .infinity
        let z: Double
        if zLo == -.infinity && zHi == .infinity {
            z = rng.nextNormal()
        } else {
            z = rng.nextTruncatedNormal(lower: zLo, upper: zHi)
        }
        return min(max(quantile(ofStandardNormal: z, in: context), lo), hi)
    }

    /// The value at standard-normal score `z` (the quantile at Φ(z)).
    package func quantile(ofStandardNormal z: Double, in context: PatientContext) -> Double {
        switch family {
        case .fixed(let p):
            return p.value(in: context)
        case .normal(let mean, let sd):
            return mean.value(in: context) + sd.value(in: context) * z
        case .lognormal(let median, let sigma):
            return median.value(in: context) * Foundation.exp(sigma.value(in: context) * z)
        case .weibull(let scale, let shape):
            let survival = NormalDistribution.cdf(-z)
            return scale.value(in: context) * Foundation.pow(-Foundation.log(max(survival, 1e-300)),
                                                             1 / shape.value(in: context))
        case .exponential(let mean):
            return -mean.value(in: context) * Foundation.log(max(NormalDistribution.cdf(-z), 1e-300))
        case .uniform(let a, let b):
            let lo = a.value(in: context), hi = b.value(in: context)
            return lo + (hi - lo) * NormalDistribution.cdf(z)
        case .logistic(let mean, let variance):
            let p = min(max(NormalDistribution.cdf(z), 1e-300), 1 - 1e-16)
            return mean.value(in: context) + logisticScale(variance, in: context) * Foundation.log(p / (1 - p))
        case .gamma(let mean, _):
            return mean.value(in: context)
        }
    }

    private func logisticScale(_ variance: Predictor, in context: PatientContext) -> Double {
        (3 * max(variance.value(in: context), 0)).squareRoot() / Double.pi
    }

    /// The standard-normal score whose quantile is `x` (inverse of `quantile(ofStandardNormal:)`).
    func standardNormalImage(of x: Double, in context: PatientContext) -> Double {
        func probit(_ p: Double) -> Double {
            if p <= 0 { return -.infinity }
            if p >= 1 { return .infinity }
            return NormalDistribution.quantile(p)
        }
        switch family {
        case .fixed:
            return x < quantile(ofStandardNormal: 0, in: context) ? -.infinity : .infinity
        case .normal(let mean, let sd):
            return (x - mean.value(in: context)) / max(sd.value(in: context), 1e-300)
        case .lognormal(let median, let sigma):
            if x <= 0 { return -.infinity }
            return Foundation.log(x / median.value(in: context)) / max(sigma.value(in: context), 1e-300)
        case .weibull(let scale, let shape):
            if x <= 0 { return -.infinity }
            let s = Foundation.exp(-Foundation.pow(x / scale.value(in: context), shape.value(in: context)))
            return probit(1 - s)
        case .exponential(let mean):
            if x <= 0 { return -.infinity }
            return probit(1 - Foundation.exp(-x / mean.value(in: context)))
        case .uniform(let a, let b):
            let lo = a.value(in: context), hi = b.value(in: context)
            return probit((x - lo) / max(hi - lo, 1e-300))
        case .logistic(let mean, let variance):
            let u = (x - mean.value(in: context)) / max(logisticScale(variance, in: context), 1e-300)
            return probit(1 / (1 + Foundation.exp(-u)))
        case .gamma:
            return 0
        }
    }

    /// Every predictor inside, for reference checks.
    package var predictors: [Predictor] {
        switch family {
        case .fixed(let p), .exponential(let p): [p]
        case .normal(let a, let b), .lognormal(let a, let b), .gamma(let a, let b),
             .weibull(let a, let b), .uniform(let a, let b), .logistic(let a, let b): [a, b]
        }
    }
}
