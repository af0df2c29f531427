import DiseaseModeling
import Randomness
import Simulation
import Timelines

/// One eligibility criterion as checked on a simulated course (sex and categorical attributes are
/// forced by the sampler, so they never fail there).
enum Criterion: Hashable, Sendable {
    case diagnosed, age, calendar, duration, priorTreatment
    case attribute(Int), absent(Int), present(Int), measure(Int)
}

/// A closed age interval.
struct AgeInterval: Sendable, Equatable {
    var lower: Double
    var upper: Double
}

/// Finds, on a patient's latent course, the ages at which every eligibility criterion holds, and
/// chooses the index age among them.
struct EligibilityScan: Sendable {
    let criteria: ResolvedEligibility
    let template: DiseaseTemplate
    /// Grid step in years on which measure criteria are checked.
    let step: Double

    static let maximumAge = 110.0

    /// Criteria in the order they are reported.
    var orderedCriteria: [Criterion] {
        var list: [Criterion] = [.diagnosed]
        if criteria.age != nil { list.append(.age) }
        if criteria.calendarFrom != nil || criteria.calendarTo != nil { list.append(.calendar) }
        if criteria.duration != nil { list.append(.duration) }
        list += criteria.attributes.indices.map { .attribute($0) }
        list += criteria.absent.indices.map { .absent($0) }
        list += criteria.present.indices.map { .present($0) }
        if criteria.priorTreatment == .required { list.append(.priorTreatment) }
        list += criteria.measures.indices.map { .measure($0) }
        return list
    }

    func describe(_ c: Criterion) -> String {
        switch c {
        case .diagnosed: "diagnosed and alive"
        case .age: "age \(criteria.age!) years"
        case .calendar:
            "index date between \(criteria.calendarFrom?.iso ?? "any time") and "
                + "\(criteria.calendarTo?.iso ?? "any time")"
        case .duration: "disease duration \(criteria.duration!) years"
        case .priorTreatment: "prior treatment required (the natural-history pool is never treated)"
        case .attribute(let i): "\(criteria.attributes[i].id) \(criteria.attributes[i].range)"
        case .absent(let i): "no \(criteria.absent[i].id) yet"
        case .present(let i): "\(criteria.present[i].id) already happened"
        case .measure(let i): "\(criteria.measures[i].id) \(criteria.measures[i].range) at the index date"
        }
    }

    /// The age at which the disease Condition is dated: onset, or diagnosis when earlier or alone.
    static func conditionAge(_ course: LatentCourse) -> Double? {
        guard let d = course.entryAge(of: DiseaseTemplate.diagnosisState) else { return nil }
        return course.entryAge(of: DiseaseTemplate.onsetState).map { min($0, d) } ?? d
    }

    /// The ages allowed by one criterion that is an interval in age (all but measures).
    func interval(_ c: Criterion, _ course: LatentCourse) -> AgeInterval? {
        let all = AgeInterval(lower: 0, upper: Self.maximumAge)
        switch c {
        case .diagnosed:
            guard let d = course.entryAge(of: DiseaseTemplate.diagnosisState), d < course.deathAge else { return nil }
            return AgeInterval(lower: d, upper: course.deathAge - 1e-6)
        case .age:
            return AgeInterval(lower: criteria.age!.minimum ?? 0, upper: criteria.age!.maximum ?? Self.maximumAge)
        case .calendar:
            let lo = criteria.calendarFrom.map { course.birth.years(to: $0) } ?? 0
            let hi = criteria.calendarTo.map { course.birth.years(to: $0) } ?? Self.maximumAge
            return AgeInterval(lower: lo, upper: hi)
        case .duration:
            guard let c0 = Self.conditionAge(course) else { return nil }
            return AgeInterval(lower: c0 + (criteria.duration!.minimum ?? 0),
                               upper: c0 + (criteria.duration!.maximum ?? Self.maximumAge))
        case .priorTreatment:
            return nil
        case .attribute(let i):
            let a = criteria.attributes[i]
            return a.range.contains(course.context.numbers[a.index]) ? all : nil
        case .absent(let i):
            guard let entry = course.entryAge(of: criteria.absent[i].state) else { return all }
            return AgeInterval(lower: 0, upper: entry - 1e-6)
        case .present(let i):
            guard let entry = course.entryAge(of: criteria.present[i].state) else { return nil }
            return AgeInterval(lower: entry, upper: Self.maximumAge)
        case .measure:
            return all
        }
    }

    /// The intersection of the interval criteria among `list` with life (birth to death).
    func window(_ course: LatentCourse, _ list: [Criterion]) -> AgeInterval? {
        var w = AgeInterval(lower: 0, upper: course.deathAge - 1e-6)
        for c in list {
            guard let i = interval(c, course) else { return nil }
            w.lower = max(w.lower, i.lower)
            w.upper = min(w.upper, i.upper)
            if w.lower > w.upper { return nil }
        }
        return w
    }

