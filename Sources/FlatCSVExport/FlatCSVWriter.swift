import Serialization
import Timelines

/// Rows of one or more patients, grouped by table (CSV lines without headers).
package struct FlatCSVRows: Sendable {
    package var writers = Array(repeating: ByteWriter(capacity: 0), count: FlatCSVTable.allCases.count)
    package var counts = [Int](repeating: 0, count: FlatCSVTable.allCases.count)

    package init() {}

    package var byteCount: Int { writers.reduce(0) { $0 + $1.count } }
}

/// Writes patient timelines as the flat CSV tables, one row per record.
package struct FlatCSVWriter: Sendable {
    /// Per concept: the code a row carries (its first), by short system name, and its text.
    struct Coding: Sendable {
        var system: String
        var code: String
        var text: String
        var unit: String?
        var decimals: Int
    }

    let codings: [Coding]
    let causeOfDeathConcept: Int32?

    package init(concepts: ConceptTable) {
        let shortNames = Dictionary(CodeSystems.byShortName.map { ($1, $0) }, uniquingKeysWith: min)
        codings = concepts.concepts.map { c in
            let first = c.codes.first
            return Coding(system: first.map { shortNames[$0.system] ?? $0.system } ?? "local",
                          code: first?.code ?? c.key, text: c.text, unit: c.unit, decimals: c.decimals)
        }
        causeOfDeathConcept = concepts.index(of: "cause-of-death")
    }

    /// Appends one patient's rows.
    package func append(_ timeline: PatientTimeline, to rows: inout FlatCSVRows) {
        var patient = CSVLine()
        patient.text(timeline.id); patient.text(timeline.sex.rawValue)
        patient.date(timeline.birth); patient.date(timeline.death); patient.date(timeline.followUpEnd)
        let cause = timeline.death == nil ? nil : timeline.causeOfDeath.map { codings[Int($0)] }
        patient.text(cause?.code); patient.text(cause?.text)
        finish(&patient, .patients, &rows)
        var visit = 0
        for event in timeline.events where event.kind == .encounter {
            visit += 1
            var line = CSVLine(capacity: 64)
            line.text(timeline.id); line.int(visit); line.date(event.day)
            finish(&line, .encounters, &rows)
        }
        var stops: [Int32: CalendarDay] = [:]
        for event in timeline.events where event.kind == .medicationStop { stops[event.concept] = event.day }
        for event in timeline.events {
            switch event.kind {
            case .encounter, .medicationStop: continue
            case .condition:
                var line = start(timeline, event.day)
                line.date(event.recordedDay)
                coding(&line, event.concept)
                finish(&line, .conditions, &rows)
            case .quantity, .codedValue:
                var line = CSVLine()
                line.text(timeline.id); line.int(event.ordinal >= 0 ? Int(event.ordinal) + 1 : nil)
                line.date(event.day)
                coding(&line, event.concept)
                let c = codings[Int(event.concept)]
                if event.kind == .quantity {
                    line.decimal(event.value, decimals: c.decimals); line.text(c.unit); line.null(2)
                } else {
                    let answer = codings[Int(event.related)]
                    line.null(2); line.text(answer.code); line.text(answer.text)
                }
                finish(&line, .observations, &rows)
            case .procedure:
                var line = start(timeline, event.day)
                coding(&line, event.concept)
                finish(&line, .procedures, &rows)
            case .medicationStart:
                let stop = stops[event.concept]
                let status = stop != nil ? "stopped" : timeline.death != nil ? "completed" : "active"
                var line = start(timeline, event.day)
                line.date(stop ?? timeline.death); line.text(status)
                coding(&line, event.concept)
                finish(&line, .medications, &rows)
            }
        }
    }

    private func start(_ timeline: PatientTimeline, _ day: CalendarDay) -> CSVLine {
        var line = CSVLine()
        line.text(timeline.id); line.date(day)
        return line
    }

    private func coding(_ line: inout CSVLine, _ concept: Int32) {
        let c = codings[Int(concept)]
        line.text(c.system); line.text(c.code); line.text(c.text)
    }

    private func finish(_ line: inout CSVLine, _ table: FlatCSVTable, _ rows: inout FlatCSVRows) {
        line.finish(into: &rows.writers[table.rawValue])
        rows.counts[table.rawValue] += 1
    }
}

extension CSVLine {
    mutating func date(_ day: CalendarDay?) {
        let c = day?.components
        date(year: c?.year, month: c?.month, day: c?.day)
    }
}
