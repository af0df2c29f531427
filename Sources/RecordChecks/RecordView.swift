import DiseaseModeling
import Timelines

/// One record sorted out by what the rules ask of it: values per measure, the days each event
/// was recorded, and each treatment's periods.
struct RecordView {
    let timeline: PatientTimeline
    /// Per measure, its recorded values in day order.
    var values: [[(day: CalendarDay, value: Double)]]
    /// Per event, the distinct days it was recorded on, in order.
    var eventDays: [[CalendarDay]]
    /// Per treatment, its start and stop days in order.
    var starts: [[CalendarDay]]
    var stops: [[CalendarDay]]
    /// Per attribute, the first day it was recorded.
    var attributeDays: [CalendarDay?]
    /// The template's cause of death the record gives, if any.
    var cause: Int?

    /// Which measure, event and treatment each concept index stands for.
    struct ConceptMap: Sendable {
        var measureOf: [Int32: Int] = [:]
        var eventOf: [Int32: Int] = [:]
        var treatmentOf: [Int32: Int] = [:]
        var attributeOf: [Int32: Int] = [:]
        var causeOf: [Int32: Int] = [:]

        init(_ concepts: TemplateConcepts) {
            for (c, concept) in concepts.deathCauses.enumerated() { causeOf[concept] = c }
            for (a, c) in concepts.attributes.enumerated() { attributeOf[c] = a }
            for (m, c) in concepts.measures.enumerated() { measureOf[c] = m }
            for (e, c) in concepts.events.enumerated() { eventOf[c] = e }
            for (t, c) in concepts.treatments.enumerated() { treatmentOf[c] = t }
        }
    }

    init(_ timeline: PatientTimeline, template: DiseaseTemplate, map: ConceptMap) {
        self.timeline = timeline
        let (measureOf, eventOf, treatmentOf) = (map.measureOf, map.eventOf, map.treatmentOf)
        values = Array(repeating: [], count: template.measures.count)
        eventDays = Array(repeating: [], count: template.events.count)
        starts = Array(repeating: [], count: template.treatments.count)
        stops = Array(repeating: [], count: template.treatments.count)
        attributeDays = Array(repeating: nil, count: template.attributes.count)
        cause = timeline.causeOfDeath.flatMap { map.causeOf[$0] }
        for event in timeline.events.sorted(by: TimelineEvent.inCanonicalOrder) {
            switch event.kind {
            case .quantity:
                if let m = measureOf[event.concept] { values[m].append((event.day, event.value)) }
                if let a = map.attributeOf[event.concept], attributeDays[a] == nil { attributeDays[a] = event.day }
            case .condition, .procedure:
                if let e = eventOf[event.concept] {
                    if eventDays[e].last != event.day { eventDays[e].append(event.day) }
                } else if let t = treatmentOf[event.concept], event.kind == .procedure {
                    starts[t].append(event.day)
                }
            case .medicationStart:
                if let t = treatmentOf[event.concept] { starts[t].append(event.day) }
            case .medicationStop:
                if let t = treatmentOf[event.concept] { stops[t].append(event.day) }
            case .codedValue:
                if let a = map.attributeOf[event.concept], attributeDays[a] == nil { attributeDays[a] = event.day }
            case .encounter:
                break
            }
        }
    }

    /// Whether any treatment is under way on `day` (started on or before it, not stopped before it).
    func isTreated(on day: CalendarDay) -> Bool {
        for (t, periodStarts) in starts.enumerated() {
            guard let first = periodStarts.first, first <= day else { continue }
            let lastStart = periodStarts.last { $0 <= day } ?? first
            let stopped = stops[t].contains { $0 >= lastStart && $0 < day }
            if !stopped { return true }
        }
        return false
    }
}
