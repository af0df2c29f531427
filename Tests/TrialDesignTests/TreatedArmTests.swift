import Foundation
import Simulation
import Testing
import Timelines
@testable import TrialDesign

/// Treated patients read from records (here: simulated records, as an imported file would give):
/// index date at the start of the intervention, the same extractor as the pool, and a clear
/// error naming a covariate the records lack.
struct TreatedArmTests {
    static func simulatedArm() throws -> (plan: TrialPlan, records: [PatientTimeline], subjects: [TrialSubject]) {
        let plan = try Fixtures.plan("friedreich-ataxia-moxie.json")
        let sampler = PoolSampler(plan: plan, seed: 31, threads: 2, keepRecords: true)
        let pool = try sampler.generate(count: 200)
        let (arm, _) = try sampler.simulateTreated(count: 20, effect: .progressionMultiplier(0.5), controls: pool)
        return (plan, arm.patients.map { $0.record! }, arm.patients.map(\.subject))
    }

    @Test func recordsGiveTheSameSubjectsAsTheSimulation() throws {
        let (plan, records, subjects) = try Self.simulatedArm()
        let arm = try TreatedArm.read(records, concepts: plan.concepts, plan: plan)
        #expect(arm.excluded.isEmpty)
        try #require(subjects.count == 20 && arm.subjects.count == subjects.count)
        #expect(arm.subjects.map(\.id) == subjects.map(\.id))
        #expect(arm.subjects.map(\.indexDay) == subjects.map(\.indexDay))
        for (a, b) in zip(arm.subjects, subjects) {
            #expect(a.covariates == b.covariates)
            #expect(a.values.map { $0.isNaN ? -1 : $0 } == b.values.map { $0.isNaN ? -1 : $0 })
        }
    }

    @Test func aMissingCovariateIsNamed() throws {
        let (plan, records, _) = try Self.simulatedArm()
        let gaa1 = plan.concepts.attributes[plan.template.attributeIndex("gaa1")!]
        var edited = records
        for i in [2, 5, 11] {
            edited[i].attributes.removeAll { $0.name == "gaa1" }
            edited[i].events.removeAll { $0.concept == gaa1 }
        }
        let error = #expect(throws: TrialDesignError.self) {
            try TreatedArm.read(edited, concepts: plan.concepts, plan: plan)
        }
        let message = error?.message ?? ""
        #expect(message.contains("the treated arm lacks covariate \"gaa1\", which "
            + "the propensity model needs, for 3 of 20 patients"))
        #expect(message.contains(records[2].id))
    }

    @Test func withMissingCovariatesExcludeThoseWithoutABaselineAreLeftOutWithTheirReason() throws {
        let base = try Fixtures.plan("friedreich-ataxia-moxie.json")
        let plan = try Fixtures.plan(json: try Fixtures.moxieJSON { $0["missingCovariates"] = "exclude" })
        #expect(plan.specification.missingCovariates == .exclude && base.specification.missingCovariates == .refuse)
        let (_, records, subjects) = try Self.simulatedArm()
        let gaa1 = plan.concepts.attributes[plan.template.attributeIndex("gaa1")!]
        var edited = records
        for i in [2, 5, 11] {
            edited[i].attributes.removeAll { $0.name == "gaa1" }
            edited[i].events.removeAll { $0.concept == gaa1 }
        }
        let arm = try TreatedArm.read(edited, concepts: plan.concepts, plan: plan)
        try #require(arm.subjects.count == 17)
        #expect(arm.excluded.map(\.id) == [2, 5, 11].map { records[$0].id })
        #expect(arm.excluded.allSatisfy { $0.reason.hasPrefix("missing baseline covariate gaa1") })
        let kept = subjects.filter { s in !arm.excluded.contains { $0.id == s.id } }
        #expect(arm.subjects.map(\.covariates) == kept.map(\.covariates))
    }

    @Test func anUnknownMissingCovariatePolicyIsRefused() throws {
        #expect(throws: (any Error).self) {
            _ = try Fixtures.plan(json: try Fixtures.moxieJSON { $0["missingCovariates"] = "drop" })
        }
        #expect(throws: (any Error).self) {
            _ = try Fixtures.plan(json: try Fixtures.moxieJSON { $0["imputations"] = 5 })
        }
    }

    @Test func patientsWithoutTheInterventionOrNotEligibleAreLeftOut() throws {
        let (plan, records, _) = try Self.simulatedArm()
        let omav = plan.concepts.treatments[plan.template.treatmentIndex("omaveloxolone")!]
        var edited = records
        edited[0].events.removeAll { $0.concept == omav }
        // Patient 1 starts treatment at 45: outside the age range 16–40.
        if let k = edited[1].events.firstIndex(where: { $0.concept == omav }) {
            edited[1].events[k].day = edited[1].birth.adding(years: 45)
        }
        let arm = try TreatedArm.read(edited, concepts: plan.concepts, plan: plan)
        #expect(arm.subjects.count == 18)
        #expect(arm.excluded.map(\.id) == [records[0].id, records[1].id])
        #expect(arm.excluded[0].reason.contains("no start of omaveloxolone"))
        #expect(arm.excluded[1].reason.contains("outside 16–40"))
    }

    @Test func firstEligibleVisitRuleFindsAVisitMeetingEveryCriterion() throws {
        let (base, records, _) = try Self.simulatedArm()
        var spec = base.specification
        spec.index.treated = .firstEligibleVisit
        let plan = try TrialPlan(specification: spec, template: base.template)
        let arm = try TreatedArm.read(records, concepts: plan.concepts, plan: plan)
        #expect(!arm.subjects.isEmpty)
        for s in arm.subjects {
            #expect(s.covariates[0] >= 16 && s.covariates[0] <= 40)
            #expect(s.baseline >= 20 && s.baseline <= 80)
        }
    }
}
