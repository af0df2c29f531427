import Foundation
import Statistics
import Testing
@testable import TrialDesign

/// E-values and the tipping point of a control-arm estimate (issue 11), from their definitions.
struct SensitivityTests {
    @Test func tippingPointIsTheDistanceFromTheCILimitToTheNull() throws {
        let plan = try Fixtures.plan("friedreich-ataxia-moxie.json")
        let sampler = PoolSampler(plan: plan, seed: 17, threads: 2, keepRecords: false)
        let pool = try sampler.generate(count: 600)
        let (arm, _) = try sampler.simulateTreated(count: 60, effect: .progressionMultiplier(0.4), controls: pool)
        let treated = arm.patients.map(\.subject), controls = pool.patients.map(\.subject)
        let r = try ControlArm.analyse(plan: plan, treated: treated, pool: controls, method: .match)
        let s = try #require(r.sensitivity)
        try #require(r.estimate.upper < 0, "the effect must be significant for a tipping point: \(r.estimate)")
        #expect(s.tippingPoint == abs(r.estimate.upper))
        // Shifting every control's outcome by the tipping point moves the CI's upper limit to 0.
        let shift = try #require(s.tippingPoint)
        let shifted = controls.map { c -> TrialSubject in
            var c = c
            c.values = c.values.enumerated().map { k, v in k == plan.endpointVisit ? v - shift : v }
            return c
        }
        let again = try ControlArm.analyse(plan: plan, treated: treated, pool: shifted, method: .match)
        #expect(abs(again.estimate.upper) < 1e-9, "\(again.estimate.upper)")
        // The E-value is VanderWeele and Ding's of exp(0.91 d) with d in the controls' outcome SD.
        let outcomes = controls.indices.filter { r.controlWeights[$0] > 0 }.map { controls[$0].outcome(plan) }
            .filter(\.isFinite)
        let sd = try Descriptive.standardDeviation(outcomes)
        #expect(abs(s.eValue - EValue.riskRatio(exp(0.91 * r.estimate.estimate / sd))) < 1e-12)
        #expect(abs((s.tippingPointSD ?? .nan) - shift / sd) < 1e-12)
    }
}

/// trial-sim with an unmeasured confounder (issue 11): treated patients are selected on GAA1,
/// which the trial's covariates leave out; randomized designs stay unbiased, synthetic ones do not.
struct UnmeasuredConfoundingTests {
    @Test func selectionOnAHiddenVariableBiasesOnlyTheExternalComparisons() throws {
        let plan = try Fixtures.plan(json: try Fixtures.moxieJSON { o in
            o["covariates"] = ["age", "sex", "disease-duration", "mfars"]
            var s = o["simulation"] as! [String: Any]
            s["treatedSelection"] = ["logOdds": ["gaa1": -0.006]]
            o["simulation"] = s
        })
        let hidden = try #require(plan.covariates.first { $0.name == "gaa1" })
        #expect(hidden.isHidden)
        let oc = try Fixtures.simulation(plan, effect: .difference(-2), replicates: 200, seed: 12,
                                         designs: [.randomized, .syntheticWeighting], treated: 40, concurrent: 40,
                                         hybrid: 0, external: 300, pool: 2_000).run()
        let rct = try #require(oc.performance(of: .randomized))
        let synthetic = try #require(oc.performance(of: .syntheticWeighting))
        #expect(abs(rct.bias.value) < 4 * rct.bias.standardError + 0.05, "RCT bias \(rct.bias)")
        // Shorter GAA1 repeats progress more slowly: the treated look better than they are.
        #expect(synthetic.bias.value < -6 * synthetic.bias.standardError, "synthetic bias \(synthetic.bias)")
    }
}

/// Overlap (ATO) weights (issue 11): 1 − e for the treated, e for the controls, and a stacked
/// sandwich whose weight derivatives follow them.
struct OverlapWeightsTests {
    @Test func overlapWeightsRecoverAConstantEffect() throws {
        let plan = try Fixtures.plan("friedreich-ataxia-moxie.json")
        let sampler = PoolSampler(plan: plan, seed: 23, threads: 2, keepRecords: false)
        let pool = try sampler.generate(count: 800)
        let (arm, truth) = try sampler.simulateTreated(count: 80, effect: .difference(-3), controls: pool)
        let treated = arm.patients.map(\.subject), controls = pool.patients.map(\.subject)
        let r = try ControlArm.analyse(plan: plan, treated: treated, pool: controls, method: .overlap)
        #expect(r.estimate.method.contains("overlap-weighted (ATO)"))
        #expect(r.estimate.covers(truth), "\(r.estimate) vs \(truth)")
        for (i, w) in r.treatedWeights.enumerated() { #expect(abs(w - (1 - r.propensity.treatedScores[i])) < 1e-12) }
        for (i, w) in r.controlWeights.enumerated() { #expect(abs(w - r.propensity.controlScores[i]) < 1e-12) }
        // Overlap weights balance the propensity model's covariates exactly on average (a property of ATO
        // with a logistic score; the ridge penalty makes it approximate).
        for row in r.balance { #expect(abs(row.smdAfter) < 0.05, "\(row.name) \(row.smdAfter)") }
    }
}