    /// Whether every measure criterion holds for per-measure baseline values.
    func baselineHolds(_ baseline: [Double]) -> Bool {
        criteria.measures.allSatisfy { $0.range.contains(baseline[$0.index]) }
    }

    /// Whether the measure criteria in `list` hold at `age` (noise-free trajectory).
    func measuresHold(_ course: LatentCourse, at age: Double, _ list: [Criterion]) -> Bool {
        for c in list {
            if case .measure(let i) = c {
                let m = criteria.measures[i]
                if !m.range.contains(course.value(ofMeasure: m.index, atAge: age)) { return false }
            }
        }
        return true
    }

    /// Whether the criteria in `list` hold on the calendar day age `t` falls on, as the record will
    /// show them: the patient alive after that day, each event that must be absent not yet recorded
    /// that day, each that must be present recorded by then. (Ages within a day of an event or of
    /// death pass the age test but give a record with the event, or death, on the index date.)
    func holdsOnIndexDay(_ course: LatentCourse, age t: Double, _ list: [Criterion]) -> Bool {
        let birth = course.birth
        let day = birth.adding(years: t)
        if day >= birth.adding(years: course.deathAge) { return false }
        for c in list {
            switch c {
            case .absent(let i):
                if let entry = course.entryAge(of: criteria.absent[i].state), day >= birth.adding(years: entry) {
                    return false
                }
            case .present(let i):
                guard let entry = course.entryAge(of: criteria.present[i].state), birth.adding(years: entry) <= day
                else { return false }
            case .diagnosed:
                guard let d = course.entryAge(of: DiseaseTemplate.diagnosisState), birth.adding(years: d) <= day
                else { return false }
            default:
                break
            }
        }
        return true
    }

    /// The eligible grid ages for the criteria in `list`; stops at the first when `firstOnly`.
    func eligibleAges(_ course: LatentCourse, _ list: [Criterion], firstOnly: Bool, step: Double? = nil) -> [Double] {
        guard let w = window(course, list) else { return [] }
        let h = step ?? self.step
        var ages: [Double] = []
        var k = 0
        while true {
            let t = w.lower + Double(k) * h
            if t > w.upper { break }
            if measuresHold(course, at: t, list) && holdsOnIndexDay(course, age: t, list) {
                ages.append(t)
                if firstOnly { break }
            }
            k += 1
        }
        return ages
    }

    /// The index age under `rule`, or nil when the patient is never eligible.
    func indexAge(_ course: LatentCourse, rule: IndexRule.Choice, rng: inout RandomStream) -> Double? {
        let ages = eligibleAges(course, orderedCriteria, firstOnly: rule == .firstEligible)
        guard !ages.isEmpty else { return nil }
        return rule == .firstEligible ? ages[0] : ages[rng.nextInt(below: ages.count)]
    }

    /// Explains why no course is eligible: the first criterion nobody meets alone, or the first
    /// that nobody meets together with those before it.
    func diagnose(_ courses: [LatentCourse]) -> String {
        let list = orderedCriteria
        let n = courses.count
        let coarse = max(step, 0.1)
        for c in list {
            let alone = courses.filter {
                !eligibleAges($0, c == .diagnosed ? [c] : [.diagnosed, c], firstOnly: true, step: coarse).isEmpty
            }.count
            if alone == 0 {
                return "no simulated patient meets \"\(describe(c))\" (0 "
                    + "of \(n) simulated natural-history lives ever do)"
            }
        }
        for k in 1...list.count {
            let prefix = Array(list[0..<k])
            let together = courses.filter { !eligibleAges($0, prefix, firstOnly: true).isEmpty }.count
            if together == 0 {
                let before = list[0..<(k - 1)].map { "\"\(describe($0))\"" }.joined(separator: ", ")
                return "no simulated patient meets \"\(describe(list[k - 1]))\" together with \(before) "
                    + "(0 of \(n) simulated natural-history lives; each criterion alone is met by some)"
            }
        }
        return "no simulated patient meets all criteria at once"
    }

    /// How often each criterion is met on its own by the courses that were not eligible, rarest
    /// first: with every share high, it is the combination that is rare.
    func criterionShares(_ courses: [LatentCourse]) -> String? {
        guard !courses.isEmpty else { return nil }
        let coarse = max(step, 0.1)
        let shares = orderedCriteria.map { c in
            let criteria: [Criterion] = c == .diagnosed ? [c] : [.diagnosed, c]
            let met = courses.filter { !eligibleAges($0, criteria, firstOnly: true, step: coarse).isEmpty }.count
            return (describe(c), Double(met) / Double(courses.count))
        }
        return shares.sorted { $0.1 < $1.1 }.map { "\"\($0.0)\" " + String(format: "%.1f %%", 100 * $0.1) }
            .joined(separator: ", ")
    }
}
