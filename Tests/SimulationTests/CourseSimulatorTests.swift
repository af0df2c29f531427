import DiseaseModeling
import Foundation
import Randomness
import Statistics
import Testing
import Timelines
import ZebraTestSupport
@testable import Simulation

@Suite struct CourseSimulatorTests {
    let template: DiseaseTemplate

    init() throws {
        template = try TestSupport.minimalDiseaseTemplate()
    }

    func lifetimes(_ n: Int, treatments: Bool = true, seed: UInt64 = 3) -> [SimulatedPatient] {
        let options = SimulationOptions(seed: seed, endDate: nil, treatmentsEnabled: treatments,
                                        requireDiagnosis: false)
        return CohortSimulator(template: template, options: options).patients(0..<n, threads: 2)
    }

    /// The threshold event fires when the noise-free trajectory reaches the threshold.
    @Test func thresholdEventsFireAtTheCrossing() {
        let milestone = template.stateIndex("milestone")!
        var checked = 0
        for p in lifetimes(400) {
            guard let age = p.course.entryAge(of: milestone) else { continue }
            #expect(abs(p.course.value(ofMeasure: 0, atAge: age) - 40) < 1e-3)
            #expect(p.course.value(ofMeasure: 0, atAge: age - 0.01) < 40)
            checked += 1
        }
        #expect(checked > 100)
    }

    /// Constant hazard 0.05/y from onset: Kaplan–Meier at 10 y ≈ e^(-0.5), death censoring.
    @Test func hazardEventsFollowTheirRate() throws {
        let onset = DiseaseTemplate.onsetState, complication = template.stateIndex("complication")!
        var times: [Double] = [], events: [Bool] = []
        let people = lifetimes(3000)
        try #require(people.count == 3000)
        for p in people {
            guard let o = p.course.entryAge(of: onset) else { continue }
            if let c = p.course.entryAge(of: complication) { times.append(c - o); events.append(true) } else {
                times.append(p.course.deathAge - o); events.append(false)
            }
        }
        // Onset (median age 20) comes before death for nearly everyone (2,950 of 3,000 with this seed).
        #expect(times.count > 2_800, "\(times.count) lives reached onset")
        let km = try KaplanMeier.estimate(times: times, events: events)
        let expected = exp(-0.5)
        // Binomial SE at n = 3000 is about 0.009; allow 4 SE.
        #expect(abs(km.survival(at: 10) - expected) < 0.036)
    }

