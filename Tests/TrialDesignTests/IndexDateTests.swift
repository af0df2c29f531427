import DiseaseModeling
import Foundation
import Simulation
import Testing
import Timelines
@testable import TrialDesign

/// Issue 11 defects: eligibility holds on the calendar day of the index date, as the record shows
/// it. A patient who loses ambulation, or dies, on the index date is not eligible that day.
struct IndexDateTests {
    @Test(arguments: [1, 2] as [UInt64])
    func everyEligibleIndexDayIsBeforeTheEventAndDeath(seed: UInt64) throws {
        let plan = try Fixtures.plan("friedreich-ataxia-ambulation.json")
        let scan = EligibilityScan(criteria: plan.criteria, template: plan.template, step: 7 / CalendarDay.daysPerYear)
        var options = SimulationOptions(seed: seed)
        options.treatmentsEnabled = false
        let simulator = CohortSimulator(template: plan.template, options: options)
        let loa = try #require(plan.template.eventIndex("loss-of-ambulation"))
        let state = plan.template.stateIndex(ofEvent: loa)
        var closeCalls = 0
        for patient in simulator.patients(0..<800, threads: 2) {
            let course = patient.course
            let ages = scan.eligibleAges(course, scan.orderedCriteria, firstOnly: false)
            guard let last = ages.last else { continue }
            let lastDay = course.birth.adding(years: last)
            let deathDay = course.birth.adding(years: course.deathAge)
            #expect(lastDay < deathDay, "\(patient.timeline.id): eligible on the day of death")
            if let entry = course.entryAge(of: state) {
                let eventDay = course.birth.adding(years: entry)
                #expect(lastDay < eventDay, "\(patient.timeline.id): eligible on the day ambulation was lost")
                // Lives whose eligibility ends at the event within a grid step: the cases the check is about.
                if entry - last < 8 / CalendarDay.daysPerYear { closeCalls += 1 }
            }
        }
        try #require(closeCalls >= 20, "too few eligible periods ending at the event (\(closeCalls)) for the test to bite")
    }

    @Test func poolRecordsHoldNoEndpointOrDeathOnOrBeforeTheIndexDate() throws {
        let plan = try Fixtures.plan("friedreich-ataxia-ambulation.json")
        let pool = try PoolSampler(plan: plan, seed: 3, threads: 2).generate(count: 300)
        try #require(pool.patients.count == 300)
        let loa = try #require(plan.template.eventIndex("loss-of-ambulation"))
        let concept = plan.concepts.events[loa]
        var events = 0
        for p in pool.patients {
            let record = try #require(p.record)
            let index = p.subject.indexDay
            let conditions = record.events.filter { $0.kind == .condition && $0.concept == concept }
            #expect(conditions.count <= 1, "\(record.id): loss of ambulation written \(conditions.count) times")
            #expect(conditions.allSatisfy { $0.day > index }, "\(record.id): ambulation lost on or before the index")
            #expect(record.death.map { $0 > index } ?? true, "\(record.id): died on or before the index date")
            events += conditions.count
            // An event in the record within follow-up is the subject's endpoint event.
            if let c = conditions.first, index.years(to: c.day) <= plan.horizonYears { #expect(p.subject.event) }
        }
        try #require(events >= 10)
    }
}
