import DiseaseModeling
import Statistics

/// The windows under comparison: real (seed), synthetic, and optionally holdout records.
struct Cohorts: Sendable {
    let template: DiseaseTemplate
    let real: [PatientWindow]
    let synthetic: [PatientWindow]
    let holdout: [PatientWindow]?

    /// A figure computed against the real records for the synthetic ones and, when given, for
    /// the holdout (the real-vs-real baseline).
    func both(_ compute: ([PatientWindow]) -> Double?) -> (value: Double?, baseline: Double?) {
        (compute(synthetic), holdout.flatMap(compute))
    }

    /// The samples by name, for plots: real, synthetic, and holdout when given.
    var named: [(name: String, windows: [PatientWindow])] {
        var out = [("real (seed)", real), ("synthetic", synthetic)]
        if let holdout { out.append(("holdout", holdout)) }
        return out
    }
}

/// A band of ages or disease durations, [lower, upper).
struct Band: Sendable {
    var label: String
    var lower: Double
    var upper: Double

    func contains(_ x: Double) -> Bool { x >= lower && x < upper }

    static let ages: [Band] = [
        Band(label: "age 0–17", lower: -.infinity, upper: 18), Band(label: "age 18–29", lower: 18, upper: 30),
        Band(label: "age 30–44", lower: 30, upper: 45), Band(label: "age 45–59", lower: 45, upper: 60),
        Band(label: "age 60+", lower: 60, upper: .infinity),
    ]

    static let durations: [Band] = [
        Band(label: "0–1 years since diagnosis", lower: -.infinity, upper: 2),
        Band(label: "2–4 years since diagnosis", lower: 2, upper: 5),
        Band(label: "5–9 years since diagnosis", lower: 5, upper: 10),
        Band(label: "10–19 years since diagnosis", lower: 10, upper: 20),
        Band(label: "20+ years since diagnosis", lower: 20, upper: .infinity),
    ]
}

/// Two-sample distances that are nil when a sample is too small to say anything.
enum Compare {
    /// The smallest sample a distribution distance is computed on.
    static let minimumSample = 5

    static func ks(_ a: [Double], _ b: [Double], minimum: Int = minimumSample) -> Double? {
        guard a.count >= minimum, b.count >= minimum else { return nil }
        return try? TwoSample.kolmogorovSmirnov(a, b).statistic
    }

    static func wasserstein(_ a: [Double], _ b: [Double], minimum: Int = minimumSample) -> Double? {
        guard a.count >= minimum, b.count >= minimum else { return nil }
        return try? TwoSample.wasserstein1(a, b)
    }

    static func sd(_ x: [Double]) -> Double? {
        guard x.count >= 2 else { return nil }
        return try? Descriptive.standardDeviation(x)
    }

    static func mean(_ x: [Double]) -> Double? {
        x.isEmpty ? nil : x.reduce(0, +) / Double(x.count)
    }

    static func quantile(_ x: [Double], _ p: Double) -> Double? {
        x.isEmpty ? nil : try? Descriptive.quantile(x, p)
    }

    /// `1 − Σ(r − s)² / Σ(r − r̄)²`: the coefficient of determination of the real values by the
    /// synthetic ones (as scikit-learn's `r2_score(real, synthetic)`, which HALO reports).
    static func rSquared(real: [Double], synthetic: [Double]) -> Double? {
        guard real.count >= 2, real.count == synthetic.count else { return nil }
        let mean = real.reduce(0, +) / Double(real.count)
        var residual = 0.0, total = 0.0
        for (r, s) in zip(real, synthetic) {
            residual += (r - s) * (r - s)
            total += (r - mean) * (r - mean)
        }
        if total == 0 { return residual == 0 ? 1 : nil }
        return 1 - residual / total
    }
}
