import Foundation
import Simulation
import Statistics
import Testing
import Timelines
@testable import TrialDesign

/// `"missingCovariates": "impute"`: treated patients lacking a baseline covariate stay in, each
/// imputed data set is analysed, and the estimate is pooled by Rubin's rules.
struct ImputedAnalysisTests {
    static func arms(imputations: Int = 5) throws -> (plan: TrialPlan, records: [PatientTimeline],
                                                      complete: [TrialSubject], pool: [TrialSubject]) {
        let plan = try Fixtures.plan(json: try Fixtures.moxieJSON {
            $0["missingCovariates"] = "impute"
            $0["imputations"] = imputations
        })
        let sampler = PoolSampler(plan: plan, seed: 31, threads: 2, keepRecords: true)
        let pool = try sampler.generate(count: 150)
        let (arm, _) = try sampler.simulateTreated(count: 30, effect: .progressionMultiplier(0.5), controls: pool)
        return (plan, arm.patients.map { $0.record! }, arm.patients.map(\.subject), pool.patients.map(\.subject))
    }

    /// Removes gaa1 from some records and the baseline mFARS (the endpoint's baseline) from others.
    static func withGaps(_ records: [PatientTimeline], plan: TrialPlan, complete: [TrialSubject]) -> [PatientTimeline] {
        let gaa1 = plan.concepts.attributes[plan.template.attributeIndex("gaa1")!]
        let mfars = plan.concepts.measures[plan.template.measureIndex("mfars")!]
        var edited = records
        for i in [2, 5, 11] {
            edited[i].attributes.removeAll { $0.name == "gaa1" }
            edited[i].events.removeAll { $0.concept == gaa1 }
        }
        for i in [3, 8] {
            let index = complete[i].indexDay.daysSinceEpoch
            edited[i].events.removeAll {
                $0.concept == mfars && $0.day.daysSinceEpoch <= index
                    && $0.day.daysSinceEpoch >= index - Int32(plan.specification.baselineWindowDays)
            }
        }
        return edited
    }

    @Test func missingBaselinesAreImputedAndPooledByRubinsRules() throws {
        let (plan, records, complete, pool) = try Self.arms()
        #expect(plan.specification.missingCovariates == .impute && plan.specification.imputations == 5)
        let arm = try TreatedArm.read(Self.withGaps(records, plan: plan, complete: complete), concepts: plan.concepts,
                                      plan: plan)
        try #require(arm.subjects.count == 30 && arm.excluded.isEmpty)
        #expect(arm.subjects[3].baseline.isNaN && arm.subjects[8].baseline.isNaN)
        let result = try ControlArm.analyse(plan: plan, treated: arm.subjects, pool: pool, method: .weight, seed: 7)
        let imputation = try #require(result.imputation)
        #expect(imputation.imputations == 5 && imputation.estimates.count == 5)
        #expect(imputation.missing.map(\.covariate) == ["gaa1", "mfars"])
        #expect(imputation.missing.map(\.treated) == [3, 2] && imputation.missing.map(\.controls) == [0, 0])
        let mean = imputation.estimates.map(\.estimate).reduce(0, +) / 5
        #expect(abs(result.estimate.estimate - mean) < 1e-12)
        #expect(result.estimate.estimate == imputation.pooled.estimate)
        let within = imputation.estimates.map { $0.standardError * $0.standardError }.reduce(0, +) / 5
        #expect(result.estimate.standardError >= within.squareRoot())
        #expect(Set(imputation.estimates.map(\.estimate)).count > 1, "the imputations must differ")
        #expect(result.estimate.method.hasSuffix("pooled over 5 imputations by Rubin's rules"))
        // The imputed endpoint baselines bring both patients into the ANCOVA, as with complete data.
        let full = try ControlArm.analyse(plan: plan, treated: complete, pool: pool, method: .weight)
        #expect(full.imputation == nil)
        #expect(result.estimate.treatedCount == full.estimate.treatedCount)
        #expect(abs(result.estimate.estimate - full.estimate.estimate) < 0.5 * full.estimate.standardError)
        #expect(result.repeatedMeasures?.estimate.method.contains("Rubin") == true)
    }

    @Test(arguments: [7, 8] as [UInt64]) func theSameSeedGivesTheSameImputations(seed: UInt64) throws {
        let (plan, records, complete, pool) = try Self.arms(imputations: 2)
        let arm = try TreatedArm.read(Self.withGaps(records, plan: plan, complete: complete), concepts: plan.concepts,
                                      plan: plan)
        let a = try ControlArm.analyse(plan: plan, treated: arm.subjects, pool: pool, method: .match, seed: seed)
        let b = try ControlArm.analyse(plan: plan, treated: arm.subjects, pool: pool, method: .match, seed: seed)
        let c = try ControlArm.analyse(plan: plan, treated: arm.subjects, pool: pool, method: .match, seed: seed + 100)
        try #require(a.imputation?.estimates.count == 2)
        #expect(a.imputation!.estimates == b.imputation!.estimates && a.estimate == b.estimate)
        #expect(a.imputation!.estimates != c.imputation!.estimates)
    }
}
