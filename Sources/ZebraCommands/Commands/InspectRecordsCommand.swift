import CommandLineParsing
import DiseaseModeling
import Foundation
import RecordImport
import Simulation
import Timelines
import ZebraSupport

struct InspectRecordsCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "inspect-records",
        abstract: "Import seed records for a template and report what was read, kept and skipped.",
        discussion: """
        Reads a folder or file of FHIR R4 Bulk ndjson, FHIR Bundles (.json) or the long-format CSV
        described in docs/seed-records.md, maps each record to the template's concepts, and prints
        the import report and a summary per measure. Records with problems are skipped and counted;
        with --strict any problem fails the import.
        """,
        options: [disease, records, extractDate, problems, Shared.strict, Shared.templates])

    static let disease = Option<String?>("disease", "id", help: "Template id (default: the disease the records name).")
    static let records = Option<String>.required("records", "path", help: "Folder or file of seed records.")
    static let extractDate = dateOption(
        "extract-date", default: nil,
        help: "Date of the extract: living patients are followed up to it (default: their last record).")
    static let problems = Option<Int>("problems", "n", default: 20, in: 0...100_000, help: "Problems to print.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let path = arguments[Self.records]
        let extractDate = arguments[Self.extractDate]
        let shown = arguments[Self.problems]
        let template = try arguments[Self.disease].map { id throws(CommandError) in try loadTemplate(id, arguments) }
            ?? inferTemplate(path, arguments, console: console)
        var importer = SeedRecordImporter(template: template, strict: arguments[Shared.strict],
                                          extractDate: extractDate)
        importer.maximumProblems = max(shown, 1)
        let records: SeedRecords
        do { records = try importer.read(path: path) } catch {
            console.error("error: " + error.headline)
            for problem in error.problems.prefix(shown) { console.error("  " + problem.description) }
            if error.problems.count > shown { console.error("  … and \(error.problems.count - shown) more") }
            return 1
        }
        // inspect-records is the tool for looking at such records: it warns instead of refusing.
        do {
            try requireDisease(records, template: template, path: path, label: "records", arguments: arguments)
        } catch {
            console.error("warning: \(error)")
        }
        let report = records.report
        console.print("\(template.name) (\(template.id) v\(template.version)) ← \(path) (\(report.files.count) "
            + "file\(report.files.count == 1 ? "" : "s"))")
        console.print(report.summary())
        if report.problemCount > 0 && shown > 0 {
            console.print("\nproblems (first \(min(shown, report.problems.count)) "
                + "of \(formatCount(report.problemCount))):")
            for problem in report.problems.prefix(shown) { console.print("  " + problem.description) }
        }
        console.print("")
        console.print(RecordsSummary(template: template, records: records).text())
        return records.timelines.isEmpty ? 1 : 0
    }
}

/// Per-measure, per-attribute and per-event figures of imported timelines.
struct RecordsSummary {
    let template: DiseaseTemplate
    let records: SeedRecords

    private struct Stats {
        var count = 0, sum = 0.0, min = Double.infinity, max = -Double.infinity
        var first = CalendarDay(daysSinceEpoch: Int32.max), last = CalendarDay(daysSinceEpoch: Int32.min)
        var patients = 0
    }

    private func stats(_ concept: Int32, _ kind: TimelineEvent.Kind) -> Stats {
        var s = Stats()
        for timeline in records.timelines {
            var seen = false
            for e in timeline.events where e.kind == kind && e.concept == concept {
                s.count += 1
                s.sum += e.value
                s.min = Swift.min(s.min, e.value); s.max = Swift.max(s.max, e.value)
                s.first = Swift.min(s.first, e.day); s.last = Swift.max(s.last, e.day)
                seen = true
            }
            if seen { s.patients += 1 }
        }
        return s
    }

    func text() -> String {
        let concepts = records.concepts
        var rows = [["measure", "unit", "values", "patients", "mean", "min", "max", "first", "last"]]
        func quantityRow(_ name: String, _ concept: Int32) {
            let c = concepts.table[concept]
            let s = stats(concept, .quantity)
            let d = c.decimals + 1
            func f(_ x: Double) -> String { String(format: "%.\(d)f", x) }
            rows.append(s.count == 0 ? [name, c.unit ?? "", "0", "0", "", "", "", "", ""]
                : [name, c.unit ?? "", formatCount(s.count), formatCount(s.patients), f(s.sum / Double(s.count)),
                   f(s.min), f(s.max), s.first.iso, s.last.iso])
        }
        for (m, measure) in template.measures.enumerated() { quantityRow(measure.id, concepts.measures[m]) }
        for (a, attribute) in template.attributes.enumerated() where !attribute.isCategorical {
            quantityRow(attribute.id, concepts.attributes[a])
        }
        var lines = [table(rows)]
        for attribute in template.attributes where attribute.isCategorical {
            var counts = [Int](repeating: 0, count: attribute.categoryValues.count)
            for t in records.timelines {
                if case .category(let v)? = t.attribute(attribute.id),
                   let i = attribute.categoryValues.firstIndex(of: v) {
                    counts[i] += 1
                }
            }
            let parts = zip(attribute.categoryValues, counts).map { "\($0) \(formatCount($1))" }
            lines.append("\(attribute.id) (patients): " + parts.joined(separator: ", "))
        }
        var occurrences: [String] = []
        for (e, event) in template.events.enumerated() where event.record != .none {
            let s = stats(concepts.events[e], event.record == .procedure ? .procedure : .condition)
            occurrences.append("\(event.id) \(formatCount(s.count)) (\(formatCount(s.patients)) patients)")
        }
        for (t, treatment) in template.treatments.enumerated() {
            let s = stats(concepts.treatments[t], treatment.record == .procedure ? .procedure : .medicationStart)
            let stops = stats(concepts.treatments[t], .medicationStop).count
            occurrences.append("\(treatment.id) \(formatCount(s.count)) starts "
                + "(\(formatCount(s.patients)) patients, \(formatCount(stops)) stops)")
        }
        if !occurrences.isEmpty { lines.append("events: " + occurrences.joined(separator: "; ")) }
        let timelines = records.timelines
        let diagnosed = timelines.filter { t in
            t.events.contains { $0.kind == .condition && $0.concept == concepts.condition }
        }.count
        let deaths = timelines.filter { $0.death != nil }.count
        let visits = timelines.reduce(0) { $0 + $1.events.filter { $0.kind == .encounter }.count }
        lines.append("patients: \(formatCount(timelines.count)) (\(formatCount(diagnosed)) with the disease Condition, "
            + "\(formatCount(deaths)) deceased), \(formatCount(visits)) visits")
        return lines.joined(separator: "\n")
    }

    private func table(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i < 2 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
