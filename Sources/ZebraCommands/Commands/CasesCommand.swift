import CommandLineParsing
import DiseaseModeling
import FHIRExport
import Foundation
import RecordDisplay
import Serialization
import Simulation
import TeachingCases
import Timelines
import ZebraSupport

struct CasesCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "cases", abstract: "Write clinician teaching cases, each from one synthetic patient's lifetime.",
        discussion: """
        Simulates patients (the shipped or --model learned template, or --template-only) and writes
        --count cases that cover the disease's range: typical cases spread over the ways patients
        present, atypical ones over the atypical features the disease's teaching material names
        (DiseaseModels/cases/<id>.json). Each case has the presentation, history and family
        history, examination, investigations with reference ranges, a differential, the
        diagnosis and its confirmation, management in stages, 3-6 questions with answers and
        teaching points, and, where the record shows one, an error to spot. Every fact comes from
        the patient's record. Writes case-NN.html (printable; answers behind a reveal and on their
        own page), case-NN.md, case-NN.fhir.json (the patient's FHIR Bundle) and cases.json.
        """,
        options: [disease, count, difficulty, out, Shared.model, Shared.templateOnly, Shared.seed, Shared.threads,
                  Shared.overwrite, Shared.templates])

    static let disease = Option<String>.required("disease", "id", help: "Template id.")
    static let count = Option<Int>("count", "n", default: 10, in: 1...200, help: "How many cases to write.")
    static let difficulty = Option<DifficultyChoice>("difficulty", default: .mixed,
                                                     help: "typical, atypical, or mixed (half atypical).")
    static let out = Option<String>.required("out", "dir", help: "Folder to write the cases to.")

    /// Patients simulated per round, and the most examined before giving up.
    static let poolStep = 1_000
    static let poolLimit = 40_000

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let template = try loadTemplate(arguments[Self.disease], arguments)
        let library = try templateLibrary(arguments)
        let materialPath = CaseMaterial.path(for: template.id, in: library)
        guard FileManager.default.fileExists(atPath: materialPath) else {
            throw CommandError("no teaching material for \(template.id): \(materialPath) does not exist "
                + "(see DiseaseModels/cases/README.md)")
        }
        let material: CaseMaterial
        do { material = try CaseMaterial.load(from: materialPath, template: template) } catch {
            throw CommandError(error.description)
        }
        let simulator = try cohortSimulator(template, arguments, console, command: "cases")
        let writer = CaseWriter(material: material, template: template, concepts: simulator.concepts)
        let (cases, examined) = try choose(arguments, simulator: simulator, writer: writer)
        try write(cases, arguments, template: template, simulator: simulator, examined: examined, console: console)
        return 0
    }

    /// Simulates rounds of patients until the set can be filled, and writes each chosen case.
    static func choose(_ arguments: ParsedArguments, simulator: CohortSimulator, writer: CaseWriter) throws
        -> (cases: [(TeachingCase, PatientTimeline)], examined: Int) {
        let n = arguments[Self.count]
        let (typical, atypical) = CaseSelection.quota(n, arguments[Self.difficulty])
        let selection = CaseSelection(material: writer.material)
        var candidates: [CaseSelection.Candidate] = []
        var timelines: [PatientTimeline] = []
        var chosen: [Int] = []
        while timelines.count < poolLimit {
            let range = timelines.count..<(timelines.count + poolStep)
            let batch = simulator.patients(range, threads: Shared.threads(arguments)).map(\.timeline)
            for (offset, t) in batch.enumerated() {
                let record = CaseRecord(t, template: writer.template, concepts: writer.concepts)
                if let c = writer.candidate(record, index: range.lowerBound + offset) { candidates.append(c) }
            }
            timelines += batch
            chosen = selection.choose(candidates, typical: typical, atypical: atypical)
            if chosen.count == n { break }
        }
        guard chosen.count == n else {
            let have = candidates.filter { $0.difficulty == .atypical }.count
            throw CommandError("only \(chosen.count) of \(n) cases found among \(formatCount(timelines.count)) "
                + "simulated patients (\(have) atypical); ask for fewer or another --difficulty")
        }
        let cases = chosen.enumerated().map { k, index in
            let record = CaseRecord(timelines[index], template: writer.template, concepts: writer.concepts)
            return (writer.write(record, number: k + 1)!, timelines[index])
        }
        return (cases, timelines.count)
    }

    static func write(_ cases: [(TeachingCase, PatientTimeline)], _ arguments: ParsedArguments,
                      template: DiseaseTemplate, simulator: CohortSimulator, examined: Int,
                      console: Console) throws {
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: arguments[Self.out], replaceExisting: arguments[Shared.overwrite]) }
        catch { throw CommandError(error.message) }
        let serializer = FHIRSerializer(concepts: simulator.concepts.table,
                                        source: "urn:zebra:template:\(template.id):\(template.version)")
        var entries: [ReportJSON] = []
        do {
            for (c, timeline) in cases {
                let stem = String(format: "case-%02d", c.number)
                let files = ["html": "\(stem).html", "markdown": "\(stem).md", "fhir": "\(stem).fhir.json"]
                let view = PatientView(timeline, template: template, concepts: simulator.concepts)
                try writeFileAtomically(Array(c.html(charts: view.chartSVGs()).utf8),
                                        to: directory.path(of: files["html"]!))
                try writeFileAtomically(Array(c.markdown().utf8), to: directory.path(of: files["markdown"]!))
                try writeFileAtomically(serializer.bundle(timeline, transaction: false).bytes,
                                        to: directory.path(of: files["fhir"]!))
                entries.append(c.catalogueEntry(files: files))
            }
            let catalogue = ReportJSON.object([
                ("disease", .string(template.id)),
                ("templateVersion", .string(template.version)),
                ("generator", .string(arguments[Shared.templateOnly] ? "template only" : "learned template")),
                ("seed", .integer(arguments[Shared.seed])),
                ("difficulty", .string(arguments[Self.difficulty].rawValue)),
                ("patientsExamined", .integer(examined)),
                ("cases", .array(entries)),
            ])
            try writeFileAtomically(catalogue.bytes(), to: directory.path(of: "cases.json"))
            try directory.commit(description: "generator: zebra cases\n")
        } catch {
            directory.discard()
            throw CommandError("\(error)")
        }
        let atypical = cases.filter { $0.0.difficulty == .atypical }.count
        console.print("\(template.name): \(cases.count) cases (\(cases.count - atypical) typical, \(atypical) atypical) "
            + "from \(formatCount(examined)) simulated patients → \(directory.finalPath)/")
    }
}
