import Foundation

/// A performance measure with its Monte Carlo standard error.
package struct MonteCarloValue: Sendable, Equatable {
    package var value: Double
    /// The Monte Carlo SE: with several pools, across pools (cluster-robust, pools as clusters);
    /// with one, across the replicates drawn from that pool only.
    package var standardError: Double
    /// The SE as if every replicate were independent (the within-pool SE), for comparison.
    package var withinPoolStandardError: Double? = nil

    package init(value: Double, standardError: Double, withinPoolStandardError: Double? = nil) {
        self.value = value
        self.standardError = standardError
        self.withinPoolStandardError = withinPoolStandardError
    }
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
    /// Dynamic borrowing: the mean prior effective sample size and the mean number borrowed.
    package var meanPriorEffectiveControls: Double? = nil
    package var meanBorrowedControls: Double? = nil
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
    /// Independent pools the replicates were spread over.
    package var pools: Int
    /// Every replicate's estimates, for `replicates.csv`.
    var results: [ReplicateResult]
    package var designs: [TrialDesignKind]

    init(trial: String, title: String, endpoint: String, effect: TreatmentEffect, truth: Double, replicates: Int,
         seed: UInt64, designs: [TrialDesignKind], results: [ReplicateResult], settings: SimulationSettings,
         poolSummary: String, poolSize: Int, trainingSize: Int, selectionNote: String, pools: Int = 1) {
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
        self.pools = pools
        self.results = results
        self.designs = designs
        let nullTruth = 0.0
        performance = designs.enumerated().map { d, design in
            let main = results.compactMap { $0.estimates[d] }
            let null = results.compactMap { $0.nullEstimates[d] }
            var p = Self.summarize(design, main, null, truth: truth, nullTruth: nullTruth, effectIsNull: effect.isNull)
            if pools > 1 { Self.addBetweenPoolErrors(&p, d, results, truth: truth, pools: pools) }
            let borrowed = main.compactMap(\.borrowedControls), prior = main.compactMap(\.priorEffectiveControls)
            if !borrowed.isEmpty {
                p.meanBorrowedControls = borrowed.reduce(0, +) / Double(borrowed.count)
                p.meanPriorEffectiveControls = prior.reduce(0, +) / Double(max(prior.count, 1))
            }
            return p
        }
    }

    /// Replaces the MCSEs of the means and proportions (bias, coverage, power, type I error) by
    /// cluster-robust ones with the pools as clusters: for a mean `m = Σ y / Σ n` over pools,
    /// `SE² = K/(K−1) Σₖ (yₖ − m nₖ)² / (Σ n)²`. The within-pool SE is kept beside it.
    static func addBetweenPoolErrors(_ p: inout DesignPerformance, _ d: Int, _ results: [ReplicateResult],
                                     truth: Double, pools: Int) {
        func clustered(_ value: MonteCarloValue, _ items: [(pool: Int, y: Double)], center: Double) -> MonteCarloValue {
            var y = [Double](repeating: 0, count: pools), n = [Double](repeating: 0, count: pools)
            for item in items { y[item.pool] += item.y; n[item.pool] += 1 }
            let total = n.reduce(0, +)
            guard total > 0, value.value.isFinite else { return value }
            let k = Double(pools)
            let ss = (0..<pools).reduce(0.0) { $0 + (y[$1] - center * n[$1]) * (y[$1] - center * n[$1]) }
            let se = (k / (k - 1) * ss).squareRoot() / total
            return MonteCarloValue(value: value.value, standardError: se, withinPoolStandardError: value.standardError)
        }
        let main = results.compactMap { r in r.estimates[d].map { (pool: r.pool, e: $0) } }
        let null = results.compactMap { r in r.nullEstimates[d].map { (pool: r.pool, e: $0) } }
        p.bias = clustered(p.bias, main.map { ($0.pool, $0.e.estimate - truth) }, center: p.bias.value)
        p.coverage = clustered(p.coverage, main.map { ($0.pool, $0.e.covers(truth) ? 1 : 0) }, center: p.coverage.value)
        if let power = p.power {
            p.power = clustered(power, main.map { ($0.pool, $0.e.rejectsNull ? 1 : 0) }, center: power.value)
        }
        p.typeIError = clustered(p.typeIError, null.map { ($0.pool, $0.e.rejectsNull ? 1 : 0) },
                                 center: p.typeIError.value)
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
