import Foundation
import Statistics

/// A trial design whose operating characteristics `trial-sim` estimates.
package enum TrialDesignKind: String, Sendable, CaseIterable {
    case randomized = "randomized-1:1"
    case procova = "randomized-procova"
    case syntheticMatching = "single-arm-synthetic-matching"
    case syntheticWeighting = "single-arm-synthetic-weighting"
    case hybrid = "hybrid"
    case hybridDynamic = "hybrid-dynamic-borrowing"
    case externalUnadjusted = "single-arm-external-unadjusted"

    /// A short human name for tables.
    package var title: String {
        switch self {
        case .randomized: "Randomized 1:1"
        case .procova: "Randomized 1:1 + prognostic score (PROCOVA)"
        case .syntheticMatching: "Single arm + synthetic control (PS matching)"
        case .syntheticWeighting: "Single arm + synthetic control (ATT weighting)"
        case .hybrid: "Hybrid: concurrent + synthetic controls"
        case .hybridDynamic: "Hybrid, dynamic borrowing (robust mixture prior)"
        case .externalUnadjusted: "Single arm + external control, unadjusted"
        }
    }
}

/// A fitted prognostic model: the expected natural-history endpoint given baseline covariates,
/// fitted on a synthetic natural-history training sample (PROCOVA's "digital twin" score).
struct PrognosticModel: Sendable {
    let design: DesignColumns
    let coefficients: [Double]
    let intercept: Bool

    init(training: [TrialSubject], plan: TrialPlan) throws(TrialDesignError) {
        let usable = plan.specification.endpoint.isTimeToEvent ? training
            : training.filter { $0.outcome(plan).isFinite }
        let rows = usable.map(\.covariates)
        design = DesignColumns(rows: rows, plan: plan)
        do {
            if plan.specification.endpoint.isTimeToEvent {
                let fit = try CoxRegression.fit(times: usable.map(\.time), events: usable.map(\.event),
                                                covariates: design.regressors(rows))
                coefficients = fit.coefficients
                intercept = false
            } else {
                let fit = try LinearRegression.fit(response: usable.map { $0.outcome(plan) },
                                                   regressors: design.regressors(rows))
                coefficients = fit.coefficients
                intercept = true
            }
        } catch {
            throw TrialDesignError("the prognostic model could not be fitted on the training sample: \(error)")
        }
    }

    /// The predicted natural-history endpoint (or Cox linear predictor) of a subject.
    func score(_ s: TrialSubject) -> Double {
        var total = intercept ? coefficients[0] : 0
        let offset = intercept ? 1 : 0
        for (j, c) in design.columns.enumerated() {
            total += coefficients[j + offset] * (s.covariates[c] - design.means[j]) / design.scales[j]
        }
        return total
    }
}

/// One simulated trial's patients, before any design is applied.
struct ReplicateDraw {
    var treated: [TrialSubject]
    /// Per-patient true effects of the treated (NaN for time to event or a missing endpoint).
    var effects: [Double]
    var concurrent: [TrialSubject]
    var external: [TrialSubject]
}

/// The analyses of each design on one simulated trial.
struct DesignAnalyses {
    let plan: TrialPlan
    let settings: SimulationSettings
    let prognostic: PrognosticModel?

    func run(_ design: TrialDesignKind, _ d: ReplicateDraw) throws(TrialDesignError) -> EffectEstimate {
        switch design {
        case .randomized, .procova:
            var sample = AnalysisSample()
            let withScore = design == .procova
            for s in d.treated {
                sample.append(s, treated: true, weight: 1, extra: withScore ? [prognostic?.score(s) ?? 0] : [])
            }
            for s in d.concurrent {
                sample.append(s, treated: false, weight: 1, extra: withScore ? [prognostic?.score(s) ?? 0] : [])
            }
            return try EndpointAnalysis.estimate(sample, plan: plan, adjustment: withScore ? .prognostic : .baseline,
                                                 robust: false, label: design.title)
        case .syntheticMatching, .syntheticWeighting:
            let method: ControlMethod = design == .syntheticMatching ? .match : .weight
            let formed = try ControlArm.form(plan: plan, treated: d.treated, controls: d.external, method: method,
                                             ratio: settings.matchingRatio)
            let sample = formed.sample(treated: d.treated, controls: d.external)
            return try EndpointAnalysis.estimate(sample, plan: plan, adjustment: .covariates, robust: true,
                                                 label: design.title)
        case .hybrid:
            let concurrent = Array(d.concurrent.prefix(settings.hybridConcurrentControls))
            let trial = d.treated + concurrent
            let score = try PropensityScore.fit(treated: trial.map(\.covariates),
                                                controls: d.external.map(\.covariates), plan: plan)
            // Externals stand in for the missing concurrent controls: their odds weights (which
            // sum to about the trial's size) are scaled to the number of controls borrowed.
            let borrowed = Double(max(d.treated.count - concurrent.count, 1))
            let w = score.attWeights().map { $0 * borrowed / Double(trial.count) }
            var sample = AnalysisSample()
            for (i, s) in d.treated.enumerated() {
                sample.append(s, treated: true, weight: 1, propensity: score.row(i, weightDerivative: 0))
            }
            for (i, s) in concurrent.enumerated() {
                sample.append(s, treated: false, weight: 1,
                              propensity: score.row(d.treated.count + i, weightDerivative: 0))
            }
            for (i, s) in d.external.enumerated() {
                sample.append(s, treated: false, weight: w[i],
                              propensity: score.row(trial.count + i, weightDerivative: 1))
            }
            return try EndpointAnalysis.estimate(sample, plan: plan, adjustment: .covariates, robust: true,
                                                 label: design.title)
        case .hybridDynamic:
            return try dynamicBorrowing(d)
        case .externalUnadjusted:
            var sample = AnalysisSample()
            for s in d.treated { sample.append(s, treated: true, weight: 1) }
            for s in d.external { sample.append(s, treated: false, weight: 1) }
            return try EndpointAnalysis.estimate(sample, plan: plan, adjustment: .none, robust: true,
                                                 label: design.title)
        }
    }

