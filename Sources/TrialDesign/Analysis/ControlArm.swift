import Foundation
import Statistics

/// How the synthetic control arm is formed from the natural-history pool.
package enum ControlMethod: String, Sendable, CaseIterable {
    /// Greedy nearest-neighbour matching on the logit propensity score, with a caliper.
    case match
    /// Weighting for the average treatment effect on the treated (ATT): controls weighted e/(1 − e).
    case weight
    /// Overlap (ATO) weights: treated 1 − e, controls e; the effect where the arms overlap.
    case overlap
}

/// Covariate balance of one column before and after forming the control arm.
package struct BalanceRow: Sendable {
    package var name: String
    package var isBinary: Bool
    package var before: BalanceStatistics
    package var after: BalanceStatistics

    package var smdBefore: Double { before.standardizedMeanDifference }
    package var smdAfter: Double { after.standardizedMeanDifference }
    /// Variance ratios are reported for continuous covariates only.
    package var varianceRatioBefore: Double? { isBinary ? nil : before.varianceRatio }
    package var varianceRatioAfter: Double? { isBinary ? nil : after.varianceRatio }
    /// Whether the column is still imbalanced (|SMD| > 0.1) after adjustment.
    package var isImbalanced: Bool { !(abs(smdAfter) <= ControlArm.smdThreshold) }
}

/// The mean of the endpoint measure by visit in one arm.
package struct ArmTrajectory: Sendable {
    package var arm: String
    package var months: [Double]
    package var mean: [Double]
    package var lower: [Double]
    package var upper: [Double]
    package var counts: [Int]
}

/// A synthetic control arm and the comparison with the treated arm.
package struct ControlArmResult: Sendable {
    package var method: ControlMethod
    package var ratio: Int
    package var propensity: PropensityScore
    package var matched: MatchedSet?
    /// Weight of each pool patient in the control arm (0: not in it).
    package var controlWeights: [Double]
    /// Weight of each treated patient (0: left out, unmatched).
    package var treatedWeights: [Double]
    package var balance: [BalanceRow]
    package var estimate: EffectEstimate
    /// Kish's effective number of controls.
    package var effectiveControls: Double
    package var trajectories: [ArmTrajectory]
    package var survival: [(arm: String, curve: KaplanMeierCurve)]
    /// The log-rank test, only when every weight is 0 or 1 (matching without replacement): with
    /// other weights it would count them as patients.
    package var logRank: LogRankResult?
    /// The robust score test of no difference from the weighted Cox model (valid with any weights).
    package var scoreTest: CoxScoreTest?
    /// E-values and the tipping point (sensitivity to unmeasured confounding).
    package var sensitivity: SensitivityAnalysis?
    /// The MMRM estimate at the endpoint visit beside the ANCOVA (change endpoints).
    package var repeatedMeasures: RepeatedMeasuresEstimate?
    /// Kish's effective number of treated patients (the weights the estimand gives them).
    package var effectiveTreated: Double = .nan
    /// Multiple imputation of missing baseline covariates (`"missingCovariates": "impute"`).
    package var imputation: ImputationSummary?
}

/// The propensity score and each group's weights.
struct FormedControls {
    var score: PropensityScore
    var matched: MatchedSet?
    var treatedWeights: [Double]
    var controlWeights: [Double]
    var overlap = false

    /// The analysis sample; weights from the score carry their propensity rows (for the sandwich).
    func sample(treated: [TrialSubject], controls: [TrialSubject]) -> AnalysisSample {
        var sample = AnalysisSample()
        let weighting = matched == nil
        // ∂w/∂γ = w·c·x: ATT c = 0 (treated) and 1 (controls); ATO c = −e (treated) and 1 − e (controls).
        for (i, s) in treated.enumerated() {
            let c = overlap ? -score.treatedScores[i] : 0
            sample.append(s, treated: true, weight: treatedWeights[i],
                          propensity: weighting ? score.row(i, weightDerivative: c) : nil)
        }
        for (i, s) in controls.enumerated() {
            let c = overlap ? 1 - score.controlScores[i] : 1
            sample.append(s, treated: false, weight: controlWeights[i],
                          propensity: weighting ? score.row(treated.count + i, weightDerivative: c) : nil)
        }
        return sample
    }
}

