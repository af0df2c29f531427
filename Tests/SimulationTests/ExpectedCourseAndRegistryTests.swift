import DiseaseModeling
import Testing
import Timelines
import ZebraTestSupport
@testable import Simulation

@Suite struct ExpectedCourseTests {
    let template: DiseaseTemplate

    init() throws {
        template = try TestSupport.minimalDiseaseTemplate()
    }

    /// Score: 10 at onset, +2/y (×1.5 in neither subtype here), halved after the milestone and by the drug.
    @Test func followsTheTemplateWithImposedStates() {
        let birth = CalendarDay(year: 1980, month: 1, day: 1)
        let milestone = template.stateIndex("milestone")!, drug = template.stateIndex("drug")!
        let history = KnownHistory(sex: .male, birth: birth, categories: [0, nil], numbers: [nil, 500],
                                   entries: [(DiseaseTemplate.onsetState, 20), (DiseaseTemplate.diagnosisState, 21),
                                             (milestone, 30), (drug, 34)],
                                   exits: [(drug, 38)])
        let course = ExpectedCourse.compute(template: template, history: history, until: 50)
        #expect(abs(course.value(ofMeasure: 0, atAge: 25) - 20) < 1e-9)
        #expect(abs(course.value(ofMeasure: 0, atAge: 30) - 30) < 1e-9)
        #expect(abs(course.value(ofMeasure: 0, atAge: 34) - 34) < 1e-9)   // 1/y after the milestone
        #expect(abs(course.value(ofMeasure: 0, atAge: 38) - 36) < 1e-9)   // 0.5/y on the drug
        #expect(abs(course.value(ofMeasure: 0, atAge: 40) - 38) < 1e-9)   // drug stopped: 1/y again
        #expect(course.isActive(state: drug, atAge: 35) && !course.isActive(state: drug, atAge: 39))
        #expect(course.eventOccurrences.map(\.event) == [template.eventIndex("milestone")!])
    }

    @Test func unknownOnsetIsPlacedBeforeDiagnosis() {
        let history = KnownHistory(sex: .female, birth: CalendarDay(year: 1990, month: 1, day: 1),
                                   categories: [nil, nil], numbers: [nil, nil],
                                   entries: [(DiseaseTemplate.diagnosisState, 25)])
        let course = ExpectedCourse.compute(template: template, history: history, until: 40)
        // The toy diagnosis delay is fixed at 1 year.
        #expect(abs(course.entryAge(of: DiseaseTemplate.onsetState)! - 24) < 1e-9)
        // Unknown subtype: the most likely for women (b, 0.6); unknown repeats: the median, 500.
        #expect(course.context.categories[0] == 1)
        #expect(course.context.numbers[1] == 500)
    }
}

@Suite struct RegistryExtractTests {
    @Test func enrolsMidCourseAndRecordsHistory() throws {
        let t = try TestSupport.shippedTemplate("friedreich-ataxia")
        var options = SimulationOptions(seed: 21)
        options.registry = RegistryProtocol(opened: CalendarDay(year: 2005, month: 1, day: 1), meanFollowUpYears: 5)
        let simulator = CohortSimulator(template: t, options: options)
        let concepts = simulator.concepts
        var historyBeforeEnrolment = 0
        for p in simulator.patients(0..<150, threads: 2) {
            guard let enrol = p.firstVisitAge else { Issue.record("patient \(p.index) never enrolled"); continue }
            let enrolDay = p.timeline.birth.adding(years: enrol)
            #expect(enrolDay >= options.registry!.opened)
            #expect(enrol >= p.course.entryAge(of: DiseaseTemplate.diagnosisState)!)
            #expect(enrolDay <= options.endDate!.adding(days: -365))
            #expect(p.timeline.followUpEnd <= options.endDate!)
            for e in p.timeline.events where e.kind == .quantity || e.kind == .encounter { #expect(e.day >= enrolDay) }
            if p.timeline.events.contains(where: {
                $0.kind == .condition && $0.concept == concepts.condition && $0.day < enrolDay
            }) {
                historyBeforeEnrolment += 1
            }
        }
        #expect(historyBeforeEnrolment > 100)
    }
}
