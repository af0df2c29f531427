import DiseaseModeling
import Foundation
import Simulation
import Testing
import Timelines
import TrialDesign

/// Conditioned sampling of the natural-history pool: forced strata, narrowed birth windows,
/// index dates inside the eligible period, and a clear error when nobody can be eligible.
struct EligibilityTests {
    @Test func impossibleMeasureRangeIsNamed() throws {
        let plan = try Fixtures.plan(json: try Fixtures.moxieJSON { o in
            var e = o["eligibility"] as! [String: Any]
            e["measures"] = ["mfars": ["min": 95]]
            o["eligibility"] = e
        })
        let error = #expect(throws: TrialDesignError.self) {
            try PoolSampler(plan: plan, seed: 1, threads: 2, keepRecords: false).generate(count: 10)
        }
        #expect(error?.message.contains("no simulated patient meets \"mfars ≥ 95 at the index date\"") == true)
    }

    @Test func criteriaThatCannotHoldTogetherAreNamed() throws {
        // Onset is at 1.5 years at the earliest, so nobody aged 5 or less has had the disease 10 years.
        let plan = try Fixtures.plan(json: try Fixtures.moxieJSON { o in
            o["eligibility"] = ["age": ["max": 5], "diseaseDuration": ["min": 10]]
        })
        let error = #expect(throws: TrialDesignError.self) {
            try PoolSampler(plan: plan, seed: 1, threads: 2, keepRecords: false).generate(count: 10)
        }
        let message = error?.message ?? ""
        #expect(message.contains("no simulated patient meets \"disease duration ≥ 10 years\" together with "
            + "\"diagnosed and alive\", \"age ≤ 5 years\""))
    }

    @Test func requiredPriorTreatmentCannotComeFromAnUntreatedPool() throws {
        let plan = try Fixtures.plan(json: try Fixtures.moxieJSON { o in
            var e = o["eligibility"] as! [String: Any]
            e["priorTreatment"] = "required"
            o["eligibility"] = e
        })
        let error = #expect(throws: TrialDesignError.self) {
            try PoolSampler(plan: plan, seed: 1, threads: 2, keepRecords: false).generate(count: 10)
        }
        #expect(error?.message.contains("prior treatment required (the natural-history pool is never treated)") == true)
    }

    @Test func calendarAndAgeNarrowTheBirthWindow() throws {
        let plan = try Fixtures.plan("friedreich-ataxia-moxie.json")
        let pool = try PoolSampler(plan: plan, seed: 3, threads: 2).generate(count: 150)
        try #require(pool.patients.count == 150)
        // Index dates 2005–2020 at ages 16–40: births from 1964 (a year of margin) to 2004.
        #expect(pool.birthFrom == CalendarDay(year: 1964, month: 1, day: 1))
        #expect(pool.birthTo == CalendarDay(year: 2004, month: 12, day: 31))
        let from = CalendarDay(year: 2005, month: 1, day: 1), to = CalendarDay(year: 2020, month: 12, day: 31)
        let mfars = plan.template.measureIndex("mfars")!
        for p in pool.patients {
            let s = p.subject
            #expect(s.indexDay >= from && s.indexDay <= to)
            #expect(s.covariates[0] >= 16 - 1e-9 && s.covariates[0] <= 40 + 1e-9)
            let record = try #require(p.record)
            // Ambulatory at the index date: no loss-of-ambulation Condition on or before it.
            let loa = plan.concepts.events[plan.template.eventIndex("loss-of-ambulation")!]
            #expect(!record.events.contains { $0.kind == .condition && $0.concept == loa && $0.day <= s.indexDay })
            // Screening is on the noise-free value; the recorded baseline carries the template's noise (SD 2.5).
            #expect(s.baseline > 20 - 12 && s.baseline < 80 + 12)
            #expect(record.events.contains {
                $0.kind == .quantity && $0.concept == plan.concepts.measures[mfars] && $0.day == s.indexDay
            })
        }
        #expect(pool.efficiency > 0.2 && pool.efficiency < 0.8)
        #expect(pool.simulated >= pool.patients.count)
    }

    @Test func forcedStrataReplaceRejection() throws {
        let plan = try Fixtures.plan(json: """
        {
          "format": "zebra-trial", "formatVersion": 1, "id": "classic-women", "disease": "fabry",
          "eligibility": {"sex": ["female"], "attributes": {"phenotype": ["classic"]}, "age": {"min": 18, "max": 60}},
          "endpoint": {"type": "change", "measure": "egfr", "months": 12},
          "visits": {"months": [0, 12]}
        }
        """)
        let pool = try PoolSampler(plan: plan, seed: 11, threads: 2).generate(count: 60)
        try #require(pool.patients.count == 60)
        // Half of births are female and 60 % of families classic: the strata carry 30 % of the prior.
        #expect(abs(pool.forcedProbability - 0.3) < 1e-12)
        for p in pool.patients {
            #expect(p.record?.sex == .female)
            #expect(p.record?.attribute("phenotype") == .category("classic"))
        }
        // Forcing costs no rejections: nearly every female classic life is diagnosed by 60.
        #expect(pool.efficiency > 0.5)
        #expect(!plan.covariates.contains { $0.name == "sex=male" || $0.name.hasPrefix("phenotype") })
    }

    @Test func poolIsTheSameWhateverTheThreadCount() throws {
        let plan = try Fixtures.plan("gaucher-spleen.json")
        let one = try PoolSampler(plan: plan, seed: 5, threads: 1, keepRecords: false).generate(count: 40)
        let two = try PoolSampler(plan: plan, seed: 5, threads: 2, keepRecords: false).generate(count: 40)
        try #require(one.patients.count == 40 && two.patients.count == 40)
        #expect(one.simulated == two.simulated)
        #expect(one.patients.map(\.subject.id) == two.patients.map(\.subject.id))
        #expect(one.patients.map(\.subject.covariates) == two.patients.map(\.subject.covariates))
        let other = try PoolSampler(plan: plan, seed: 6, threads: 2, keepRecords: false).generate(count: 40)
        #expect(other.patients.map(\.subject.id) != one.patients.map(\.subject.id))
    }

    @Test func firstEligibleIndexIsTheStartOfTheEligiblePeriod() throws {
        let plan = try Fixtures.plan(json: try Fixtures.moxieJSON { o in
            o["index"] = ["rule": "first-eligible", "resolutionDays": 7]
            o["eligibility"] = ["age": ["min": 16, "max": 40], "ambulatory": true]
        })
        let pool = try PoolSampler(plan: plan, seed: 2, threads: 2).generate(count: 60)
        try #require(pool.patients.count == 60)
        for p in pool.patients {
            // Without measure criteria the first eligible age is 16 or the diagnosis, whichever is later.
            let birth = p.record!.birth
            let diagnosis = p.record!.events.first {
                $0.kind == .condition && $0.concept == plan.concepts.condition
            }!.recordedDay!
            let expected = max(16, birth.years(to: diagnosis))
            #expect(abs(p.indexAge - expected) < 1.0 / 365.25 + 1e-9)
        }
    }
}
