import DiseaseModeling
import Foundation
import Timelines

/// One patient's record laid out for reading: who, the disease, and every dated entry in order,
/// each visit with its values, units and reference ranges. Text and HTML render the same view.
package struct PatientView: Sendable {
    /// What a row of the timeline records.
    package enum Entry: Sendable, Equatable {
        case onset, diagnosis, event, procedure, treatmentStart, treatmentStop, attribute, visit, death
    }

    /// A recorded value as a report shows it.
    package struct ShownValue: Sendable, Equatable {
        package var name: String
        package var text: String
        package var unit: String
        /// "H" above the reference range, "L" below it, empty within or without one.
        package var flag: String
        /// The reference range or scale ("≥ 90", "150–400", "scale 0–93"), empty when none.
        package var range: String
    }

    /// One dated entry.
    package struct Row: Sendable, Equatable {
        package var day: CalendarDay
        package var age: Double
        package var entry: Entry
        package var text: String
        /// For visits: the values recorded, in template order.
        package var values: [ShownValue] = []
        /// For visits: the treatments under way that day.
        package var treatments: [String] = []
    }

    /// One measure's recorded values over age, for charts.
    package struct Series: Sendable, Equatable {
        package var name: String
        package var unit: String
        /// The y axis: the title in words with the unit, and the template's plot scale.
        package var axis: MeasureAxis
        package var ages: [Double]
        package var values: [Double]
        package var low: Double?
        package var high: Double?
    }

    package var id: String
    package var sex: Sex
    package var birth: CalendarDay
    package var death: CalendarDay?
    package var causeOfDeath: String?
    package var followUpEnd: CalendarDay
    package var disease: String
    /// Attribute facts ("GBA1 genotype: N370S/L444P"), with the day each was recorded.
    package var attributes: [(text: String, day: CalendarDay)]
    package var rows: [Row]
    package var series: [Series]
    package var visitCount: Int

    /// The view of `timeline` under `template`, whose concepts `concepts` indexes.
    package init(_ timeline: PatientTimeline, template: DiseaseTemplate, concepts: TemplateConcepts) {
        let table = concepts.table
        id = timeline.id
        sex = timeline.sex
        birth = timeline.birth
        death = timeline.death
        causeOfDeath = timeline.causeOfDeath.map { table[$0].text }
        followUpEnd = timeline.followUpEnd
        disease = template.condition.text
        var builder = RowBuilder(template: template, concepts: concepts, timeline: timeline)
        builder.build()
        attributes = builder.attributes
        rows = builder.rows
        series = builder.series.filter { !$0.values.isEmpty }
        visitCount = builder.visits
    }

    /// Age in years on `day`.
    package func age(on day: CalendarDay) -> Double { birth.years(to: day) }

    /// A value with its unit, its flag against the measure's reference range, and the range.
    package static func shown(_ value: Double, measure: MeasureDefinition, sex: Sex, age: Double) -> ShownValue {
        RowBuilder.shown(value, measure: measure, sex: sex, age: age)
    }
}

/// Lays out a timeline's events as rows, grouping each visit's values.
private struct RowBuilder {
    let template: DiseaseTemplate
    let concepts: TemplateConcepts
    let timeline: PatientTimeline
    var rows: [PatientView.Row] = []
    var attributes: [(text: String, day: CalendarDay)] = []
    var series: [PatientView.Series]
    var visits = 0
    private let measureOf: [Int32: Int]
    private let attributeOf: [Int32: Int]
    private let treatmentOf: [Int32: Int]

    init(template: DiseaseTemplate, concepts: TemplateConcepts, timeline: PatientTimeline) {
        self.template = template
        self.concepts = concepts
        self.timeline = timeline
        measureOf = Dictionary(uniqueKeysWithValues: concepts.measures.enumerated().map { ($1, $0) })
        attributeOf = Dictionary(uniqueKeysWithValues: concepts.attributes.enumerated().map { ($1, $0) })
        treatmentOf = Dictionary(uniqueKeysWithValues: concepts.treatments.enumerated().map { ($1, $0) })
        series = template.measures.map { m in
            let range = m.referenceRange?.bounds(for: timeline.sex)
            return PatientView.Series(name: m.concept.text, unit: DisplayUnit.text(m.concept.unit),
                                      axis: MeasureAxis(m), ages: [], values: [], low: range?.low, high: range?.high)
        }
    }

