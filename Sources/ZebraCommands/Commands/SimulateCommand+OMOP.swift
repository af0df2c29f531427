import DiseaseModeling
import FHIRExport
import FlatCSVExport
import Foundation
import OMOPExport
import Serialization
import Simulation
import Timelines
import ZebraSupport

extension SimulateCommand {
    /// Writes the run as OMOP CDM tables, with cdm_source and the vocabulary rows it refers to.
    static func writeOMOP(writer: OMOPRowWriter, indices: Range<Int>, shard: Shard?, directory: StagedDirectory,
                          info: String, source: OMOPVocabularyFiles.Source, threads: Int,
                          generate: @escaping @Sendable (Int) -> PatientTimeline,
                          reporter: ProgressReporter) throws {
        do {
            var export = OMOPExport(writer: writer, threads: threads)
            export.firstIndex = indices.lowerBound
            let summary = try export.write(count: indices.count, into: directory, generate: generate,
                                           progress: { done, s in
                                               reporter.update(done: done, resources: s.rows, seconds: s.seconds)
                                           })
            try writeOMOPMetadata(writer: writer, source: source, into: directory)
            var description = info + rowLines(summary)
            if let shard { description += shard.descriptionLine + "\n" }
            try directory.commit(description: description)
            reporter.finish()
            reporter.console.error(summaryText(summary, path: directory.finalPath))
        } catch {
            directory.discard()
            throw CommandError(error.message)
        }
    }

    /// Writes the run as flat CSV tables with their data dictionary.
    static func writeFlatCSV(writer: FlatCSVWriter, indices: Range<Int>, shard: Shard?, directory: StagedDirectory,
                             info: String, threads: Int, generate: @escaping @Sendable (Int) -> PatientTimeline,
                             reporter: ProgressReporter) throws {
        do {
            var export = FlatCSVExport(writer: writer, threads: threads)
            export.firstIndex = indices.lowerBound
            let summary = try export.write(count: indices.count, into: directory, generate: generate,
                                           progress: { done, s in
                                               reporter.update(done: done, resources: s.rows, seconds: s.seconds)
                                           })
            var lines: [String] = []
            for table in FlatCSVTable.allCases where summary.rowsByTable[table.rawValue] > 0 {
                lines.append("rows.\(table.name): \(summary.rowsByTable[table.rawValue])")
            }
            lines.append("note: synthetic data (not real patients)")
            var description = info + lines.joined(separator: "\n") + "\n"
            if let shard { description += shard.descriptionLine + "\n" }
            try directory.commit(description: description)
            reporter.finish()
            let parts = FlatCSVTable.allCases.map { "\($0.name) \(formatCount(summary.rowsByTable[$0.rawValue]))" }
            reporter.console.error("wrote \(formatCount(summary.patients)) patients, \(formatCount(summary.rows)) rows, "
                + String(format: "%.1f MB in %.2f s", Double(summary.bytes) / 1e6, summary.seconds)
                + " → \(directory.finalPath)\n  " + parts.joined(separator: ", "))
        } catch {
            directory.discard()
            throw CommandError(error.message)
        }
    }

    /// cdm_source.csv and vocabulary/*.csv: the same in every shard of a run.
    static func writeOMOPMetadata(writer: OMOPRowWriter, source: OMOPVocabularyFiles.Source,
                                  into directory: StagedDirectory) throws(OutputError) {
        try writeFileAtomically(OMOPVocabularyFiles.cdmSource(source), to: directory.path(of: "cdm_source.csv"))
        let folder = directory.path(of: OMOPVocabularyFiles.folder)
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw OutputError("cannot create \(folder): \(error.localizedDescription)")
        }
        for (name, bytes) in OMOPVocabularyFiles.tables(for: OMOPVocabularyFiles.referencedConcepts(writer)) {
            try writeFileAtomically(bytes, to: (folder as NSString).appendingPathComponent(name))
        }
    }

    static func omopSource(template: DiseaseTemplate, options: SimulationOptions, patients: Int,
                           model: LoadedModel?) -> OMOPVocabularyFiles.Source {
        let generation = model?.generation ?? "template only"
        return OMOPVocabularyFiles.Source(
            name: "Zebra synthetic cohort: \(template.name)", abbreviation: "zebra-\(template.id)",
            description: "Synthetic patients (not real people) from zebra simulate: template \(template.id) "
                + "\(template.version) sha256:\(template.digest), \(patients) patients, seed \(options.seed), "
                + "records to \(options.endDate?.iso ?? "death"), generation: \(generation).",
            releaseDay: options.endDate ?? CalendarDay(year: 2025, month: 12, day: 31))
    }

    /// The row counts and the closing note of an OMOP run's description.
    static func rowLines(_ summary: OMOPSummary) -> String {
        var lines: [String] = []
        for table in OMOPTable.recordTables where summary.rowsByTable[table.rawValue] > 0 {
            lines.append("rows.\(table.name): \(summary.rowsByTable[table.rawValue])")
        }
        lines.append("note: synthetic data; cdm_source says so, and vocabulary/ holds only the concepts used")
        return lines.joined(separator: "\n") + "\n"
    }

    static func summaryText(_ s: OMOPSummary, path: String) -> String {
        let mb = Double(s.bytes) / 1_000_000
        var parts: [String] = []
        for table in OMOPTable.recordTables where s.rowsByTable[table.rawValue] > 0 {
            parts.append("\(table.name) \(formatCount(s.rowsByTable[table.rawValue]))")
        }
        var text = "wrote \(formatCount(s.patients)) patients, \(formatCount(s.rows)) OMOP rows, "
            + String(format: "%.1f MB in %.2f s", mb, s.seconds) + " → \(path)\n  " + parts.joined(separator: ", ")
        if s.seconds > 0 { text += "\n  \(formatRate(Double(s.rows) / s.seconds)) rows/s" }
        return text
    }
}
