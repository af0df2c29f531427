import ZebraSupport

/// What an import read, kept and skipped, and why.
///
/// Counts are exact; `problems` holds the first `maximumProblems` problems verbatim (all of them
/// are counted in `problemCount` and in the skip tables). Records are FHIR resources, or CSV rows
/// counted under the resource type they stand for (an `observation` row counts as an Observation).
package struct ImportReport: Sendable {
    /// The path given to the importer.
    package var source: String
    /// The files read, in the order read.
    package var files: [String] = []
    /// Patient records read (FHIR Patients, or distinct `patient_id`s of a CSV).
    package var patientsRead = 0
    /// Patients whose timeline was made.
    package var patientsKept = 0
    /// Skipped patients by reason ("no birth date", "duplicate patient id", …).
    package var patientsSkippedByReason: [String: Int] = [:]
    /// Records other than Patients, by resource type (`unreadable` for lines or rows that did not parse).
    package var recordsRead: [String: Int] = [:]
    /// Records kept, by resource type.
    package var recordsKept: [String: Int] = [:]
    /// Skipped records by reason ("unknown code", "observation before birth", "patient skipped", …).
    package var recordsSkippedByReason: [String: Int] = [:]
    /// The first problems found, verbatim.
    package var problems: [ImportProblem] = []
    /// All problems found, including those not kept in `problems`.
    package var problemCount = 0
    /// How many problems `problems` keeps.
    package var maximumProblems: Int
    /// Things done to the data that are not problems, with counts (e.g. encounters added for
    /// observations that named none).
    package var notes: [String: Int] = [:]

    /// An empty report for the records at `source`.
    package init(source: String, maximumProblems: Int = 100) {
        self.source = source
        self.maximumProblems = maximumProblems
    }

    /// Patients skipped for their own details (see `patientsSkippedByReason`).
    package var patientsSkipped: Int { patientsRead - patientsKept }
    /// Records read of any type; always `recordsKeptTotal + recordsSkippedTotal`.
    package var recordsReadTotal: Int { recordsRead.values.reduce(0, +) }
    /// Records that became timeline events (or visits, or the disease's onset and diagnosis).
    package var recordsKeptTotal: Int { recordsKept.values.reduce(0, +) }
    /// Records skipped, whatever the reason.
    package var recordsSkippedTotal: Int { recordsSkippedByReason.values.reduce(0, +) }

    mutating func record(_ problem: ImportProblem) {
        problemCount += 1
        if problems.count < maximumProblems { problems.append(problem) }
    }

    /// A few lines: what was read, kept and skipped (with reasons), and the notes.
    ///
    /// `read 300 patients, 1,394 encounters, 5,084 observations; kept 300 patients, 6,478 records;
    /// skipped 12 records: 7 unknown code, 5 observation before birth`
    package func summary() -> String {
        var read = ["\(formatCount(patientsRead)) patients"]
        for (type, n) in Self.ordered(recordsRead) { read.append("\(formatCount(n)) \(Self.plural(type, n))") }
        var lines = ["read " + read.joined(separator: ", ")
            + "; kept \(formatCount(patientsKept)) patients, \(formatCount(recordsKeptTotal)) records"]
        if patientsSkipped > 0 {
            lines.append("skipped \(formatCount(patientsSkipped)) patient\(patientsSkipped == 1 ? "" : "s"): "
                + Self.reasons(patientsSkippedByReason))
        }
        let skipped = recordsSkippedTotal
        lines.append(skipped == 0 ? "skipped no records"
            : "skipped \(formatCount(skipped)) record\(skipped == 1 ? "" : "s"): "
            + Self.reasons(recordsSkippedByReason))
        for (note, n) in notes.sorted(by: { $0.key < $1.key }) { lines.append("note: \(formatCount(n)) \(note)") }
        return lines.joined(separator: "\n")
    }

    /// Types in the order a FHIR export writes them, others alphabetically after.
    static func ordered(_ counts: [String: Int]) -> [(String, Int)] {
        let order = ["Encounter", "Observation", "Condition", "Procedure", "MedicationStatement", "MedicationRequest"]
        return counts.sorted { a, b in
            let ia = order.firstIndex(of: a.key) ?? order.count, ib = order.firstIndex(of: b.key) ?? order.count
            return ia != ib ? ia < ib : a.key < b.key
        }
    }

    /// "7 unknown code, 5 observation before birth": largest first.
    static func reasons(_ counts: [String: Int]) -> String {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\(formatCount($0.value)) \($0.key)" }.joined(separator: ", ")
    }

    /// "MedicationStatement" → "medication statements".
    static func plural(_ type: String, _ n: Int) -> String {
        if type == "unreadable" { return n == 1 ? "unreadable record" : "unreadable records" }
        var words = ""
        for ch in type {
            if ch.isUppercase && !words.isEmpty { words.append(" ") }
            words.append(Character(ch.lowercased()))
        }
        return n == 1 ? words : words + "s"
    }
}
