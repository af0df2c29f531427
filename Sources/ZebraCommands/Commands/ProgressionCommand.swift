import CommandLineParsing
import DiseaseModeling
import Foundation
import ProgressionReport
import RecordImport
import Serialization
import Simulation
import Timelines
import ZebraSupport

struct ProgressionCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "progression",
        abstract: "Write a progression-study report: trajectories, milestones, slopes, sample sizes.",
        discussion: """
        Describes a disease's natural history from real records (--records), a synthetic cohort
        (--patients, simulated with the shipped or --model learned template, or --template-only),
        or both side by side: each measure's median and 10-90 % range by age and by years since
        onset, Kaplan-Meier curves of each recorded milestone with 95 % intervals and numbers at
        risk (age scale, entry at the first visit), per-patient untreated slopes, and patients per
        arm for slope and milestone endpoints. Writes report.html and tables/*.csv to --out.
        """,
        options: [disease, records, patients, by, out, registryExtract, Shared.model, Shared.templateOnly,
                  Shared.seed, Shared.threads, Shared.overwrite, Shared.templates])

    static let disease = Option<String?>("disease", "id", help: "Template id (default: the disease the records name).")
    static let records = Option<String?>("records", "path", help: "Real (or any) records to describe.")
    static let patients = Option<Int?>("patients", "n", in: 1...1_000_000,
                                       help: "Also simulate a synthetic cohort of this many patients.")
    static let by = Option<String?>("by", "sex|attribute", help: "Subgroups: sex, or a template attribute's id.")
    static let out = Option<String>.required("out", "dir", help: "Folder to write report.html and tables/ to.")
    static let registryExtract = Flag("registry-extract",
                                      help: "Simulate registry-extract windows (as zebra simulate does), "
                                          + "to compare with registry records.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        guard arguments[Self.records] != nil || arguments[Self.patients] != nil else {
            throw UsageError("give --records, --patients, or both", usage: arguments.usage)
        }
        var template: DiseaseTemplate
        var cohorts: [ProgressionCohort] = []
        if let path = arguments[Self.records] {
            let records: SeedRecords
            (template, records) = try readDiseaseRecords(path, disease: arguments[Self.disease], arguments,
                                                         console: console)
            cohorts.append(ProgressionCohort(name: "records", timelines: records.timelines))
        } else {
            guard let id = arguments[Self.disease] else {
                throw UsageError("with --patients alone, name the disease with --disease", usage: arguments.usage)
            }
            template = try loadTemplate(id, arguments)
        }
        if let n = arguments[Self.patients] {
            cohorts.append(ProgressionCohort(name: "synthetic",
                                             timelines: try synthetic(n, template, arguments, console)))
        }
        let grouping = try grouping(arguments, template)
        let analysis = ProgressionAnalysis(template: template, concepts: TemplateConcepts(template), cohorts: cohorts,
                                           grouping: grouping)
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: arguments[Self.out], replaceExisting: arguments[Shared.overwrite]) }
        catch { throw CommandError(error.message) }
        do {
            let sizes = Dictionary(uniqueKeysWithValues: cohorts.map { ($0.name, $0.timelines.count) })
            let html = analysis.html(cohortSizes: sizes)
            try writeFileAtomically(Array(html.utf8), to: directory.path(of: "report.html"))
            try FileManager.default.createDirectory(atPath: directory.path(of: "tables"),
                                                    withIntermediateDirectories: true)
            for table in analysis.tables() {
                try writeFileAtomically(Array(table.text.utf8), to: directory.path(of: "tables/" + table.name))
            }
            try directory.commit(description: "generator: zebra progression\n")
        } catch {
            directory.discard()
            throw CommandError("\(error)")
        }
        console.print("\(template.name): " + cohorts.map { "\($0.name) \(formatCount($0.timelines.count)) patients" }
            .joined(separator: ", ") + "; \(analysis.milestones.count) milestone curves, "
            + "\(analysis.bins.count) trajectory bins → \(directory.finalPath)/report.html, tables/")
        return 0
    }

    /// A synthetic cohort from the shipped (or given) learned template, or the template alone.
    static func synthetic(_ n: Int, _ template: DiseaseTemplate, _ arguments: ParsedArguments,
                          _ console: Console) throws -> [PatientTimeline] {
        let simulator = try cohortSimulator(template, arguments, console, command: "progression",
                                            registry: arguments[Self.registryExtract] ? RegistryProtocol() : nil)
        return simulator.patients(0..<n, threads: Shared.threads(arguments)).map(\.timeline)
    }

    static func grouping(_ arguments: ParsedArguments, _ template: DiseaseTemplate) throws -> ProgressionGrouping {
        guard let by = arguments[Self.by] else { return .none }
        if by == "sex" { return .sex }
        if let a = template.attributes.firstIndex(where: { $0.id == by }) { return .attribute(a) }
        let known = (["sex"] + template.attributes.map(\.id)).joined(separator: ", ")
        throw UsageError("option '--by': \"\(by)\" is not sex or an attribute of \(template.id) (\(known))",
                         usage: arguments.usage)
    }
}
