import DiseaseModeling
import Serialization
import Timelines

/// Rows of one or more patients, grouped by table (CSV lines without headers).
package struct OMOPRows: Sendable {
    package var writers: [ByteWriter]
    package var counts: [Int]

    package init() {
        writers = Array(repeating: ByteWriter(capacity: 0), count: OMOPTable.allCases.count)
        counts = Array(repeating: 0, count: OMOPTable.allCases.count)
    }

    package var byteCount: Int { writers.reduce(0) { $0 + $1.count } }
}

/// Writes patient timelines as OMOP CDM rows, byte by byte.
///
/// Every concept's mapping (standard concept, source value, source concept, unit) is resolved once
/// up front; per row only ids, dates and values are written. Ids are given by the caller, so that
/// a cohort's rows are numbered from 1 in patient order whatever the thread count.
package struct OMOPRowWriter: Sendable {
    /// Where a concept's records go, and the ids and source values they carry.
    struct Target: Sendable {
        var table: OMOPTable?
        var conceptID: Int32
        var sourceValue: String
        var sourceConceptID: Int32
        var unitConceptID: Int32?
        var unitSource: String?
        var text: String
        var decimals: Int
        var range: ReferenceRange?
    }

    let targets: [Target]
    let causeOfDeathConcept: Int32?

    /// - Parameters:
    ///   - concepts: the cohort's concept table.
    ///   - ranges: the reference interval of each measure concept that has one.
    package init(concepts: ConceptTable, ranges: [Int32: ReferenceRange] = [:]) {
        targets = concepts.concepts.indices.map { i in
            Self.target(concepts.concepts[i], range: ranges[Int32(i)])
        }
        causeOfDeathConcept = concepts.index(of: "cause-of-death")
    }

    /// A writer for a template's cohort, with each measure's reference interval as its range.
    package init(concepts: TemplateConcepts, template: DiseaseTemplate) {
        var ranges: [Int32: ReferenceRange] = [:]
        for (m, measure) in template.measures.enumerated() { ranges[concepts.measures[m]] = measure.referenceRange }
        self.init(concepts: concepts.table, ranges: ranges)
    }

    static func target(_ concept: Concept, range: ReferenceRange?) -> Target {
        let mapping = OMOPConceptMap.mapping(of: concept)
        let table: OMOPTable? = switch concept.kind {
        case .measure: .measurement
        case .attribute: .observation
        case .medication: .drugExposure
        case .disease, .condition, .procedure: OMOPTable(domain: mapping.standard?.domain)
            ?? (concept.kind == .procedure ? .procedureOccurrence : .conditionOccurrence)
        case .attributeValue: nil
        }
        let unit = concept.unit.map { OMOPConceptMap.unit($0)?.id ?? 0 }
        return Target(table: table, conceptID: mapping.standard?.id ?? 0, sourceValue: mapping.sourceValue,
                      sourceConceptID: mapping.source?.id ?? 0, unitConceptID: unit, unitSource: concept.unit,
                      text: concept.text, decimals: concept.decimals, range: range)
    }

    /// The number of rows with an id the patient adds to each table (visits, conditions, …).
    package func rowCounts(_ timeline: PatientTimeline) -> [Int] {
        var counts = [Int](repeating: 0, count: OMOPTable.allCases.count)
        for event in timeline.events {
            guard let table = table(of: event) else { continue }
            counts[table.rawValue] += 1
        }
        return counts
    }

    func table(of event: TimelineEvent) -> OMOPTable? {
        switch event.kind {
        case .encounter: .visitOccurrence
        case .medicationStop: nil
        case .codedValue: .observation
        case .condition, .quantity, .procedure, .medicationStart: targets[Int(event.concept)].table
        }
    }

    /// Appends one patient's rows. `nextIDs[t]` is the id of the next row of table `t`; it is advanced.
    package func append(_ timeline: PatientTimeline, personID: Int, nextIDs: inout [Int], to rows: inout OMOPRows) {
        var visitIDs: [Int] = []
        for event in timeline.events where event.kind == .encounter {
            let id = take(.visitOccurrence, &nextIDs, &rows)
            visit(event, id: id, person: personID, preceding: visitIDs.last,
                  into: &rows.writers[OMOPTable.visitOccurrence.rawValue])
            visitIDs.append(id)
        }
        let stops = medicationStops(timeline)
        for event in timeline.events where event.kind != .encounter && event.kind != .medicationStop {
            guard let table = table(of: event) else { continue }
            let id = take(table, &nextIDs, &rows)
            let visit = event.ordinal >= 0 && Int(event.ordinal) < visitIDs.count ? visitIDs[Int(event.ordinal)] : nil
            let row = Row(event: event, id: id, person: personID, visit: visit)
            switch table {
            case .conditionOccurrence, .procedureOccurrence: occurrence(row, into: &rows.writers[table.rawValue])
            case .drugExposure: drug(row, stop: stops[event.concept], timeline: timeline,
                                     into: &rows.writers[table.rawValue])
            case .measurement: measurement(row, timeline: timeline, into: &rows.writers[table.rawValue])
            case .observation: observation(row, into: &rows.writers[table.rawValue])
            case .person, .observationPeriod, .visitOccurrence, .death, .cohort: break
            }
        }
        // The period covers every row written: a symptom onset before the first visit included.
        let firstDay = min(timeline.events.map(\.day).min() ?? timeline.followUpEnd, timeline.followUpEnd)
        person(timeline, id: personID, into: &rows)
        var period = CSVLine(capacity: 64)
        period.int(personID); period.int(personID); period.date(firstDay); period.date(timeline.followUpEnd)
        period.concept(OMOPConceptMap.ehr.id)
        period.finish(into: &rows.writers[OMOPTable.observationPeriod.rawValue])
        rows.counts[OMOPTable.observationPeriod.rawValue] += 1
        if let death = timeline.death { self.death(timeline, day: death, person: personID, into: &rows) }
    }

    /// What every event row carries.
    struct Row {
        var event: TimelineEvent
        var id: Int
        var person: Int
        var visit: Int?
    }

    private func take(_ table: OMOPTable, _ nextIDs: inout [Int], _ rows: inout OMOPRows) -> Int {
        let id = nextIDs[table.rawValue]
        nextIDs[table.rawValue] += 1
        rows.counts[table.rawValue] += 1
        return id
    }

    private func medicationStops(_ timeline: PatientTimeline) -> [Int32: CalendarDay] {
        var result: [Int32: CalendarDay] = [:]
        for event in timeline.events where event.kind == .medicationStop { result[event.concept] = event.day }
        return result
    }
}
