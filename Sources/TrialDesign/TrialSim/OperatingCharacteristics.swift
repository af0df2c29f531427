import Foundation

/// A performance measure with its Monte Carlo standard error.
package struct MonteCarloValue: Sendable, Equatable {
    package var value: Double
    package var standardError: Double
}

/// The operating characteristics of one design (ADEMP performance measures, Morris et al. 2019).
package struct DesignPerformance: Sendable {
    package var design: TrialDesignKind
    /// Replicates whose analysis succeeded (under the effect, and under no effect).
    package var succeeded: Int
    package var nullSucceeded: Int
    package var bias: MonteCarloValue
    package var empiricalSE: MonteCarloValue
    package var rmse: MonteCarloValue
    /// The mean model-based standard error (to compare with the empirical one).
    package var meanModelSE: Double
    package var coverage: MonteCarloValue
    /// P(CI excludes 0) under the effect (nil when the effect is null: then it is the type I error).
    package var power: MonteCarloValue?
    /// P(CI excludes 0) under no effect.
    package var typeIError: MonteCarloValue
}

/// The result of `trial-sim`: per design, bias, empirical SE, RMSE, coverage, power and type I error.
package struct OperatingCharacteristics: Sendable {
    package var trial: String
    package var title: String
    package var endpoint: String
    package var effect: TreatmentEffect
    /// The true effect the estimates are compared with (difference, or log hazard ratio).
    package var truth: Double
    package var replicates: Int
    package var seed: UInt64
    package var performance: [DesignPerformance]
    package var settings: SimulationSettings
    package var poolSummary: String
    package var poolSize: Int
    package var trainingSize: Int
    package var selectionNote: String
    /// How the natural-history patients were generated (template alone, or template + model).
    package var generator = "template"

    init(trial: String, title: String, endpoint: String, effect: TreatmentEffect, truth: Double, replicates: Int,
         seed: UInt64, designs: [TrialDesignKind], results: [ReplicateResult], settings: SimulationSettings,
         poolSummary: String, poolSize: Int, trainingSize: Int, selectionNote: String) {
        self.trial = trial
        self.title = title
        self.endpoint = endpoint
        self.effect = effect
        self.truth = truth
        self.replicates = replicates
        self.seed = seed
        self.settings = settings
        self.poolSummary = poolSummary
        self.poolSize = poolSize
        self.trainingSize = trainingSize
        self.selectionNote = selectionNote
        let nullTruth = 0.0
        performance = designs.enumerated().map { d, design in
            let main = results.compactMap { $0.estimates[d] }
            let null = results.compactMap { $0.nullEstimates[d] }
            return Self.summarize(design, main, null, truth: truth, nullTruth: nullTruth, effectIsNull: effect.isNull)
        }
    }

    static func proportion(_ k: Int, _ n: Int) -> MonteCarloValue {
        guard n > 0 else { return MonteCarloValue(value: .nan, standardError: .nan) }
        let p = Double(k) / Double(n)
        return MonteCarloValue(value: p, standardError: (p * (1 - p) / Double(n)).squareRoot())
    }

    static func summarize(_ design: TrialDesignKind, _ e: [EffectEstimate], _ null: [EffectEstimate], truth: Double,
                          nullTruth: Double, effectIsNull: Bool) -> DesignPerformance {
        let n = e.count
        let r = Double(n)
        let estimates = e.map(\.estimate)
        let mean = n > 0 ? estimates.reduce(0, +) / r : .nan
        let variance = n > 1 ? estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (r - 1) : .nan
        let empSE = variance.squareRoot()
        let squared = estimates.map { ($0 - truth) * ($0 - truth) }
        let mse = n > 0 ? squared.reduce(0, +) / r : .nan
        let mseSE = n > 1 ? (squared.reduce(0) { $0 + ($1 - mse) * ($1 - mse) } / (r * (r - 1))).squareRoot() : .nan
        let rmse = mse.squareRoot()
        return DesignPerformance(
            design: design, succeeded: n, nullSucceeded: null.count,
            bias: MonteCarloValue(value: mean - truth, standardError: empSE / r.squareRoot()),
            empiricalSE: MonteCarloValue(value: empSE, standardError: empSE / (2 * (r - 1)).squareRoot()),
            rmse: MonteCarloValue(value: rmse, standardError: rmse > 0 ? mseSE / (2 * rmse) : 0),
            meanModelSE: n > 0 ? e.reduce(0) { $0 + $1.standardError } / r : .nan,
            coverage: proportion(e.filter { $0.covers(truth) }.count, n),
            power: effectIsNull ? nil : proportion(e.filter(\.rejectsNull).count, n),
            typeIError: proportion(null.filter(\.rejectsNull).count, null.count))
    }

    /// The performance of one design, if it was simulated.
    package func performance(of design: TrialDesignKind) -> DesignPerformance? {
        performance.first { $0.design == design }
    }

    /// The scale of the estimates.
    package var scale: String {
        if case .hazardRatio = effect { return "log hazard ratio" }
        return "difference in the endpoint (treated − control)"
    }
}
