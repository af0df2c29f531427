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

    @Test(arguments: TestSupport.shippedDiseases)
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

/// Tests and equations recorded before they existed, or at ages they do not hold for, are found.
@Suite struct AvailabilityCheckTests {
    @Test(arguments: TestSupport.shippedDiseases)
    func simulatedRecordsHoldNoTestBeforeItExisted(disease: String) throws {
        let template = try TestSupport.shippedTemplate(disease)
        let dated = template.measures.filter { $0.availableFrom != nil }
        #expect(!dated.isEmpty, "every shipped template dates at least one test")
        let simulator = CohortSimulator(template: template, options: SimulationOptions(seed: 11))
        let timelines = (0..<400).map { simulator.patient($0).timeline }
        let checker = RecordChecker(template: template, concepts: simulator.concepts)
        let report = checker.check(timelines)
        try #require(report.patients == 400)
        for id in ["test-before-available", "test-below-minimum-age"] {
            let r = try #require(report.results.first { $0.rule.id == id })
            #expect(r.occurrences == 0, "\(id): \(r.examples)")
        }
        // Patients born early have visits before the tests existed: the dates do bind.
        let earliest = try #require(dated.compactMap(\.availableFrom).max())
        let earlyVisits = timelines.reduce(0) { n, t in
            n + t.events.filter { $0.kind == .encounter && $0.day < earliest }.count
        }
        #expect(earlyVisits > 100)
    }

    @Test func plantedEarlyTestsAndChildhoodEGFRAreFound() throws {
        let template = try TestSupport.shippedTemplate("fabry")
        let simulator = CohortSimulator(template: template, options: SimulationOptions(seed: 5))
        var timelines = (0..<50).map { simulator.patient($0).timeline }
        let c = simulator.concepts
        let lyso = try #require(template.measureIndex("lyso-gb3")), egfr = try #require(template.measureIndex("egfr"))
        #expect(template.measures[egfr].minimumAge == 18)
        let day1990 = try #require(CalendarDay(iso: "1990-05-01"))
        timelines[1].events.append(TimelineEvent(day: day1990, kind: .quantity, concept: c.measures[lyso], value: 40))
        // A child born after 1995, so the value is dated after the test existed and only its age is wrong.
        let young2000s = try #require(timelines.indices.first {
            $0 > 1 && timelines[$0].birth.components.year >= 1995
        })
        let child = timelines[young2000s].birth.adding(years: 9)
        timelines[young2000s].events.append(TimelineEvent(day: child, kind: .quantity, concept: c.measures[egfr],
                                                          value: 120))
        let report = RecordChecker(template: template, concepts: c).check(timelines)
        let early = try #require(report.results.first { $0.rule.id == "test-before-available" })
        #expect(early.occurrences == 1)
        #expect(early.examples.first?.patient == timelines[1].id)
        #expect(early.examples.first?.finding.contains("before the test existed on 2008-02-26") == true)
        let young = try #require(report.results.first { $0.rule.id == "test-below-minimum-age" })
        #expect(young.patients == 1)
        #expect(young.examples.first?.patient == timelines[young2000s].id)
    }

    @Test func genotypeIsRecordedAtTheFirstVisitAfterItsTestExisted() throws {
        let template = try TestSupport.shippedTemplate("friedreich-ataxia")
        let gaa = try #require(template.attributes.firstIndex { $0.id == "gaa1" })
        let available = try #require(template.attributes[gaa].availableFrom)
        let simulator = CohortSimulator(template: template, options: SimulationOptions(seed: 8))
        let concept = simulator.concepts.attributes[gaa]
        var late = 0
        for i in 0..<300 {
            let t = simulator.patient(i).timeline
            let visits = t.events.filter { $0.kind == .encounter }.map(\.day)
            let recorded = t.events.filter { $0.concept == concept && $0.kind == .quantity }.map(\.day)
            guard let first = visits.first(where: { $0 >= available }) else {
                #expect(recorded.isEmpty)
                #expect(t.attribute("gaa1") == nil)
                continue
            }
            #expect(recorded == [first], "patient \(i)")
            if first > visits[0] { late += 1 }
        }
        #expect(late > 10, "some patients were seen before 1996 and genotyped later")
    }
}

/// Causes of death: recorded for every death, after the condition they need, and found when not.
@Suite struct CauseOfDeathTests {
    @Test(arguments: ["friedreich-ataxia", "fabry"])
    func everyDeathHasACauseThatFollowsItsCondition(disease: String) throws {
        let template = try TestSupport.shippedTemplate(disease)
        try #require(!template.mortality.causes.isEmpty)
        let options = SimulationOptions(seed: 4, endDate: CalendarDay(iso: "2100-01-01"))
        let simulator = CohortSimulator(template: template, options: options)
        let timelines = (0..<600).map { simulator.patient($0).timeline }
        let dead = timelines.filter { $0.death != nil }
        try #require(dead.count > 300)
        #expect(dead.allSatisfy { $0.causeOfDeath != nil })
        #expect(timelines.allSatisfy { $0.death != nil || $0.causeOfDeath == nil })
        let counts = Dictionary(grouping: dead, by: { $0.causeOfDeath! }).mapValues(\.count)
        #expect(counts.count == template.mortality.causes.count, "every cause occurs: \(counts)")
        let report = RecordChecker(template: template, concepts: simulator.concepts).check(timelines)
        let rule = try #require(report.results.first { $0.rule.id == "death-cause-without-its-condition" })
        #expect(rule.occurrences == 0, "\(rule.examples)")
    }

    @Test func aCardiacDeathWithoutCardiomyopathyIsFound() throws {
        let template = try TestSupport.shippedTemplate("friedreich-ataxia")
        let options = SimulationOptions(seed: 4, endDate: CalendarDay(iso: "2100-01-01"))
        let simulator = CohortSimulator(template: template, options: options)
        var timelines = (0..<200).map { simulator.patient($0).timeline }
        let c = simulator.concepts
        let cardiomyopathy = try #require(template.eventIndex("cardiomyopathy"))
        let cardiac = try #require(template.mortality.causes.firstIndex { $0.id == "cardiac" })
        let i = try #require(timelines.indices.first { i in
            timelines[i].death != nil && !timelines[i].events.contains { $0.concept == c.events[cardiomyopathy] }
        })
        timelines[i].causeOfDeath = c.deathCauses[cardiac]
        let j = try #require(timelines.indices.first { $0 != i && timelines[$0].death != nil })
        timelines[j].causeOfDeathDay = timelines[j].death!.adding(days: -40)
        let report = RecordChecker(template: template, concepts: c).check(timelines)
        let rule = try #require(report.results.first { $0.rule.id == "death-cause-without-its-condition" })
        #expect(rule.patients == 2)
        #expect(rule.examples.contains {
            $0.patient == timelines[i].id && $0.finding.contains("without cardiomyopathy")
        })
        #expect(rule.examples.contains { $0.patient == timelines[j].id && $0.finding.contains("not on the death") })
    }
}
