import CommandLineParsing
import DiseaseModeling
import Foundation
import Randomness
import RecordDisplay
import RecordImport
import Serialization
import Timelines
import ZebraSupport

/// How `zebra show` writes a patient.
enum ShowFormat: String, CaseIterable, Sendable {
    case text
    case html
}

struct ShowCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "show", abstract: "Print a patient's record as a clinician reads it: a dated timeline with values.",
        discussion: """
        Reads FHIR R4 (Bulk ndjson or Bundles) or long-CSV records, real or synthetic, and prints
        each chosen patient: sex, birth and death (with its cause), the disease and attributes, and
        every entry in date order with the age: onset, diagnosis, complications, procedures,
        treatments started and stopped, and each visit's values with units, reference ranges and
        H/L flags. --format html writes one page with a chart per measure. Without --patient, one
        patient (or --sample N) is drawn at random with --seed.
        """,
        options: [records, patient, sample, format, out, disease, Shared.seed, Shared.templates])

    static let records = Option<String>.required("records", "path", help: "Folder or file of records.")
    static let patient = Option<String?>("patient", "id", help: "The patient to show (its Patient id).")
    static let sample = Option<Int>("sample", "n", default: 1, in: 1...10_000,
                                    help: "Without --patient: how many patients to draw at random.")
    static let format = Option<ShowFormat>("format", default: .text, help: "text or html.")
    static let out = Option<String?>("out", "file", help: "Write to this new file instead of the terminal.")
    static let disease = Option<String?>("disease", "id", help: "Template id (default: the disease the records name).")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let (template, records) = try readDiseaseRecords(arguments[Self.records], disease: arguments[Self.disease],
                                                         arguments, console: console)
        let chosen = try choose(records.timelines, arguments)
        let views = chosen.map { PatientView($0, template: template, concepts: records.concepts) }
        let output: String
        switch arguments[Self.format] {
        case .text: output = views.map { $0.text() }.joined(separator: "\n")
        case .html: output = views.map { $0.html() }.joined(separator: "\n")
        }
        guard let file = arguments[Self.out] else {
            console.print(output.hasSuffix("\n") ? String(output.dropLast()) : output)
            return 0
        }
        guard !FileManager.default.fileExists(atPath: file) else {
            throw CommandError("\(file) exists; zebra show writes only new files (choose another --out)")
        }
        do { try writeFileAtomically(Array(output.utf8), to: file) } catch { throw CommandError(error.description) }
        console.error("wrote \(views.count) patient\(views.count == 1 ? "" : "s") → \(file)")
        return 0
    }

    /// The patient asked for, or `--sample` patients drawn without replacement with `--seed`.
    static func choose(_ timelines: [PatientTimeline], _ arguments: ParsedArguments) throws -> [PatientTimeline] {
        guard !timelines.isEmpty else { throw CommandError("no patients in \(arguments[Self.records])") }
        if let id = arguments[Self.patient] {
            if let t = timelines.first(where: { $0.id == id }) { return [t] }
            let near = timelines.map(\.id).filter { $0.hasPrefix(String(id.prefix(4))) }.prefix(3)
            let hint = near.isEmpty ? "" : "; ids starting alike: " + near.joined(separator: ", ")
            throw CommandError("no patient \"\(id)\" in \(arguments[Self.records]) "
                + "(\(formatCount(timelines.count)) patients)\(hint)")
        }
        let sorted = timelines.sorted { $0.id < $1.id }
        var random = RandomStream(seed: Shared.seed(arguments))
        let n = min(arguments[Self.sample], sorted.count)
        return random.shuffledIndices(sorted.count).prefix(n).sorted().map { sorted[$0] }
    }
}
