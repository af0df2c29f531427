import Foundation
import Simulation
import Testing
import Timelines
@testable import TrialDesign

/// The estimand's intercurrent events (ICH E9(R1), issue 11): each strategy changes the endpoint
/// data the way it says, checked on records with a death or a treatment placed in follow-up.
struct EstimandTests {
    static func ambulation(_ strategy: String?) throws -> TrialPlan {
        try Fixtures.plan(json: try Fixtures.exampleJSON("friedreich-ataxia-ambulation.json") { o in
            if let strategy { o["estimand"] = ["intercurrentEvents": [["event": "death", "strategy": strategy]]] }
        })
    }

    /// A pool patient's record with death moved to `years` after the index date and no endpoint event.
    static func record(plan: TrialPlan, deathAfter years: Double) throws -> (PatientTimeline, CalendarDay) {
        let pool = try PoolSampler(plan: plan, seed: 3, threads: 2).generate(count: 20)
        var record = try #require(pool.patients[0].record)
        let index = pool.patients[0].subject.indexDay
        let loa = plan.concepts.events[plan.template.eventIndex("loss-of-ambulation")!]
        record.events.removeAll { $0.concept == loa && $0.day > index }
        let death = index.adding(days: Int(years * CalendarDay.daysPerYear))
        record.death = death
        record.followUpEnd = death
        return (record, index)
    }

    @Test func deathIsCensoredByDefaultAndAnEventWhenComposite() throws {
        for (strategy, expectEvent) in [(nil, false), ("hypothetical", false), ("composite", true)] as [(String?, Bool)] {
            let plan = try Self.ambulation(strategy)
            let (record, index) = try Self.record(plan: plan, deathAfter: 1.5)
            let s = SubjectExtractor(plan: plan).subject(record, indexDay: index)
            #expect(s.event == expectEvent, "\(strategy ?? "default")")
            #expect(abs(s.time - Double(index.days(to: record.death!)) / CalendarDay.daysPerYear) < 1e-12)
        }
    }

    @Test func aTreatmentInFollowUpDropsLaterValuesUnderHypotheticalOnly() throws {
        for strategy in ["treatment-policy", "hypothetical"] {
            let plan = try Fixtures.plan(json: try Fixtures.moxieJSON { o in
                o["estimand"] = ["intercurrentEvents": [["event": "treatment", "strategy": strategy]]]
            })
            let pool = try PoolSampler(plan: plan, seed: 5, threads: 2).generate(count: 10)
            var record = try #require(pool.patients[0].record)
            let index = pool.patients[0].subject.indexDay
            let before = SubjectExtractor(plan: plan).subject(record, indexDay: index)
            try #require(before.values.allSatisfy { $0.isFinite })
            // Omaveloxolone started 18 months after the index date: the 24- and 36-month visits follow it.
            record.events.append(TimelineEvent(day: index.adding(days: 548), kind: .medicationStart,
                                               concept: plan.concepts.treatments[0]))
            let after = SubjectExtractor(plan: plan).subject(record, indexDay: index)
            if strategy == "hypothetical" {
                #expect(after.values[1].isFinite && after.values[2].isNaN && after.values[3].isNaN)
            } else {
                #expect(after.values == before.values)
            }
        }
    }

    @Test func impossibleStrategiesAreRefusedWithTheirPath() throws {
        #expect(throws: (any Error).self) {   // composite needs a time-to-event endpoint
            _ = try Fixtures.plan(json: try Fixtures.moxieJSON { o in
                o["estimand"] = ["intercurrentEvents": [["event": "death", "strategy": "composite"]]]
            })
        }
        #expect(throws: (any Error).self) { _ = try Self.ambulation("treatment-policy") }
        #expect(throws: (any Error).self) {
            _ = try Fixtures.plan(json: try Fixtures.moxieJSON { o in
                o["estimand"] = ["intercurrentEvents": [["event": "stroke", "strategy": "hypothetical"]]]
            })
        }
    }
}

/// A hazard ratio on a composite endpoint that counts death (ENDEAR's event-free survival): the effect acts on
/// the time to the event or death, so a randomized trial estimates it without bias. Imposed on the event
/// alone, treated patients' deaths only censored while the controls' deaths counted, and the log hazard ratio
/// came out about 0.5 too strong in every design.
struct CompositeDeathEffectTests {
    @Test func randomizedTrialRecoversTheHazardRatioOfACompositeEndpoint() throws {
        let plan = try Fixtures.plan("spinal-muscular-atrophy-endear.json")
        try #require(plan.specification.intercurrentEvents.contains { $0.event == "death" && $0.strategy == .composite })
        let oc = try Fixtures.simulation(plan, effect: .hazardRatio(0.53), replicates: 120, seed: 5,
                                         designs: [.randomized], treated: 80, concurrent: 80, hybrid: 0,
                                         external: 0, pool: 1_500).run()
        let rct = try #require(oc.performance(of: .randomized))
        #expect(abs(rct.bias.value) < 4 * rct.bias.standardError + 0.05, "RCT bias \(rct.bias)")
    }
}
