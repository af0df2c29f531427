import Foundation
import Randomness

/// Student's t distribution with `degreesOfFreedom` (real, positive; infinity gives the normal).
package struct StudentTDistribution: Sendable, Equatable {
    /// The degrees of freedom ν.
    package let degreesOfFreedom: Double

    /// Throws `.invalidArgument` unless `degreesOfFreedom > 0`.
    package init(degreesOfFreedom: Double) throws {
        if !(degreesOfFreedom > 0) {
            throw StatisticsError.invalidArgument("t distribution needs positive degrees "
                + "of freedom, got \(degreesOfFreedom)")
        }
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// The density at `t`.
    package func pdf(_ t: Double) -> Double {
        let v = degreesOfFreedom
        if v.isInfinite { return NormalDistribution.pdf(t) }
        let logC = -SpecialFunctions.logBeta(v / 2, 0.5) - 0.5 * Foundation.log(v)
        return Foundation.exp(logC - (v + 1) / 2 * Foundation.log1p(t * t / v))
    }

    /// `P(T <= t)`.
    package func cdf(_ t: Double) -> Double {
        t >= 0 ? 1 - upperTail(Swift.abs(t)) : upperTail(-t)
    }

    /// `P(T > t)`, accurate far into the upper tail.
    package func sf(_ t: Double) -> Double {
        t >= 0 ? upperTail(t) : 1 - upperTail(-t)
    }

    /// The two-sided p-value `P(|T| >= |t|)`.
    package func twoSidedPValue(_ t: Double) -> Double {
        Swift.min(1, 2 * upperTail(Swift.abs(t)))
    }

    /// `P(T > t)` for `t >= 0` via `½ I_{ν/(ν+t²)}(ν/2, ½)`.
    private func upperTail(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        let v = degreesOfFreedom
        if v.isInfinite { return NormalDistribution.cdf(-t) }
        if t.isInfinite { return 0 }
        let t2 = t * t
        let x = v / (v + t2), y = t2 / (v + t2)
        return 0.5 * SpecialFunctions.incompleteBeta(x: x, complement: y, a: v / 2, b: 0.5,
                                                     logX: -Foundation.log1p(t2 / v),
                                                     logY: -Foundation.log1p(v / t2)).lower
    }

    /// The quantile: the `t` with `cdf(t) == p`; `±infinity` at `p` = 0 or 1, NaN outside [0, 1].
    package func quantile(_ p: Double) -> Double {
        if !(p >= 0 && p <= 1) { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // Work with the smaller tail probability, which is exact as given (1 - p would round).
        return p < 0.5 ? -upperQuantile(p) : upperQuantile(1 - p)
    }

    /// The `t > 0` with `sf(t) == q`, for `0 < q < 0.5`.
    private func upperQuantile(_ q: Double) -> Double {
        let v = degreesOfFreedom
        if v.isInfinite { return -NormalDistribution.quantile(q) }
        if v == 1 { return 1 / Foundation.tan(Double.pi * q) }
        if v == 2 { return (1 - 2 * q) / (2 * q * (1 - q)).squareRoot() }
        // Cornish-Fisher start (Abramowitz & Stegun 26.7.5), then safeguarded Newton on the tail.
        let z = -NormalDistribution.quantile(q), z2 = z * z
        var start = z + z * (z2 + 1) / (4 * v) + z * ((5 * z2 + 16) * z2 + 3) / (96 * v * v)
        if !(start > 0) || !start.isFinite { start = 1 }
        return RootFinding.invertTail(target: q, upperTail: true, start: start, lower: 0, upper: .infinity,
                                      tail: { self.sf($0) }, density: { self.pdf($0) })
    }
}

/// The chi-square distribution with `degreesOfFreedom` (real, positive).
package struct ChiSquaredDistribution: Sendable, Equatable {
    /// The degrees of freedom k.
    package let degreesOfFreedom: Double

    /// Throws `.invalidArgument` unless `degreesOfFreedom > 0` and finite.
    package init(degreesOfFreedom: Double) throws {
        if !(degreesOfFreedom > 0) || degreesOfFreedom.isInfinite {
            throw StatisticsError.invalidArgument("chi-square needs positive finite degrees "
                + "of freedom, got \(degreesOfFreedom)")
        }
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// The density at `x`.
    package func pdf(_ x: Double) -> Double {
        if x < 0 { return 0 }
        let k = degreesOfFreedom / 2
        if x == 0 { return k < 1 ? .infinity : (k == 1 ? 0.5 : 0) }
        return Foundation.exp((k - 1) * Foundation.log(x) - x / 2 - k * Foundation.log(2)
            - SpecialFunctions.logGamma(k))
    }

    /// `P(X <= x)`.
    package func cdf(_ x: Double) -> Double {
        x <= 0 ? 0 : SpecialFunctions.incompleteGamma(degreesOfFreedom / 2, x / 2).lower
    }

    /// `P(X > x)`, accurate far into the upper tail (the p-value of a chi-square statistic).
    package func sf(_ x: Double) -> Double {
        x <= 0 ? 1 : SpecialFunctions.incompleteGamma(degreesOfFreedom / 2, x / 2).upper
    }

    /// The quantile: the `x` with `cdf(x) == p`; infinity at `p == 1`, NaN outside [0, 1].
    package func quantile(_ p: Double) -> Double {
        if !(p >= 0 && p <= 1) { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        let k = degreesOfFreedom
        // Wilson-Hilferty start; in the far lower tail use P ≈ (x/2)^(k/2) / Γ(k/2 + 1) instead.
        let z = NormalDistribution.quantile(p)
        let c = 2 / (9 * k)
        var start = k * Foundation.pow(Swift.max(1 - c + z * c.squareRoot(), 0), 3)
        if !(start > 0) || p < 0.05 {
            let small = 2 * Foundation.exp((Foundation.log(p) + SpecialFunctions.logGamma(k / 2 + 1)) * 2 / k)
            if small.isFinite && small > 0 && (!(start > 0) || small < start) { start = small }
        }
        if !(start > 0) || !start.isFinite { start = k }
        let upper = p > 0.5
        return RootFinding.invertTail(target: upper ? 1 - p : p, upperTail: upper, start: start,
                                      lower: 0, upper: .infinity,
                                      tail: { upper ? self.sf($0) : self.cdf($0) },
                                      density: { self.pdf($0) })
    }
}

/// The F distribution with numerator and denominator degrees of freedom (real, positive).
package struct FDistribution: Sendable, Equatable {
    /// The numerator degrees of freedom d1.
    package let numeratorDegreesOfFreedom: Double
    /// The denominator degrees of freedom d2.
    package let denominatorDegreesOfFreedom: Double

    /// Throws `.invalidArgument` unless both degrees of freedom are positive and finite.
    package init(numeratorDegreesOfFreedom d1: Double, denominatorDegreesOfFreedom d2: Double) throws {
        if !(d1 > 0 && d2 > 0) || d1.isInfinite || d2.isInfinite {
            throw StatisticsError.invalidArgument("F distribution needs positive finite "
                + "degrees of freedom, got \(d1), \(d2)")
        }
        numeratorDegreesOfFreedom = d1
        denominatorDegreesOfFreedom = d2
    }

    /// The density at `x`.
    package func pdf(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        let d1 = numeratorDegreesOfFreedom, d2 = denominatorDegreesOfFreedom
        let logB = SpecialFunctions.logBeta(d1 / 2, d2 / 2)
        let logPdf = (d1 / 2) * Foundation.log(d1 / d2) + (d1 / 2 - 1) * Foundation.log(x)
            - ((d1 + d2) / 2) * Foundation.log1p(d1 * x / d2) - logB
        return Foundation.exp(logPdf)
    }

    /// `P(F <= x)`.
    package func cdf(_ x: Double) -> Double { x <= 0 ? 0 : tails(x).lower }

    /// `P(F > x)`, accurate in the upper tail (the p-value of an F statistic).
    package func sf(_ x: Double) -> Double { x <= 0 ? 1 : tails(x).upper }

    private func tails(_ x: Double) -> (lower: Double, upper: Double) {
        if x.isInfinite { return (1, 0) }
        let d1 = numeratorDegreesOfFreedom, d2 = denominatorDegreesOfFreedom
        let s = d1 * x + d2
        return SpecialFunctions.incompleteBeta(x: d1 * x / s, complement: d2 / s, a: d1 / 2, b: d2 / 2,
                                               logX: -Foundation.log1p(d2 / (d1 * x)),
                                               logY: -Foundation.log1p(d1 * x / d2))
    }

    /// The quantile: the `x` with `cdf(x) == p`; infinity at `p == 1`, NaN outside [0, 1].
    package func quantile(_ p: Double) -> Double {
        if !(p >= 0 && p <= 1) { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        let upper = p > 0.5
        return RootFinding.invertTail(target: upper ? 1 - p : p, upperTail: upper, start: 1,
                                      lower: 0, upper: .infinity,
                                      tail: { upper ? self.sf($0) : self.cdf($0) },
                                      density: { self.pdf($0) })
    }
}

/// Inversion of monotone tail probabilities.
enum RootFinding {
    /// Solves `tail(x) == target` where `tail` is the CDF (`upperTail == false`) or the survival
    /// function, by Newton steps on `log tail` (well-behaved for both power-law and exponential
    /// tails), falling back to bisection (or bracket doubling) whenever a step leaves the bracket.
    static func invertTail(target: Double, upperTail: Bool, start: Double, lower: Double, upper: Double,
                           tail: (Double) -> Double, density: (Double) -> Double) -> Double {
        let logTarget = Foundation.log(target)
        var lo = lower, hi = upper, x = start
        for _ in 0..<300 {
            let f = tail(x)
            if f == target { return x }
            // g(x) = log tail(x) - log target is increasing for a CDF, decreasing for a survival function.
            let g = Foundation.log(f) - logTarget
            let increasing = !upperTail
            if (g < 0) == increasing { lo = x } else { hi = x }
            let slope = (increasing ? 1 : -1) * density(x) / f
            var next = x - g / slope
            if !(next > lo && next < hi) || !next.isFinite {
                if hi.isInfinite {
                    next = Swift.max(2 * x, x + 1)
                } else if lo.isInfinite {
                    next = Swift.min(2 * x, x - 1)
                } else {
                    next = lo > 0 && hi / lo > 4 ? (lo * hi).squareRoot() : (lo + hi) / 2
                }
            }
            if Swift.abs(next - x) <= 2e-16 * Swift.abs(x) + 1e-300 { return next }
            if !hi.isInfinite && !lo.isInfinite && hi - lo <= 4e-16 * Swift.abs(hi) { return (lo + hi) / 2 }
            x = next
        }
        return x
    }
}
