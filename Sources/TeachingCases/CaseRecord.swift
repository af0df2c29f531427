import DiseaseModeling
import Foundation
import RecordDisplay
import Timelines

/// One statement of a case that the patient's record backs: a placeholder's key, the words the
/// case shows, and the number (an age, a year, a value) and day behind them.
package struct CaseFact: Sendable, Equatable {
    package var key: String
    package var text: String
    package var value: Double?
    package var day: CalendarDay?
}

/// What a case may say about one patient, read from the record alone (never from the simulated
/// truth behind it), so that every sentence agrees with the exported FHIR.
package struct CaseRecord: Sendable {
    /// One visit's values, by measure index.
    package struct Visit: Sendable {
        package var day: CalendarDay
        package var values: [Int: Double]
    }

    /// A recorded attribute: its words, its number or category, and the day it was recorded.
    package struct Attribute: Sendable {
        package var text: String
        package var number: Double?
        package var category: String?
        package var day: CalendarDay
    }

    package let timeline: PatientTimeline
    package let template: DiseaseTemplate
    package private(set) var onset: CalendarDay?
    package private(set) var diagnosis: CalendarDay?
    package private(set) var attributes: [String: Attribute] = [:]
    /// Each template event's first recorded day.
    package private(set) var events: [String: CalendarDay] = [:]
    /// Each treatment's start and stop days, in order.
    package private(set) var treatmentStarts: [String: [CalendarDay]] = [:]
    package private(set) var treatmentStops: [String: [CalendarDay]] = [:]
    package private(set) var visits: [Visit] = []
    package private(set) var causeOfDeath: String?

    package init(_ timeline: PatientTimeline, template: DiseaseTemplate, concepts: TemplateConcepts) {
        self.timeline = timeline
        self.template = template
        let table = concepts.table
        let measureOf = Dictionary(uniqueKeysWithValues: concepts.measures.enumerated().map { ($1, $0) })
        let attributeOf = Dictionary(uniqueKeysWithValues: concepts.attributes.enumerated().map { ($1, $0) })
        let eventOf = Dictionary(uniqueKeysWithValues: concepts.events.enumerated().map { ($1, $0) })
        let treatmentOf = Dictionary(uniqueKeysWithValues: concepts.treatments.enumerated().map { ($1, $0) })
        var visitOf: [Int32: Int] = [:]
        for e in timeline.events.sorted(by: TimelineEvent.inCanonicalOrder) {
            switch e.kind {
            case .encounter:
                visitOf[e.ordinal] = visits.count
                visits.append(Visit(day: e.day, values: [:]))
            case .condition where e.concept == concepts.condition:
                onset = e.day
                diagnosis = e.recordedDay ?? e.day
            case .condition, .procedure:
                if let ev = eventOf[e.concept], events[template.events[ev].id] == nil {
                    events[template.events[ev].id] = e.day
                }
                if let t = treatmentOf[e.concept] { treatmentStarts[template.treatments[t].id, default: []].append(e.day) }
            case .medicationStart:
                if let t = treatmentOf[e.concept] { treatmentStarts[template.treatments[t].id, default: []].append(e.day) }
            case .medicationStop:
                if let t = treatmentOf[e.concept] { treatmentStops[template.treatments[t].id, default: []].append(e.day) }
            case .quantity, .codedValue:
                if let a = attributeOf[e.concept] {
                    let definition = template.attributes[a]
                    let category = e.kind == .codedValue ? table[e.related].text : nil
                    let number = e.kind == .quantity ? e.value : nil
                    let words = category ?? "\(DisplayNumber.text(e.value, decimals: definition.concept.decimals))"
                    attributes[definition.id] = Attribute(text: words, number: number,
                                                          category: category.flatMap { categoryID(a, $0, concepts) },
                                                          day: e.day)
                } else if let m = measureOf[e.concept] {
                    let v = visitOf[e.ordinal] ?? visits.lastIndex { $0.day == e.day }
                    if let v { visits[v].values[m] = e.value }
                }
            }
        }
        causeOfDeath = timeline.causeOfDeath.map { table[$0].text }
    }

    /// The template's id of a categorical attribute's recorded value, from its concept text.
    private func categoryID(_ a: Int, _ text: String, _ concepts: TemplateConcepts) -> String? {
        guard case .categorical(let values, _, _) = template.attributes[a].kind else { return text }
        let texts = concepts.attributeValues[a].map { concepts.table[$0].text }
        return texts.firstIndex(of: text).map { values[$0] } ?? text
    }

    /// Age in years on `day`.
    package func age(on day: CalendarDay) -> Double { timeline.birth.years(to: day) }

    /// Years from first symptoms to diagnosis.
    package var delay: Double? {
        guard let onset, let diagnosis else { return nil }
        return onset.years(to: diagnosis)
    }

    /// Whether treatment `id` was under way on `day` (started on or before it and not stopped since).
    package func isTreated(_ id: String, on day: CalendarDay) -> Bool {
        guard let start = treatmentStarts[id]?.last(where: { $0 <= day }) else { return false }
        return !(treatmentStops[id] ?? []).contains { $0 >= start && $0 <= day }
    }

    /// The recorded values of measure `m`, in date order.
    package func values(of m: Int) -> [(day: CalendarDay, value: Double)] {
        visits.compactMap { v in v.values[m].map { (v.day, $0) } }
    }

    /// Whether every test of `c` holds for this record.
    package func holds(_ c: CaseCondition) -> Bool {
        if let sex = c.sex, timeline.sex != sex { return false }
        if let a = c.attribute {
            guard let recorded = attributes[a.id] else { return false }
            if let equals = a.equals, recorded.category != equals { return false }
            if let range = a.range { guard let x = recorded.number, range.contains(x) else { return false } }
        }
        if let test = c.result {
            guard let m = template.measures.firstIndex(where: { $0.id == test.measure }) else { return false }
            if let v = presentationVisit?.values[m] {
                if !test.range.contains(v) { return false }
            } else if !test.orMissing {
                return false
            }
        }
        if let r = c.onsetAge { guard let onset, r.contains(age(on: onset)) else { return false } }
        if let r = c.diagnosisAge { guard let diagnosis, r.contains(age(on: diagnosis)) else { return false } }
        if let r = c.delay { guard let delay, r.contains(delay) else { return false } }
        if let e = c.presentingWith { guard let day = events[e], let diagnosis, day <= diagnosis else { return false } }
        for e in c.notPresentingWith {
            if let day = events[e], let diagnosis, day <= diagnosis { return false }
        }
        if let e = c.event, events[e] == nil { return false }
        if let e = c.noEvent, events[e] != nil { return false }
        if let t = c.treated, treatmentStarts[t] == nil { return false }
        if let t = c.untreated, treatmentStarts[t] != nil { return false }
        if let d = c.diagnosedFrom { guard let diagnosis, diagnosis >= d else { return false } }
        if let d = c.diagnosedBefore { guard let diagnosis, diagnosis < d else { return false } }
        if let a = c.recordedAtDiagnosis { guard let gap = recordingGap(a), gap <= 365 else { return false } }
        if let a = c.recordedLater { guard let gap = recordingGap(a), gap > 365 else { return false } }
        if let a = c.notRecorded, attributes[a] != nil { return false }
        if let m = c.measured {
            guard let index = template.measures.firstIndex(where: { $0.id == m }), values(of: index).count >= 2 else {
                return false
            }
        }
        if let died = c.died, (timeline.death != nil) != died { return false }
        return true
    }

    /// The first visit on or after diagnosis, whose results a case shows as the investigations.
    package var presentationVisit: Visit? {
        guard let diagnosis else { return nil }
        return visits.first { $0.day >= diagnosis }
    }

    /// Days from diagnosis to the recording of attribute `a`.
    private func recordingGap(_ a: String) -> Int? {
        guard let day = attributes[a]?.day, let diagnosis else { return nil }
        return diagnosis.days(to: day)
    }
}
