import Foundation

/// The two-sample Kolmogorov–Smirnov test result.
package struct KolmogorovSmirnovResult: Sendable, Equatable, Codable {
    /// `D = sup |F₁(x) - F₂(x)|` between the two empirical CDFs.
    package var statistic: Double
    /// The asymptotic p-value `Q_K(sqrt(nm/(n+m)) · D)` from Kolmogorov's limiting distribution
    /// (R's `ks.test(exact = FALSE)`; scipy's `kstwobign.sf` of the same argument).
    package var pValue: Double
}

/// Comparisons of two samples' distributions: Kolmogorov–Smirnov, Wasserstein-1 and AUC.
package enum TwoSample {
    /// The two-sample Kolmogorov–Smirnov statistic and its asymptotic p-value.
    package static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) throws -> KolmogorovSmirnovResult {
        try Check.count(a, atLeast: 1, "Kolmogorov–Smirnov first sample")
        try Check.count(b, atLeast: 1, "Kolmogorov–Smirnov second sample")
        try Check.finite(a, "Kolmogorov–Smirnov first sample")
        try Check.finite(b, "Kolmogorov–Smirnov second sample")
        let x = a.sorted(), y = b.sorted()
        let n = Double(x.count), m = Double(y.count)
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            // Step past every copy of the smallest remaining value in both samples before comparing.
            let v = Swift.min(x[i], y[j])
            while i < x.count && x[i] == v { i += 1 }
            while j < y.count && y[j] == v { j += 1 }
            d = Swift.max(d, Swift.abs(Double(i) / n - Double(j) / m))
        }
        let lambda = (n * m / (n + m)).squareRoot() * d
        return KolmogorovSmirnovResult(statistic: d, pValue: kolmogorovSurvival(lambda))
    }

    /// `P(K > λ)` for Kolmogorov's limiting distribution, by the alternating series for large λ
    /// and the Jacobi-transformed series for small λ (each converges in a few terms there).
    package static func kolmogorovSurvival(_ lambda: Double) -> Double {
        if lambda.isNaN { return .nan }
        if lambda <= 0 { return 1 }
        if lambda < 1 {
            let c = -Double.pi * Double.pi / (8 * lambda * lambda)
            var s = 0.0
            for k in stride(from: 1, through: 21, by: 2) { s += Foundation.exp(c * Double(k * k)) }
            return Swift.max(0, Swift.min(1, 1 - (2 * Double.pi).squareRoot() / lambda * s))
        }
        var s = 0.0, sign = 1.0
        for k in 1...100 {
            let term = Foundation.exp(-2 * Double(k * k) * lambda * lambda)
            s += sign * term
            if term < 1e-17 { break }
            sign = -sign
        }
        return Swift.max(0, Swift.min(1, 2 * s))
    }

    /// The exact 1-D Wasserstein-1 (earth mover's) distance `∫ |F₁(x) - F₂(x)| dx` between two
    /// empirical distributions of any sizes, optionally weighted.
    package static func wasserstein1(_ a: [Double], _ b: [Double], weightsA: [Double]? = nil,
                                    weightsB: [Double]? = nil) throws -> Double {
        try Check.count(a, atLeast: 1, "Wasserstein first sample")
        try Check.count(b, atLeast: 1, "Wasserstein second sample")
        try Check.finite(a, "Wasserstein first sample")
        try Check.finite(b, "Wasserstein second sample")
        let fa = try stepMasses(a, weightsA, "Wasserstein first sample")
        let fb = try stepMasses(b, weightsB, "Wasserstein second sample")
        var i = 0, j = 0, cdfA = 0.0, cdfB = 0.0, distance = 0.0
        var previous = Swift.min(fa[0].value, fb[0].value)
        while i < fa.count || j < fb.count {
            let next = Swift.min(i < fa.count ? fa[i].value : .infinity, j < fb.count ? fb[j].value : .infinity)
            distance += Swift.abs(cdfA - cdfB) * (next - previous)
            if i < fa.count && fa[i].value == next { cdfA += fa[i].mass; i += 1 }
            if j < fb.count && fb[j].value == next { cdfB += fb[j].mass; j += 1 }
            previous = next
        }
        return distance
    }

    /// Distinct sorted values with their normalized (weighted) masses.
    private static func stepMasses(_ x: [Double], _ w: [Double]?,
                                   _ context: String) throws -> [(value: Double, mass: Double)] {
        if let w { try Check.weights(w, count: x.count, context) }
        let order = x.indices.sorted { x[$0] < x[$1] }
        let total = w.map { $0.reduce(0, +) } ?? Double(x.count)
        var out: [(value: Double, mass: Double)] = []
        for i in order {
            let mass = (w?[i] ?? 1) / total
            if let last = out.last, last.value == x[i] {
                out[out.count - 1].mass += mass
            } else {
                out.append((x[i], mass))
            }
        }
        return out
    }
}