    /// Without disease mortality, survival follows the Gompertz–Makeham life table.
    @Test func backgroundMortalityMatchesTheLifeTable() throws {
        let text = TestSupport.minimalTemplate.replacingOccurrences(
            of: #""excess": {"value": 0, "effects": [{"state": "milestone", "add": 0.02}]}"#, with: #""excess": 0"#)
        let t = try DiseaseTemplate.decode(Array(text.utf8), file: "toy.json")
        var options = SimulationOptions(seed: 5, endDate: nil, treatmentsEnabled: false, requireDiagnosis: false)
        options.forcedSex = .male
        let deaths = CohortSimulator(template: t, options: options)
            .patients(0..<4000, threads: 2).map(\.course.deathAge)
        try #require(deaths.count == 4000)
        for age in [50.0, 70.0, 85.0] {
            let expected = exp(-t.mortality.male.cumulative(from: 0, to: age))
            let observed = Double(deaths.filter { $0 > age }.count) / Double(deaths.count)
            let se = (expected * (1 - expected) / Double(deaths.count)).squareRoot()
            #expect(abs(observed - expected) < 4 * se + 1e-3, "survival at \(age): \(observed) vs \(expected)")
        }
    }

    @Test func treatmentHalvesTheSlopeFromItsStart() {
        let drug = template.stateIndex("drug")!
        var checked = 0
        for p in lifetimes(300) {
            guard let start = p.course.entryAge(of: drug), p.course.deathAge > start + 1 else { continue }
            let segments = p.course.segments[0]
            guard let before = segments.last(where: { $0.startAge < start }),
                  let after = segments.first(where: { $0.startAge == start }) else { continue }
            // The milestone also halves the slope; compare only when it did not change at the same time.
            if p.course.isActive(state: template.stateIndex("milestone")!, atAge: start)
                != p.course.isActive(state: template.stateIndex("milestone")!, atAge: start - 1e-9) {
                continue
            }
            #expect(abs(after.slope - 0.5 * before.slope) < 1e-9)
            #expect(abs(after.startValue - p.course.value(ofMeasure: 0, atAge: start)) < 1e-9)
            checked += 1
        }
        #expect(checked > 20)
    }

    /// A one-way `toward` approach: "rising" lifts a value below the target and leaves one above it alone;
    /// "falling" is the mirror image; "either" moves both to the target.
    @Test(arguments: ["rising", "falling", "either"])
    func oneWayApproachMovesOnlyInItsDirection(direction: String) throws {
        let json = TestSupport.minimalTemplate.replacingOccurrences(
            of: #"{"measure": "score", "slopeMultiply": 0.5}"#,
            with: #"{"measure": "score", "approach": {"toward": 25, "halfLifeYears": 0.25, "direction": ""#
                + direction + #""}}, {"measure": "score", "slopeMultiply": 0}"#)
        try #require(json != TestSupport.minimalTemplate)
        let template = try DiseaseTemplate.decode(Array(json.utf8), file: "toy.json")
        let drug = template.stateIndex("drug")!
        let options = SimulationOptions(seed: 5, endDate: nil, treatmentsEnabled: true, requireDiagnosis: false)
        let people = CohortSimulator(template: template, options: options).patients(0..<400, threads: 2)
        try #require(people.count == 400)
        var below = 0, above = 0
        for p in people {
            guard let start = p.course.entryAge(of: drug), p.course.deathAge > start + 3,
                  p.course.exitAge(of: drug, after: start).map({ $0 > start + 3 }) ?? true else { continue }
            let before = p.course.value(ofMeasure: 0, atAge: start)
            let after = p.course.value(ofMeasure: 0, atAge: start + 3)
            let expected = switch direction {
            case "rising": max(before, 25.0)
            case "falling": min(before, 25.0)
            default: 25.0
            }
            // Three years are twelve half-lives: within 0.03 % of the goal.
            #expect(abs(after - expected) < 0.01 * max(1, abs(before - expected)),
                    "\(direction): \(before) -> \(after), expected \(expected)")
            if before < 24 { below += 1 } else if before > 26 { above += 1 }
        }
        #expect(below > 20 && above > 20, "\(below) below and \(above) above the target at the start")
    }

    @Test func treatmentsStartOnlyAfterApprovalAndDiagnosis() throws {
        let drug = template.stateIndex("drug")!
        let people = lifetimes(300)
        try #require(people.count == 300)
        var treated = 0
        for p in people {
            guard let start = p.course.entryAge(of: drug) else { continue }
            #expect(start >= p.course.entryAge(of: DiseaseTemplate.diagnosisState)!)
            #expect(p.course.birth.adding(years: start) >= CalendarDay(year: 1990, month: 1, day: 1))
            treated += 1
        }
        // The drug starts for half of those diagnosed once it is available (147 of 300 with this seed).
        #expect(treated > 100, "\(treated) of 300 treated")
        let untreated = lifetimes(100, treatments: false)
        try #require(untreated.count == 100)
        #expect(untreated.allSatisfy { $0.course.entryAge(of: drug) == nil })
    }

    @Test func attributesAndRandomEffectsFollowTheirDistributions() throws {
        let people = lifetimes(4000)
        try #require(people.count == 4000)
        let males = people.filter { $0.course.sex == .male }
        let females = people.filter { $0.course.sex == .female }
        let maleA = Double(males.filter { $0.course.context.categories[0] == 0 }.count) / Double(males.count)
        let femaleA = Double(females.filter { $0.course.context.categories[0] == 0 }.count) / Double(females.count)
        #expect(abs(maleA - 0.7) < 0.035)
        #expect(abs(femaleA - 0.4) < 0.035)
        let r = try Descriptive.pearsonCorrelation(people.map { $0.course.context.randomEffects[0] },
                                                   people.map { $0.course.context.randomEffects[1] })
        #expect(abs(r - 0.5) < 0.04)
        let repeats = people.map { $0.course.context.numbers[1] }
        #expect(repeats.allSatisfy { $0 >= 100 && $0 <= 900 })
        #expect(abs(try Descriptive.mean(repeats) - 500) < 5)
    }

    @Test func recordsAreConsistent() throws {
        let options = SimulationOptions(seed: 11)
        let simulator = CohortSimulator(template: template, options: options)
        let patients = simulator.patients(0..<200, threads: 2)
        try #require(patients.count == 200)
        var scores = 0
        for p in patients {
            let t = p.timeline
            #expect(t.events
                == t.events.sorted { $0.day != $1.day ? $0.day < $1.day : $0.kind.rawValue < $1.kind.rawValue })
            #expect(t.events.allSatisfy { $0.day >= t.birth && $0.day <= t.followUpEnd })
            #expect(t.followUpEnd <= options.endDate!)
            if let death = t.death { #expect(death <= options.endDate!) }
            let encounters = t.events.filter { $0.kind == .encounter }
            #expect(encounters.map(\.ordinal) == encounters.indices.map(Int32.init))
            // Diagnosed by the end date (the default cohort is registry-like).
            #expect(t.events.contains { $0.kind == .condition && $0.concept == simulator.concepts.condition })
            for e in t.events where e.kind == .quantity && e.concept == simulator.concepts.measures[0] {
                #expect(e.value >= 0 && e.value <= 100)
                #expect(e.value == (e.value * 10).rounded() / 10)
                scores += 1
            }
        }
        // Yearly visits from diagnosis: many scores a patient (5,023 in all with this seed).
        #expect(scores > 2_000, "\(scores) scores recorded")
    }
}

@Suite struct CrossingAndHazardMathTests {
    /// Compares the root search with a brute-force scan on a fine grid.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func firstCrossingMatchesABruteForceScan(seed: UInt64) {
        var rng = RandomStream(seed: seed)
        for _ in 0..<200 {
            let segment = MeasureSegment(startAge: 10, startValue: rng.nextUnit() * 100,
                                         slope: (rng.nextUnit() - 0.5) * 10, target: rng.nextUnit() * 100,
                                         rate: rng.nextBool(probability: 0.5) ? rng.nextUnit() * 2 : 0)
            let threshold = rng.nextUnit() * 120 - 10
            let below = rng.nextBool(probability: 0.5)
            let from = 10 + rng.nextUnit() * 5
            let found = firstCrossing(of: segment, from: from, threshold: threshold, below: below, floor: 0,
                                      ceiling: 100, until: 60)
            var reference = Double.infinity
            var age = from
            while age <= 60 {
                let y = min(max(segment.rawValue(after: age - 10), 0), 100)
                if below ? y <= threshold : y >= threshold { reference = age; break }
                age += 0.0005
            }
            if reference.isInfinite {
                #expect(found.isInfinite || found > 59.99, "no crossing expected, found \(found)")
            } else {
                #expect(abs(found - reference) < 0.001, "crossing at \(found), brute force \(reference)")
            }
        }
    }

    @Test func timeToAccumulateInvertsTheKnotIntegral() {
        let knots: [(time: Double, multiplier: Double)] = [(0, 1), (5, 0), (7, 2.5), (20, 0.3)]
        for c0 in [0.0, 4.0, 6.0, 8.0, 25.0] {
            for amount in [0.1, 1.0, 3.0, 10.0, 40.0] {
                let dt = timeToAccumulate(knots, from: c0, amount: amount)
                #expect(abs(knotIntegral(knots, from: c0, to: c0 + dt) - amount) < 1e-9)
            }
        }
        #expect(timeToAccumulate([(0, 1), (3, 0)], from: 0, amount: 5).isInfinite)
    }
}