    /// The hybrid design with dynamic borrowing: the control arm's mean change has a robust mixture
    /// prior from the external controls (weighted to the trial's patients by the odds of trial
    /// membership, as in the fixed hybrid; informative weight 0.5, vague part of one patient's
    /// information), updated by the concurrent controls; the effect is the treated mean change minus
    /// the control mean (flat prior), summarized by its posterior mean, SD and 95 % interval.
    /// Means of the change, not baseline-adjusted: randomization balances the concurrent part.
    func dynamicBorrowing(_ d: ReplicateDraw) throws(TrialDesignError) -> EffectEstimate {
        guard !plan.specification.endpoint.isTimeToEvent else {
            throw TrialDesignError("dynamic borrowing is implemented for measure endpoints only")
        }
        let concurrent = Array(d.concurrent.prefix(settings.hybridConcurrentControls))
        let trial = d.treated + concurrent
        let score = try PropensityScore.fit(treated: trial.map(\.covariates), controls: d.external.map(\.covariates),
                                            plan: plan)
        let weights = score.attWeights()
        let t = d.treated.map { $0.outcome(plan) }.filter(\.isFinite)
        let c = concurrent.map { $0.outcome(plan) }.filter(\.isFinite)
        var e: [Double] = [], w: [Double] = []
        for (i, s) in d.external.enumerated() where s.outcome(plan).isFinite {
            e.append(s.outcome(plan)); w.append(weights[i])
        }
        guard t.count >= 2, c.count >= 2, e.count >= 2 else {
            throw TrialDesignError("too few patients with the endpoint for dynamic borrowing")
        }
        func meanSE(_ x: [Double]) -> (Double, Double, Double) {
            let m = x.reduce(0, +) / Double(x.count)
            let sd = (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
            return (m, sd / Double(x.count).squareRoot(), sd)
        }
        let (mt, st, _) = meanSE(t), (mc, sc, sdc) = meanSE(c)
        let sw = w.reduce(0, +)
        let me = zip(e, w).reduce(0) { $0 + $1.0 * $1.1 } / sw
        let ve = zip(e, w).reduce(0) { $0 + $1.1 * ($1.0 - me) * ($1.0 - me) } / sw
        let ess = sw * sw / w.reduce(0) { $0 + $1 * $1 }
        let prior = RobustMixturePrior(externalMean: me, externalSE: (ve / ess).squareRoot(), outcomeSD: sdc)
        let (posterior, informative) = prior.effect(treatedMean: mt, treatedSE: st, concurrentMean: mc,
                                                    concurrentSE: sc)
        let lower = posterior.quantile(0.025), upper = posterior.quantile(0.975)
        let below = posterior.cdf(0)
        let coefficient = CoefficientEstimate(
            name: "treatment", estimate: posterior.mean, standardError: posterior.sd,
            statistic: posterior.mean / posterior.sd, pValue: 2 * min(below, 1 - below),
            confidenceInterval: ConfidenceInterval(lower: lower, upper: upper, level: 0.95))
        var estimate = EffectEstimate(coefficient, treated: t.count, control: c.count,
                                      method: TrialDesignKind.hybridDynamic.title)
        estimate.borrowedControls = informative * prior.priorEffectiveSize
        estimate.priorEffectiveControls = prior.priorEffectiveSize
        return estimate
    }
}