/// Builds a synthetic control arm from a natural-history pool and compares it with the treated.
package enum ControlArm {
    /// |SMD| above which a covariate counts as imbalanced.
    package static let smdThreshold = 0.1
    /// Caliper width in standard deviations of the logit propensity score (Austin 2011).
    package static let caliperSD = 0.2

    /// Fits the propensity score, forms the control arm by `method`, and analyses the endpoint;
    /// with `"missingCovariates": "impute"` and a covariate missing, on each of the multiply
    /// imputed data sets (drawn from `seed`), pooled by Rubin's rules.
    package static func analyse(plan: TrialPlan, treated: [TrialSubject], pool: [TrialSubject], method: ControlMethod,
                               ratio: Int = 3, seed: UInt64 = 0) throws(TrialDesignError) -> ControlArmResult {
        let incomplete = (treated + pool).contains { s in
            plan.covariates.indices.contains { !plan.covariates[$0].isHidden && s.covariates[$0].isNaN }
        }
        if incomplete && plan.specification.missingCovariates == .impute && treated.count >= 2 && pool.count >= 2 {
            return try analyseImputed(plan: plan, treated: treated, pool: pool, method: method, ratio: ratio,
                                      seed: seed)
        }
        return try analyseComplete(plan: plan, treated: treated, pool: pool, method: method, ratio: ratio)
    }

    /// The analysis on complete covariates.
    static func analyseComplete(plan: TrialPlan, treated: [TrialSubject], pool: [TrialSubject], method: ControlMethod,
                                ratio: Int) throws(TrialDesignError) -> ControlArmResult {
        guard treated.count >= 2 else {
            throw TrialDesignError("the treated arm has \(treated.count) patients; at least 2 are needed")
        }
        guard pool.count >= 2 else {
            throw TrialDesignError("the natural-history pool has \(pool.count) patients; at least 2 are needed")
        }
        let formed = try form(plan: plan, treated: treated, controls: pool, method: method, ratio: ratio)
        let sample = formed.sample(treated: treated, controls: pool)
        let weighting = method == .overlap ? "overlap-weighted (ATO)" : "ATT-weighted"
        let label = method == .match ? "ANCOVA on the matched sample (HC1)"
            : "\(weighting) ANCOVA (sandwich SE including the propensity model)"
        let estimate = try EndpointAnalysis.estimate(
            sample, plan: plan, adjustment: .covariates, robust: true,
            label: plan.specification.endpoint.isTimeToEvent
                ? (method == .match ? "Cox regression on the matched sample (robust SE)"
                    : "\(weighting) Cox regression (robust SE)")
                : label)
        let balance = try balanceRows(plan: plan, treated: treated, pool: pool,
                                      treatedWeights: formed.treatedWeights, controlWeights: formed.controlWeights)
        let positive = formed.controlWeights.filter { $0 > 0 }
        let ess = pow(positive.reduce(0, +), 2) / max(positive.reduce(0) { $0 + $1 * $1 }, 1e-300)
        var result = ControlArmResult(method: method, ratio: ratio, propensity: formed.score, matched: formed.matched,
                                      controlWeights: formed.controlWeights, treatedWeights: formed.treatedWeights,
                                      balance: balance, estimate: estimate, effectiveControls: ess,
                                      trajectories: [], survival: [], logRank: nil)
        let arms = (plan.specification.treatedArm.name, plan.specification.controlArm.name)
        if plan.specification.endpoint.isTimeToEvent {
            try describeSurvival(&result, treated: treated, pool: pool, names: arms)
        } else {
            result.trajectories = [trajectory(arms.0, treated, formed.treatedWeights, plan),
                                   trajectory(arms.1, pool, formed.controlWeights, plan)]
        }
        let tw = formed.treatedWeights.filter { $0 > 0 }
        result.effectiveTreated = pow(tw.reduce(0, +), 2) / max(tw.reduce(0) { $0 + $1 * $1 }, 1e-300)
        result.sensitivity = SensitivityAnalysis.of(result, plan: plan, treated: treated, pool: pool)
        result.repeatedMeasures = ControlArmResult.repeatedMeasures(
            plan: plan, treated: treated, pool: pool, treatedWeights: formed.treatedWeights,
            controlWeights: formed.controlWeights)
        return result
    }

    /// The propensity score and the weights of both groups for `method`.
    static func form(plan: TrialPlan, treated: [TrialSubject], controls: [TrialSubject], method: ControlMethod,
                     ratio: Int) throws(TrialDesignError) -> FormedControls {
        let score = try PropensityScore.fit(treated: treated.map(\.covariates), controls: controls.map(\.covariates),
                                            plan: plan)
        switch method {
        case .overlap:
            let (t, c) = score.overlapWeights()
            return FormedControls(score: score, matched: nil, treatedWeights: t, controlWeights: c, overlap: true)
        case .weight:
            return FormedControls(score: score, matched: nil,
                                  treatedWeights: [Double](repeating: 1, count: treated.count),
                                  controlWeights: score.attWeights())
        case .match:
            let set = Matching.greedy(treatedLogits: score.treatedLogits, controlLogits: score.controlLogits,
                                      ratio: ratio, caliper: caliperSD * score.pooledLogitSD)
            guard set.matchedTreated.count >= 2 else {
                throw TrialDesignError("only \(set.matchedTreated.count) treated patients have a natural-history match "
                    + "within the caliper; the pool does not overlap the treated arm (try --method weight, a larger "
                    + "pool, or wider eligibility)")
            }
            let tw = set.matches.map { $0.isEmpty ? 0.0 : 1.0 }
            return FormedControls(score: score, matched: set, treatedWeights: tw,
                                  controlWeights: set.controlWeights(controlCount: controls.count))
        }
    }

    static func balanceRows(plan: TrialPlan, treated: [TrialSubject], pool: [TrialSubject],
                            treatedWeights: [Double],
                            controlWeights: [Double]) throws(TrialDesignError) -> [BalanceRow] {
        let keepT = treated.indices.filter { treatedWeights[$0] > 0 }
        let keepC = pool.indices.filter { controlWeights[$0] > 0 }
        var rows: [BalanceRow] = []
        for (c, column) in plan.covariates.enumerated() {
            do {
                let before = try Descriptive.balance(treated: treated.map { $0.covariates[c] },
                                                     control: pool.map { $0.covariates[c] })
                let after = try Descriptive.balance(treated: keepT.map { treated[$0].covariates[c] },
                                                    control: keepC.map { pool[$0].covariates[c] },
                                                    treatedWeights: keepT.map { treatedWeights[$0] },
                                                    controlWeights: keepC.map { controlWeights[$0] })
                rows.append(BalanceRow(name: column.isHidden ? column.name + " (unmeasured: not in the model)" : column.name,
                                       isBinary: column.isBinary, before: before, after: after))
            } catch {
                throw TrialDesignError("balance of \(column.name) could not be computed: \(error)")
            }
        }
        return rows
    }

    static func trajectory(_ arm: String, _ subjects: [TrialSubject], _ weights: [Double], _ plan: TrialPlan)
        -> ArmTrajectory {
        var out = ArmTrajectory(arm: arm, months: plan.specification.visitMonths, mean: [], lower: [], upper: [],
                                counts: [])
        for k in plan.visitYears.indices {
            var sw = 0.0, swx = 0.0, n = 0
            for (i, s) in subjects.enumerated() where weights[i] > 0 && s.values[k].isFinite {
                sw += weights[i]; swx += weights[i] * s.values[k]; n += 1
            }
            let m = sw > 0 ? swx / sw : .nan
            var s2 = 0.0
            for (i, s) in subjects.enumerated() where weights[i] > 0 && s.values[k].isFinite {
                let r = weights[i] * (s.values[k] - m)
                s2 += r * r
            }
            let se = sw > 0 && n > 1 ? (s2 * Double(n) / Double(n - 1)).squareRoot() / sw : .nan
            out.mean.append(m); out.lower.append(m - 1.96 * se); out.upper.append(m + 1.96 * se); out.counts.append(n)
        }
        return out
    }

    static func describeSurvival(_ result: inout ControlArmResult, treated: [TrialSubject], pool: [TrialSubject],
                                 names: (String, String)) throws(TrialDesignError) {
        let ti = treated.indices.filter { result.treatedWeights[$0] > 0 }
        let ci = pool.indices.filter { result.controlWeights[$0] > 0 }
        do {
            let kmT = try KaplanMeier.estimate(times: ti.map { treated[$0].time }, events: ti.map { treated[$0].event },
                                               weights: ti.map { result.treatedWeights[$0] })
            let kmC = try KaplanMeier.estimate(times: ci.map { pool[$0].time }, events: ci.map { pool[$0].event },
                                               weights: ci.map { result.controlWeights[$0] })
            result.survival = [(names.0, kmT), (names.1, kmC)]
            let weights = ti.map { result.treatedWeights[$0] } + ci.map { result.controlWeights[$0] }
            let times = ti.map { treated[$0].time } + ci.map { pool[$0].time }
            let events = ti.map { treated[$0].event } + ci.map { pool[$0].event }
            let arm = Regressor("treated", ti.map { _ in 1.0 } + ci.map { _ in 0.0 })
            result.scoreTest = try? CoxRegression.robustScoreTest(times: times, events: events, covariates: [arm],
                                                                  weights: weights)
            if weights.allSatisfy({ $0 == 0 || $0 == 1 }) {
                result.logRank = try? LogRankTest.compare(
                    timesA: ti.map { treated[$0].time }, eventsA: ti.map { treated[$0].event },
                    timesB: ci.map { pool[$0].time }, eventsB: ci.map { pool[$0].event })
            }
        } catch {
            throw TrialDesignError("Kaplan–Meier curves could not be estimated: \(error)")
        }
    }
}
