import Foundation
import Statistics

/// A treatment-effect estimate with its 95 % confidence interval.
package struct EffectEstimate: Sendable, Equatable {
    /// Difference (treated − control) in the endpoint, or the log hazard ratio.
    package var estimate: Double
    package var standardError: Double
    package var lower: Double
    package var upper: Double
    package var pValue: Double
    /// Patients analysed per arm (effective counts are in the balance output).
    package var treatedCount: Int
    package var controlCount: Int
    /// How it was estimated, e.g. "weighted ANCOVA (HC1)".
    package var method: String
    /// Dynamic borrowing: the external controls' effective number after the data (the prior's
    /// informative part, weighted by its posterior probability).
    package var borrowedControls: Double?
    /// Dynamic borrowing: the prior's informative part as a number of patients.
    package var priorEffectiveControls: Double?

    /// Whether the confidence interval contains `value`.
    package func covers(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// Whether the interval excludes 0 (a "significant" result at the 5 % level).
    package var rejectsNull: Bool { lower > 0 || upper < 0 }

    init(estimate: Double, standardError: Double, lower: Double, upper: Double, pValue: Double, treatedCount: Int,
         controlCount: Int, method: String, borrowedControls: Double?, priorEffectiveControls: Double?) {
        self.estimate = estimate
        self.standardError = standardError
        self.lower = lower
        self.upper = upper
        self.pValue = pValue
        self.treatedCount = treatedCount
        self.controlCount = controlCount
        self.method = method
        self.borrowedControls = borrowedControls
        self.priorEffectiveControls = priorEffectiveControls
    }

    init(_ e: CoefficientEstimate, treated: Int, control: Int, method: String) {
        estimate = e.estimate
        standardError = e.standardError
        lower = e.confidenceInterval.lower
        upper = e.confidenceInterval.upper
        pValue = e.pValue
        treatedCount = treated
        controlCount = control
        self.method = method
    }
}

/// One analysis data set: both arms, with per-patient weights.
struct AnalysisSample {
    var subjects: [TrialSubject] = []
    var treated: [Double] = []
    var weights: [Double] = []
    var extra: [[Double]] = []
    /// Each patient's propensity row, when the weights are odds of an estimated score.
    var propensity: [PropensityRow?] = []
    var ridge = PropensityScore.ridge

    mutating func append(_ s: TrialSubject, treated t: Bool, weight: Double, extra x: [Double] = [],
                         propensity row: PropensityRow? = nil) {
        guard weight > 0 else { return }
        subjects.append(s)
        treated.append(t ? 1 : 0)
        weights.append(weight)
        extra.append(x)
        propensity.append(row)
    }

    /// Whether every patient has a propensity row (the weights come from an estimated score).
    var hasEstimatedWeights: Bool { !propensity.isEmpty && propensity.allSatisfy { $0 != nil } }
}

/// The endpoint analyses: ANCOVA on a change or slope, Cox (with Kaplan–Meier and log-rank for
/// reporting) on time to event.
enum EndpointAnalysis {
    /// Adjustment in the outcome model.
    enum Adjustment {
        /// The endpoint measure's baseline only.
        case baseline
        /// Baseline and every usable covariate column (doubly robust with a propensity design).
        case covariates
        /// Baseline and the extra column (a prognostic score).
        case prognostic
        case none
    }

    static func estimate(_ sample: AnalysisSample, plan: TrialPlan, adjustment: Adjustment,
                         robust: Bool, label: String) throws(TrialDesignError) -> EffectEstimate {
        if plan.specification.endpoint.isTimeToEvent {
            return try cox(sample, plan: plan, adjustment: adjustment, robust: robust, label: label)
        }
        return try ancova(sample, plan: plan, adjustment: adjustment, robust: robust, label: label)
    }

    static func ancova(_ sample: AnalysisSample, plan: TrialPlan, adjustment: Adjustment,
                       robust: Bool, label: String) throws(TrialDesignError) -> EffectEstimate {
        var y: [Double] = [], t: [Double] = [], b: [Double] = [], w: [Double] = [], rows: [[Double]] = [],
            extra: [Double] = []
        var outcomeRow = [Int?](repeating: nil, count: sample.subjects.count)
        for (i, s) in sample.subjects.enumerated() {
            let o = s.outcome(plan)
            guard o.isFinite, s.baseline.isFinite || adjustment == .none else { continue }
            outcomeRow[i] = y.count
            y.append(o); t.append(sample.treated[i]); b.append(s.baseline); w.append(sample.weights[i])
            rows.append(s.covariates); extra.append(sample.extra[i].first ?? 0)
        }
        let nt = t.filter { $0 == 1 }.count, nc = t.count - nt
        guard nt >= 2, nc >= 2 else {
            throw TrialDesignError("too few patients with the endpoint to compare (\(nt) treated, \(nc) control)")
        }
        var covariates: [Regressor] = []
        switch adjustment {
        case .covariates:
            let design = DesignColumns.endpointAdjustment(rows: rows, plan: plan)
            covariates = design.regressors(rows)
        case .prognostic: covariates = [Regressor("prognostic", extra)]
        case .baseline, .none: break
        }
        let weighted = w.contains { $0 != 1 }
        var regressors = [Regressor(LinearRegression.treatmentName, t)]
        if adjustment != .none { regressors.append(Regressor(LinearRegression.baselineName, b)) }
        regressors += covariates
        do {
            let fit = try LinearRegression.fit(response: y, regressors: regressors, weights: weighted ? w : nil)
            guard sample.hasEstimatedWeights else {
                let e = try fit.estimate(LinearRegression.treatmentName, covariance: robust ? .robust : .classical)
                return EffectEstimate(e, treated: nt, control: nc, method: label)
            }
            let z = y.indices.map { i in [1.0] + regressors.map { $0.values[i] } }
            let v = try EstimatedWeightsVariance.covariance(
                z: z, residuals: fit.residuals, weights: w, outcomeRow: outcomeRow,
                propensity: sample.propensity.map { $0! }, ridge: sample.ridge)
            let pg = sample.propensity[0]!.x.count
            let e = try EstimatedWeightsVariance.estimate(LinearRegression.treatmentName, value: fit.coefficients[1],
                                                          variance: v[pg + 1, pg + 1],
                                                          df: Double(fit.residualDegreesOfFreedom))
            return EffectEstimate(e, treated: nt, control: nc, method: label)
        } catch {
            throw TrialDesignError("the \(label) could not be fitted: \(error)")
        }
    }

    static func cox(_ sample: AnalysisSample, plan: TrialPlan, adjustment: Adjustment,
                    robust: Bool, label: String) throws(TrialDesignError) -> EffectEstimate {
        let t = sample.treated
        let nt = t.filter { $0 == 1 }.count, nc = t.count - nt
        guard nt >= 2, nc >= 2 else {
            throw TrialDesignError("too few patients to compare (\(nt) treated, \(nc) control)")
        }
        var covariates = [Regressor("treatment", t)]
        if adjustment == .prognostic { covariates.append(Regressor("prognostic", sample.extra.map { $0.first ?? 0 })) }
        let weighted = sample.weights.contains { $0 != 1 }
        do {
            let fit = try CoxRegression.fit(times: sample.subjects.map(\.time), events: sample.subjects.map(\.event),
                                            covariates: covariates, weights: weighted ? sample.weights : nil,
                                            options: CoxRegressionOptions(covariance: robust ? .robust : .classical))
            return EffectEstimate(try fit.estimate("treatment"), treated: nt, control: nc, method: label)
        } catch {
            throw TrialDesignError("the \(label) could not be fitted: \(error)")
        }
    }
}
