import DiseaseModeling
import Foundation
import Parallelism
import Serialization
import Timelines

/// A user's seed records for one disease, read into timelines shaped like simulated ones.
package struct SeedRecords: Sendable {
    /// One timeline per kept patient, in the order the Patients were read. Concept indices refer
    /// to `concepts.table`, the same table `CohortSimulator` uses for the template, so imported
    /// and simulated timelines are interchangeable.
    package var timelines: [PatientTimeline]
    /// The template's concepts (`TemplateConcepts(template)`).
    package var concepts: TemplateConcepts
    /// What was read, kept and skipped, and why.
    package var report: ImportReport
}

/// Reads seed records (FHIR R4 Bulk ndjson, FHIR Bundles, or the long-format CSV) for one
/// disease template into `PatientTimeline`s, with a report of what was skipped and why.
///
/// The input format follows from the path: a folder is searched (recursively) for `*.ndjson`,
/// `*.json` and `*.csv` files, which may be mixed; a single file is read by its extension.
/// Resources are grouped by `resourceType`, whatever file they are in, and references resolve
/// within a Bundle first (`urn:uuid:` full URLs or `Type/id`), then across all files.
///
/// Each record is matched to the template by its codes (any coding equal to one of a concept's
/// codings): Observations to measures and attributes, Conditions to the disease itself (onset
/// and diagnosis date) or to events, Procedures to events or treatments, MedicationStatements
/// and MedicationRequests to treatments. Quantities are converted to the template's unit when
/// the unit is another spelling or a unit of the same dimension (`UnitConversion`), and kept
/// as given otherwise (no rounding).
///
/// The timelines have the simulator's shape: the disease Condition (day = onset, `related` =
/// diagnosis day), visits numbered 0, 1, 2… in date order, observations tied to their visit
/// (an observation naming no visit joins one on its day, which is added if needed), events
/// sorted by (day, kind). `attributes` holds each recorded attribute's earliest value;
/// `followUpEnd` is the death date, else `extractDate` when given, else the last recorded day.
///
/// By default a record with a problem is skipped (a patient with unusable details is skipped
/// with all their records), counted in the report by reason, and the import goes on. With
/// `strict`, any problem makes `read(path:)` throw a `RecordImportError` listing all problems.
package struct SeedRecordImporter: Sendable {
    /// The template whose concepts the records are matched to.
    package var template: DiseaseTemplate
    /// Whether any problem fails the import (instead of skipping the record).
    package var strict: Bool
    /// The date the records were extracted: living patients are followed up to it.
    package var extractDate: CalendarDay?
    /// How many problems the report keeps verbatim (all are counted).
    package var maximumProblems = 100
    /// Threads that parse ndjson lines (the result does not depend on it).
    package var threads = defaultThreadCount

    /// An importer for `template`; `extractDate` also rejects records dated after it.
    package init(template: DiseaseTemplate, strict: Bool = false, extractDate: CalendarDay? = nil) {
        self.template = template
        self.strict = strict
        self.extractDate = extractDate
    }

    /// Reads the seed records at `path` (a folder or a file).
    ///
    /// - Throws: `RecordImportError` when the path has no readable records or no patients, or,
    ///   in strict mode, when any problem was found.
    package func read(path: String) throws(RecordImportError) -> SeedRecords {
        let files = try Self.recordFiles(at: path)
        var session = ImportSession(template: template, strict: strict, extractDate: extractDate, source: path,
                                    maximumProblems: maximumProblems)
        session.report.files = files
        var fhir = FHIRReader(threads: threads)
        var csvFiles: [String] = []
        for file in files {
            let format = OutputPaths.fileExtension(file).lowercased()
            if format == "csv" {
                csvFiles.append(file)
                continue
            }
            guard let bytes = Self.contents(of: file, &session) else { continue }
            if format == "ndjson" {
                fhir.readNDJSON(bytes, file: file, session: &session)
            } else {
                fhir.readJSON(bytes, file: file, session: &session)
            }
        }
        fhir.finish(&session)
        // A flat CSV export's tables refer to each other's patients: they are read together.
        var flat = FlatCSVReader()
        for file in csvFiles {
            guard let bytes = Self.contents(of: file, &session) else { continue }
            var rows = CSVParser.parse(bytes)
            let header = rows.first.map { $0.fields.map { $0.trimmingSpaces().lowercased() } } ?? []
            if header == FlatCSVReader.dictionaryHeader {
                session.note("data dictionaries skipped (documentation, not records)")
            } else if let name = FlatCSVReader.tableName(header) {
                rows.removeFirst()
                flat.add(.init(file: file, name: name, header: header, rows: rows))
            } else {
                var csv = CSVReader(file: file)
                csv.read(bytes, &session)
            }
        }
        flat.read(&session)
        let timelines = session.timelines()
        if strict && !session.allProblems.isEmpty {
            throw RecordImportError(headline: "\(session.allProblems.count) "
                + "problem\(session.allProblems.count == 1 ? "" : "s") in the seed records at \(path) (strict mode):",
                                    problems: session.allProblems)
        }
        if session.report.patientsRead == 0 {
            throw RecordImportError(headline: "no Patient records in \(path)", problems: session.report.problems)
        }
        return SeedRecords(timelines: timelines, concepts: session.concepts, report: session.report)
    }

    private static func contents(of file: String, _ session: inout ImportSession) -> [UInt8]? {
        do { return try readFileBytes(file) } catch {
            session.fileProblem("unreadable file", error.message, file: file)
            return nil
        }
    }

    /// The record files at `path`: the file itself, or a folder's `*.ndjson`, `*.json` and `*.csv`
    /// files (recursively, hidden ones excluded), Patient and Encounter files first, then by path.
    static func recordFiles(at path: String) throws(RecordImportError) -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RecordImportError(headline: "no such file or folder: \(path)")
        }
        let extensions: Set<String> = ["ndjson", "json", "csv"]
        guard isDirectory.boolValue else {
            guard extensions.contains(OutputPaths.fileExtension(path).lowercased()) else {
                throw RecordImportError(headline: "\(path): expected a .ndjson, .json "
                    + "(Bundle) or .csv file, or a folder of them")
            }
            return [path]
        }
        var files: [String] = []
        let enumerator = fm.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            let name = OutputPaths.lastComponent(relative)
            if name.hasPrefix(".") || relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            // A FHIR Bulk Data manifest describes the files beside it; it is not a record.
            if name == "bulk-manifest.json" { continue }
            if extensions.contains(OutputPaths.fileExtension(name).lowercased()) {
                files.append((path as NSString).appendingPathComponent(relative))
            }
        }
        guard !files.isEmpty else {
            throw RecordImportError(headline: "no .ndjson, .json or .csv files in \(path)")
        }
        // Patients, then Encounters and Medications first: records after them resolve on the spot.
        func rank(_ file: String) -> Int {
            let name = OutputPaths.lastComponent(file)
            return name.hasPrefix("Patient") ? 0 : name.hasPrefix("Encounter") ? 1 : name.hasPrefix("Medication.") ? 2
                : 3
        }
        return files.sorted { rank($0) != rank($1) ? rank($0) < rank($1) : $0 < $1 }
    }
}
