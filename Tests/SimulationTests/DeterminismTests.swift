import DiseaseModeling
import FHIRExport
import Testing
import Timelines
import ZebraTestSupport
@testable import Simulation

@Suite struct DeterminismTests {
    func ndjson(_ patients: [SimulatedPatient], _ simulator: CohortSimulator) -> [UInt8] {
        let serializer = FHIRSerializer(concepts: simulator.concepts.table, source: "urn:test")
        var buffers = ResourceBuffers()
        for p in patients { serializer.appendNDJSON(p.timeline, to: &buffers) }
        return buffers.writers.flatMap(\.bytes)
    }

    @Test(arguments: TestSupport.shippedDiseases)
    func sameBytesWhateverTheThreadCount(id: String) throws {
        let simulator = CohortSimulator(template: try TestSupport.shippedTemplate(id),
                                        options: SimulationOptions(seed: 42))
        let one = simulator.patients(0..<120, threads: 1)
        let many = simulator.patients(0..<120, threads: 4)
        try #require(one.count == 120 && many.count == 120)
        let bytes = ndjson(one, simulator)
        #expect(!bytes.isEmpty)
        #expect(bytes == ndjson(many, simulator))
        #expect(one.map(\.timeline.id) == many.map(\.timeline.id))
        // Patient 57 alone is the same as patient 57 inside the cohort.
        #expect(ndjson([simulator.patient(57)], simulator) == ndjson([one[57]], simulator))
    }

    @Test func differentSeedsGiveDifferentCohorts() throws {
        let t = try TestSupport.shippedTemplate("fabry")
        let a = CohortSimulator(template: t, options: SimulationOptions(seed: 1)).patients(0..<20, threads: 1)
        let b = CohortSimulator(template: t, options: SimulationOptions(seed: 2)).patients(0..<20, threads: 1)
        try #require(a.count == 20 && b.count == 20)
        #expect(a.map(\.timeline.id) != b.map(\.timeline.id))
    }

    /// A later end date only adds to a record: the course is simulated whole, the record is cut.
    @Test func endDateCutsTheSameCourse() throws {
        let t = try TestSupport.shippedTemplate("friedreich-ataxia")
        var early = SimulationOptions(seed: 9, endDate: CalendarDay(year: 2010, month: 1, day: 1))
        early.requireDiagnosis = false
        var late = early
        late.endDate = CalendarDay(year: 2025, month: 12, day: 31)
        let a = CohortSimulator(template: t, options: early).patients(0..<60, threads: 2)
        let b = CohortSimulator(template: t, options: late).patients(0..<60, threads: 2)
        try #require(a.count == 60 && b.count == 60)
        var recordedBefore = 0
        for (x, y) in zip(a, b) {
            #expect(x.course.deathAge == y.course.deathAge)
            #expect(x.course.stateChanges == y.course.stateChanges)
            let prefix = y.timeline.events.filter { $0.day <= early.endDate! }
            // Visits and observations up to the earlier end date are identical.
            let kinds: Set<TimelineEvent.Kind> = [.encounter, .quantity, .codedValue]
            let observed = x.timeline.events.filter { kinds.contains($0.kind) }
            #expect(observed == prefix.filter { kinds.contains($0.kind) })
            if !observed.isEmpty { recordedBefore += 1 }
        }
        // The comparison is not vacuous: most records have visits before the earlier end date (36 of 60).
        #expect(recordedBefore > 20, "\(recordedBefore) of 60 records have visits before 2010")
    }
}
