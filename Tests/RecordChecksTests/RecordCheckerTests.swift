import DiseaseModeling
import Simulation
import Testing
import Timelines
import ZebraTestSupport
@testable import RecordChecks

/// check-records finds every violation planted in otherwise clean records, and only those.
@Suite struct RecordCheckerTests {
    /// A template-only cohort (which obeys every rule) and its checker.
    func cohort(_ disease: String, patients: Int, seed: UInt64 = 3) throws
        -> (timelines: [PatientTimeline], checker: RecordChecker, template: DiseaseTemplate) {
        let template = try TestSupport.shippedTemplate(disease)
        let simulator = CohortSimulator(template: template, options: SimulationOptions(seed: seed))
        let timelines = (0..<patients).map { simulator.patient($0).timeline }
        return (timelines, RecordChecker(template: template, concepts: simulator.concepts), template)
    }

    func result(_ report: CheckReport, _ id: String) throws -> RuleResult {
        try #require(report.results.first { $0.rule.id == id }, "no rule \(id)")
    }

    @Test(arguments: ["friedreich-ataxia", "fabry", "gaucher"])
    func templateOnlyRecordsHaveNoContradictionsOfTheBuiltInRules(disease: String) throws {
        let (timelines, checker, _) = try cohort(disease, patients: 300)
        let report = checker.check(timelines)
        #expect(report.patients == 300)
        #expect(report.results.count == BuiltInRule.allCases.count + checker.template.rules.count)
        for r in report.results where r.rule.isContradiction && BuiltInRule(rawValue: r.rule.id) != nil {
            #expect(r.occurrences == 0, "\(r.rule.id): \(r.examples)")
        }
    }

    @Test func plantedGaucherViolationsAreFoundExactly() throws {
        var (timelines, checker, template) = try cohort("gaucher", patients: 200)
        let c = checker.concepts
        let spleen = try #require(template.measureIndex("spleen-mn"))
        let splenectomy = try #require(template.eventIndex("splenectomy"))
        let treatment = try #require(template.treatments.first)
        try #require(timelines.count == 200)
        // 1. Spleen measured a year after a splenectomy (patients 0 and 1).
        for i in [0, 1] {
            let day = timelines[i].birth.adding(years: 40)
            timelines[i].events.append(TimelineEvent(day: day, kind: .procedure, concept: c.events[splenectomy]))
            timelines[i].events.append(TimelineEvent(day: day.adding(years: 1), kind: .quantity,
                                                     concept: c.measures[spleen], value: 12))
        }
        // 2. A visit before birth (patient 2); 3. platelets above the ceiling (patient 3).
        timelines[2].events.append(TimelineEvent(day: timelines[2].birth.adding(years: -1), kind: .encounter,
                                                 concept: 0))
        let platelets = try #require(template.measureIndex("platelets"))
        timelines[3].events.append(TimelineEvent(day: timelines[3].birth.adding(years: 30), kind: .quantity,
                                                 concept: c.measures[platelets], value: 5_000))
        // 4. ERT started in 1980, before it was available (patient 4).
        let early = try #require(CalendarDay(iso: "1980-06-01"))
        timelines[4].events.append(TimelineEvent(day: early, kind: .medicationStart, concept: c.treatments[0]))
        #expect(treatment.availableFrom != nil)
        let report = checker.check(timelines)
        let removed = try result(report, "measured-after-it-ends")
        #expect(removed.occurrences >= 2)
        #expect(removed.examples.map(\.patient).contains(timelines[0].id))
        #expect(try result(report, "recorded-before-birth").occurrences == 1)
        #expect(try result(report, "recorded-before-birth").examples.first?.patient == timelines[2].id)
        #expect(try result(report, "value-outside-bounds").occurrences == 1)
        #expect(try result(report, "value-outside-bounds").examples.first?.finding.contains("platelets 5000") == true)
        #expect(try result(report, "drug-before-available").examples.first?.patient == timelines[4].id)
        #expect(!report.allHold)
        #expect(report.text().contains("FAIL measured-after-it-ends"))
    }

    @Test func plantedKidneyFunctionAfterESRDIsFound() throws {
        var (timelines, checker, template) = try cohort("fabry", patients: 200)
        let c = checker.concepts
        let esrd = try #require(template.eventIndex("esrd")), egfr = try #require(template.measureIndex("egfr"))
        let clean = try result(checker.check(timelines), "esrd-with-kidney-failure")
        #expect(clean.occurrences == 0)
        for i in [5, 6, 7] {
            let day = timelines[i].birth.adding(years: 45)
            timelines[i].events.append(TimelineEvent(day: day, kind: .condition, concept: c.events[esrd]))
            timelines[i].events.append(TimelineEvent(day: day.adding(years: 2), kind: .quantity,
                                                     concept: c.measures[egfr], value: 75))
        }
        let planted = try result(checker.check(timelines), "esrd-with-kidney-failure")
        #expect(planted.occurrences == 3)
        #expect(planted.patients == 3)
        #expect(Set(planted.examples.map(\.patient)) == Set([5, 6, 7].map { timelines[$0].id }))
    }

    @Test func fallsBeyondNoiseFailThePlausibilityRule() throws {
        var (timelines, checker, template) = try cohort("friedreich-ataxia", patients: 300)
        let mfars = try #require(template.measureIndex("mfars"))
        let clean = try result(checker.check(timelines), "mfars-untreated-fall")
        #expect(clean.pairs > 1_000)
        #expect(clean.holds, "\(clean.occurrences) falls, \(clean.tolerated) tolerated")
        // Every record's mFARS zig-zags by 20 points: far more falls than noise explains.
        for i in timelines.indices {
            var flip = false
            for k in timelines[i].events.indices where timelines[i].events[k].kind == .quantity
                && timelines[i].events[k].concept == checker.concepts.measures[mfars] {
                timelines[i].events[k].value = flip ? 10 : 30
                flip.toggle()
            }
        }
        let zigzag = try result(checker.check(timelines), "mfars-untreated-fall")
        #expect(!zigzag.holds)
        #expect(Double(zigzag.occurrences) > 5 * zigzag.tolerated)
    }
}