    mutating func build() {
        let events = timeline.events.sorted(by: TimelineEvent.inCanonicalOrder)
        var visitIndex: [Int32: Int] = [:]
        for e in events {
            let age = timeline.birth.years(to: e.day)
            switch e.kind {
            case .encounter:
                visits += 1
                visitIndex[e.ordinal] = rows.count
                rows.append(.init(day: e.day, age: age, entry: .visit, text: "visit \(visits)",
                                  treatments: treatmentsUnderWay(on: e.day, events)))
            case .condition where e.concept == concepts.condition:
                addDisease(e)
            case .condition, .procedure:
                let name = concepts.table[e.concept].text
                let isTreatment = treatmentOf[e.concept] != nil
                rows.append(.init(day: e.day, age: age, entry: isTreatment ? .treatmentStart
                                      : e.kind == .procedure ? .procedure : .event,
                                  text: isTreatment ? "\(name) (procedure)" : name))
            case .medicationStart:
                rows.append(.init(day: e.day, age: age, entry: .treatmentStart,
                                  text: "started \(concepts.table[e.concept].text)"))
            case .medicationStop:
                rows.append(.init(day: e.day, age: age, entry: .treatmentStop,
                                  text: "stopped \(concepts.table[e.concept].text)"))
            case .codedValue, .quantity:
                let row = visitIndex[e.ordinal] ?? rows.lastIndex { $0.entry == .visit && $0.day == e.day }
                addValue(e, age: age, row: row)
            }
        }
        if let death = timeline.death {
            let cause = timeline.causeOfDeath.map { " (cause: \(concepts.table[$0].text))" } ?? ""
            rows.append(.init(day: death, age: timeline.birth.years(to: death), entry: .death, text: "death" + cause))
        }
        rows = rows.enumerated().sorted { a, b in
            a.element.day != b.element.day ? a.element.day < b.element.day : a.offset < b.offset
        }.map(\.element)
    }

    /// The disease's own Condition: onset on its day, diagnosis on its recorded day.
    private mutating func addDisease(_ e: TimelineEvent) {
        let diagnosed = e.recordedDay ?? e.day
        if e.day < diagnosed {
            rows.append(.init(day: e.day, age: timeline.birth.years(to: e.day), entry: .onset,
                              text: "first symptoms of \(template.condition.text)"))
        }
        rows.append(.init(day: diagnosed, age: timeline.birth.years(to: diagnosed), entry: .diagnosis,
                          text: "diagnosis: \(template.condition.text)"))
    }

    private mutating func addValue(_ e: TimelineEvent, age: Double, row: Int?) {
        let table = concepts.table
        if let a = attributeOf[e.concept] {
            let concept = table[e.concept]
            let value = e.kind == .codedValue ? table[e.related].text
                : "\(DisplayNumber.text(e.value, decimals: concept.decimals)) \(DisplayUnit.text(concept.unit, after: e.value))"
            let text = "\(template.attributes[a].concept.text): \(value.trimmingCharacters(in: .whitespaces))"
            attributes.append((text, e.day))
            rows.append(.init(day: e.day, age: age, entry: .attribute, text: text))
            return
        }
        guard let m = measureOf[e.concept] else { return }
        let shown = Self.shown(e.value, measure: template.measures[m], sex: timeline.sex, age: age)
        series[m].ages.append(age)
        series[m].values.append(e.value)
        if let row { rows[row].values.append(shown) } else {
            rows.append(.init(day: e.day, age: age, entry: .visit, text: "result", values: [shown]))
        }
    }

    /// A value with its unit, its flag against the reference range, and the range (or the scale's bounds).
    static func shown(_ value: Double, measure: MeasureDefinition, sex: Sex, age: Double) -> PatientView.ShownValue {
        let c = measure.concept
        var flag = "", range = ""
        if let r = measure.referenceRange?.bounds(for: sex, atAge: age), r.low != nil || r.high != nil {
            if let low = r.low, value < low { flag = "L" }
            if let high = r.high, value > high { flag = "H" }
            range = DisplayNumber.range(low: r.low, high: r.high)
        } else if c.category == "exam" || c.category == "survey", measure.floor.isFinite,
                  measure.ceiling < Double.greatestFiniteMagnitude {
            range = "scale " + DisplayNumber.range(low: measure.floor, high: measure.ceiling)
        }
        return .init(name: c.text, text: DisplayNumber.text(value, decimals: c.decimals),
                     unit: DisplayUnit.text(c.unit), flag: flag, range: range)
    }

    /// The treatments started on or before `day` and not stopped before it.
    private func treatmentsUnderWay(on day: CalendarDay, _ events: [TimelineEvent]) -> [String] {
        var result: [String] = []
        for (t, concept) in concepts.treatments.enumerated() {
            let starts = events.filter { $0.concept == concept && $0.kind != .medicationStop && $0.day <= day }
            guard let start = starts.last?.day else { continue }
            let stopped = events.contains { $0.concept == concept && $0.kind == .medicationStop && $0.day >= start
                && $0.day <= day }
            if !stopped { result.append(template.treatments[t].concept.text) }
        }
        return result
    }
}
