import DiseaseModeling
import Timelines

/// One patient's record as the sequence model sees it: who they are, what is known of their
/// history, and their visits with the measures observed at each.
package struct PatientSequence: Sendable {
    package struct Visit: Sendable {
        package var age: Double
        /// Per measure: the observed value, or NaN when not recorded at this visit.
        package var values: [Double]

        /// A visit at `age` with per-measure `values` (NaN: not recorded).
        package init(age: Double, values: [Double]) {
            self.age = age
            self.values = values
        }
    }

    package var id: String
    package var sex: Sex
    package var birth: CalendarDay
    /// Per attribute: categorical index or nil; continuous value or nil.
    package var categories: [Int?]
    package var numbers: [Double?]
    package var onsetAge: Double?
    package var diagnosisAge: Double?
    /// Per template event: the age it first happened, if recorded.
    package var eventAges: [Double?]
    /// Per template treatment: start and (optional) stop ages of each period.
    package var treatmentPeriods: [[(start: Double, stop: Double?)]]
    package var deathAge: Double?
    package var visits: [Visit]

    /// A sequence from its parts (a record's facts as the model sees them).
    package init(id: String, sex: Sex, birth: CalendarDay, categories: [Int?], numbers: [Double?], onsetAge: Double?,
                diagnosisAge: Double?, eventAges: [Double?], treatmentPeriods: [[(start: Double, stop: Double?)]],
                deathAge: Double?, visits: [Visit]) {
        self.id = id
        self.sex = sex
        self.birth = birth
        self.categories = categories
        self.numbers = numbers
        self.onsetAge = onsetAge
        self.diagnosisAge = diagnosisAge
        self.eventAges = eventAges
        self.treatmentPeriods = treatmentPeriods
        self.deathAge = deathAge
        self.visits = visits
    }

    /// The history the template's expected course is computed from, up to `age` for events.
    package func history(eventsUntil age: Double = .infinity) -> KnownHistory {
        var entries: [(state: Int, age: Double)] = []
        var exits: [(state: Int, age: Double)] = []
        if let o = onsetAge { entries.append((DiseaseTemplate.onsetState, o)) }
        if let d = diagnosisAge { entries.append((DiseaseTemplate.diagnosisState, d)) }
        for (e, a) in eventAges.enumerated() { if let a, a <= age { entries.append((2 + e, a)) } }
        let eventCount = eventAges.count
        for (t, periods) in treatmentPeriods.enumerated() {
            for p in periods {
                entries.append((2 + eventCount + t, p.start))
                if let stop = p.stop { exits.append((2 + eventCount + t, stop)) }
            }
        }
        return KnownHistory(sex: sex, birth: birth, categories: categories, numbers: numbers, entries: entries,
                            exits: exits)
    }

    /// Whether treatment `t` is on at `age`.
    package func onTreatment(_ t: Int, at age: Double) -> Bool {
        treatmentPeriods[t].contains { $0.start <= age && ($0.stop.map { age < $0 } ?? true) }
    }

    /// Years on treatment `t` by `age` (the current period), 0 when off.
    package func yearsOnTreatment(_ t: Int, at age: Double) -> Double {
        guard let p = treatmentPeriods[t].last(where: { $0.start <= age && ($0.stop.map { age < $0 } ?? true) }) else {
            return 0
        }
        return age - p.start
    }
}

extension PatientSequence {
    /// Reads a timeline (simulated or imported) through the template's concepts.
    package init(timeline: PatientTimeline, template: DiseaseTemplate, concepts: TemplateConcepts) {
        id = timeline.id
        sex = timeline.sex
        birth = timeline.birth
        categories = template.attributes.map { attribute in
            guard case .category(let name)? = timeline.attribute(attribute.id) else { return nil }
            return attribute.categoryValues.firstIndex(of: name)
        }
        numbers = template.attributes.map { attribute in
            guard case .number(let x)? = timeline.attribute(attribute.id) else { return nil }
            return x
        }
        deathAge = timeline.death.map { timeline.age(on: $0) }
        let measureIndex = Dictionary(uniqueKeysWithValues: concepts.measures.enumerated().map { ($1, $0) })
        let eventIndex = Dictionary(uniqueKeysWithValues: concepts.events.enumerated().map { ($1, $0) })
        let treatmentIndex = Dictionary(uniqueKeysWithValues: concepts.treatments.enumerated().map { ($1, $0) })
        var eventAges = [Double?](repeating: nil, count: template.events.count)
        var periods = [[(start: Double, stop: Double?)]](repeating: [], count: template.treatments.count)
        var byVisit: [Int: Visit] = [:]
        var order: [Int] = []
        var onset: Double?, diagnosis: Double?
        for event in timeline.events {
            let age = timeline.age(on: event.day)
            switch event.kind {
            case .condition where event.concept == concepts.condition:
                onset = onset.map { min($0, age) } ?? age
                if let recorded = event.recordedDay { diagnosis = timeline.age(on: recorded) }
            case .condition, .procedure:
                if let e = eventIndex[event.concept] {
                    if eventAges[e] == nil || age < eventAges[e]! { eventAges[e] = age }
                } else if let t = treatmentIndex[event.concept] {
                    periods[t].append((age, age))
                }
            case .medicationStart:
                if let t = treatmentIndex[event.concept] { periods[t].append((age, nil)) }
            case .medicationStop:
                if let t = treatmentIndex[event.concept], let open = periods[t].lastIndex(where: { $0.stop == nil }) {
                    periods[t][open].stop = age
                }
            case .encounter, .codedValue:
                break
            case .quantity:
                guard let m = measureIndex[event.concept] else { continue }
                // Observations group by encounter; without one, by day.
                let key = event.ordinal >= 0 ? Int(event.ordinal) : 1_000_000 + Int(event.day.daysSinceEpoch)
                if byVisit[key] == nil {
                    byVisit[key] = Visit(age: age, values: [Double](repeating: .nan, count: template.measures.count))
                    order.append(key)
                }
                byVisit[key]!.values[m] = event.value
            }
        }
        // Encounters without observations are visits too (the visit pattern is part of what is learned).
        for event in timeline.events where event.kind == .encounter {
            let key = Int(event.ordinal)
            if byVisit[key] == nil {
                byVisit[key] = Visit(age: timeline.age(on: event.day),
                                     values: [Double](repeating: .nan, count: template.measures.count))
                order.append(key)
            }
        }
        visits = order.map { byVisit[$0]! }.sorted { $0.age < $1.age }
        onsetAge = onset
        diagnosisAge = diagnosis ?? onset
        self.eventAges = eventAges
        treatmentPeriods = periods.map { $0.sorted { $0.start < $1.start } }
    }
}
