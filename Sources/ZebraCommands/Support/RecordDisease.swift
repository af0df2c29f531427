import CommandLineParsing
import DiseaseModeling
import Foundation
import RecordImport
import Serialization
import Timelines
import ZebraSupport

/// How many patients of a set of records carry each template's disease Condition.
struct DiseaseCensus {
    struct Row {
        var template: DiseaseTemplate
        var carriers: Int
        var patients: Int
        /// The records as this template reads them (nil when it cannot).
        var records: SeedRecords?
    }

    var rows: [Row]

    /// Reads the records once per template of the library (records a template cannot read count 0).
    init(path: String, library: TemplateLibrary) {
        rows = library.templateFiles().compactMap { file in
            guard let template = try? DiseaseTemplate.load(from: file) else { return nil }
            guard let records = try? SeedRecordImporter(template: template).read(path: path) else {
                return Row(template: template, carriers: 0, patients: 0, records: nil)
            }
            return Row(template: template, carriers: records.carriersOfTheDisease, patients: records.timelines.count,
                       records: records)
        }
    }

    /// The template most patients carry, when exactly one leads.
    var leader: Row? {
        let sorted = rows.filter { $0.carriers > 0 }.sorted { $0.carriers > $1.carriers }
        guard let first = sorted.first, sorted.dropFirst().first?.carriers != first.carriers else { return nil }
        return first
    }

    /// "Gaucher disease type 1 (300 patients)", for messages.
    func found(excluding id: String) -> String {
        let others = rows.filter { $0.carriers > 0 && $0.template.id != id }.sorted { $0.carriers > $1.carriers }
        guard !others.isEmpty else { return "no template's disease Condition is recorded in them" }
        return "they carry "
            + others.map { "\($0.template.name) (\(formatCount($0.carriers)) patients; --disease \($0.template.id))" }
            .joined(separator: ", ")
    }
}

extension SeedRecords {
    /// Patients with the template's disease Condition.
    var carriersOfTheDisease: Int {
        let condition = concepts.condition
        return timelines.filter { t in t.events.contains { $0.kind == .condition && $0.concept == condition } }.count
    }

    /// Measure values recorded for the template's measures.
    var measureValues: Int {
        let measures = Set(concepts.measures)
        return timelines.reduce(0) {
            $0 + $1.events.filter { $0.kind == .quantity && measures.contains($0.concept) }.count
        }
    }
}

/// The template whose disease Condition most of the records' patients carry.
func inferTemplate(_ path: String, _ arguments: ParsedArguments, console: Console) throws -> DiseaseTemplate {
    try inferDisease(path, arguments, console: console).template
}

/// The template whose disease Condition most of the records' patients carry, with the records as
/// it reads them (default import options), so a caller need not read them again.
func inferDisease(_ path: String, _ arguments: ParsedArguments,
                  console: Console) throws -> (template: DiseaseTemplate, records: SeedRecords) {
    let census = DiseaseCensus(path: path, library: try templateLibrary(arguments))
    guard let best = census.leader, let records = best.records else {
        throw CommandError("cannot tell the disease from the records at \(path) (no single template's disease "
            + "Condition is recorded); pass --disease <id>")
    }
    console.error("disease: \(best.template.id) (inferred: \(formatCount(best.carriers)) of "
        + "\(formatCount(best.patients)) patients carry its Condition)")
    return (best.template, records)
}

/// Refuses records of another disease: at least half the patients must carry the template's
/// disease Condition, and some of the template's measures must be recorded.
func requireDisease(_ records: SeedRecords, template: DiseaseTemplate, path: String, label: String,
                    arguments: ParsedArguments) throws {
    let carriers = records.carriersOfTheDisease, patients = records.timelines.count
    let values = records.measureValues
    guard patients == 0 || carriers * 2 < patients || values == 0 else { return }
    let census = DiseaseCensus(path: path, library: try templateLibrary(arguments))
    throw CommandError("\(label) at \(path) are not \(template.name) records: \(formatCount(carriers)) of "
        + "\(formatCount(patients)) patients carry its Condition and \(formatCount(values)) of its measure values were "
        + "found; \(census.found(excluding: template.id))")
}

/// Records of one disease as the record-reading commands take them: the template `disease` names
/// (else the one the records name), the records read with default import options, and records of
/// another disease refused.
func readDiseaseRecords(_ path: String, disease: String?, _ arguments: ParsedArguments,
                        console: Console) throws -> (template: DiseaseTemplate, records: SeedRecords) {
    let template: DiseaseTemplate, records: SeedRecords
    if let id = disease {
        template = try loadTemplate(id, arguments)
        do { records = try SeedRecordImporter(template: template).read(path: path) } catch {
            throw CommandError(error.description)
        }
    } else {
        (template, records) = try inferDisease(path, arguments, console: console)
    }
    try requireDisease(records, template: template, path: path, label: "records", arguments: arguments)
    return (template, records)
}
