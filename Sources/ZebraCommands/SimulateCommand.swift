import CommandLineParsing
import DiseaseModeling
import FHIRExport
import Foundation
import Learning
import Parallelism
import Serialization
import Simulation
import Timelines
import ZebraSupport

struct SimulateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "simulate", abstract: "Simulate a cohort from a disease template and write it as FHIR R4.",
        discussion: """
        Each patient is simulated from birth to death (event to event) and recorded from diagnosis to
        the end date: visits, observations, diagnoses, complications and treatments. The same
        template, seed and options give byte-identical output whatever the thread count.
        """,
        options: [
            .value("disease", "id", help: "Template id (see 'zebra diseases').", default: "fabry"),
            .value("patients", "n", help: "Number of patients.", default: "1000"),
            .value("seed", "n", help: "Random seed.", default: "1"),
            .value("out", "dir", help: "Output folder (default: Output/<disease>)."),
            .value("format", "ndjson|bundle|transaction", help: "Bulk ndjson, one collection Bundle per patient, or one transaction Bundle per patient.", default: "ndjson"),
            .value("end-date", "YYYY-MM-DD", help: "Records end on this date; patients alive then are censored.", default: "2025-12-31"),
            .value("threads", "n", help: "Worker threads (default: all cores)."),
            .value("model", "file", help: "A trained model ('zebra train'): template + model generation (default: DiseaseModels/<disease>.model when it exists)."),
            .flag("template-only", help: "Ignore any trained model: the template alone generates the records."),
            .flag("overwrite", help: "Replace the output folder if it exists."),
            .flag("natural-history", help: "Nobody is treated: untreated natural history."),
            .flag("include-undiagnosed", help: "Keep patients not diagnosed by the end date (default: redraw them, as a registry would only see diagnosed patients)."),
            .value("balance", "spec", help: "Cohort composition, e.g. 'sex=0.5' or 'sex=0.5 phenotype=classic:0.5,later-onset:0.5': each patient's sex and attributes are fixed to a stratum, everything else drawn given them."),
            .flag("registry-extract", help: "Write registry-extract records: one enrolment mid-course, a few years of visits up to the end date (seed records for 'zebra train')."),
            .value("registry-opened", "YYYY-MM-DD", help: "With --registry-extract: the day the registry opened.", default: "2005-01-01"),
            .value("follow-up", "years", help: "With --registry-extract: mean years of follow-up before loss to follow-up.", default: "6"),
            templatesOption,
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let disease = arguments.string("disease")!
        let patients = try arguments.integer("patients", in: 1...100_000_000)!
        let seed = try arguments.integer("seed", in: 0...Int.max)!
        let format = FHIRFormat(rawValue: try arguments.choice("format", FHIRFormat.allCases.map(\.rawValue))!)!
        let threads = try arguments.integer("threads", in: 1...1024) ?? defaultThreadCount
        guard let endText = arguments.string("end-date"), let endDate = CalendarDay(iso: endText) else {
            throw UsageError("option '--end-date' expects a date YYYY-MM-DD, got '\(arguments.string("end-date") ?? "")'", usage: arguments.usage)
        }
        let template = try loadTemplate(disease, arguments)
        let out = arguments.string("out") ?? "Output/\(template.id)"
        var options = SimulationOptions(seed: UInt64(seed), endDate: endDate)
        options.treatmentsEnabled = !arguments.flag("natural-history")
        options.requireDiagnosis = !arguments.flag("include-undiagnosed")
        if let spec = arguments.string("balance") {
            do { options.composition = try Composition.parse(spec, template: template) } catch {
                throw UsageError("option '--balance': \(error.message)", usage: arguments.usage)
            }
        }
        if arguments.flag("registry-extract") {
            guard let text = arguments.string("registry-opened"), let opened = CalendarDay(iso: text) else {
                throw UsageError("option '--registry-opened' expects a date YYYY-MM-DD", usage: arguments.usage)
            }
            options.registry = RegistryProtocol(opened: opened, meanFollowUpYears: try arguments.double("follow-up", in: 0.1...100)!)
        }
        let simulator = CohortSimulator(template: template, options: options)
        let model = try loadModel(arguments, template: template, console: console)
        let serializer = FHIRSerializer(concepts: simulator.concepts.table,
                                        source: "urn:zebra:template:\(template.id):\(template.version)",
                                        patientTags: model.map { provenanceTags($0.checkpoint) } ?? [])
        let generate: @Sendable (Int) -> PatientTimeline
        if let model {
            let generator = ModelGenerator(simulator: simulator, model: model.model)
            generate = { generator.patient($0).timeline }
        } else {
            generate = { simulator.patient($0).timeline }
        }
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: out, replaceExisting: arguments.flag("overwrite")) } catch {
            throw CommandError(error.message)
        }
        console.error("simulate: \(template.name) v\(template.version), \(formatCount(patients)) patients, seed \(seed), "
            + "\(format.rawValue) → \(directory.finalPath) (\(threads) threads)")
        let reporter = ProgressReporter(console: console, total: patients, label: "simulate")
        let summary: ExportSummary
        do {
            summary = try CohortExport(format: format, serializer: serializer, threads: threads)
                .write(count: patients, into: directory, generate: generate,
                       progress: { done, s in reporter.update(done: done, resources: s.resources, seconds: s.seconds) })
            let info = runInfo(template: template, options: options, format: format, patients: patients, summary: summary,
                               model: model)
            try writeFileAtomically(Array(info.utf8), to: directory.path(of: "zebra-run.txt"))
            try directory.commit()
        } catch {
            directory.discard()
            throw CommandError(error.message)
        }
        reporter.finish()
        console.error(summaryText(summary, path: directory.finalPath))
        return 0
    }

    static func runInfo(template: DiseaseTemplate, options: SimulationOptions, format: FHIRFormat,
                        patients: Int, summary: ExportSummary, model: LoadedModel?) -> String {
        var lines = [
            "generator: zebra simulate",
            "template: \(template.id) \(template.version) sha256:\(template.digest)",
            "patients: \(patients)",
            "seed: \(options.seed)",
            "end-date: \(options.endDate?.iso ?? "none")",
            "treatments: \(options.treatmentsEnabled ? "as in template" : "none (natural history)")",
            "diagnosed-only: \(options.requireDiagnosis)",
            "composition: \(options.composition.map { $0.describe(template) } ?? "as in the template")",
            "records: \(options.registry.map { "registry extract (opened \($0.opened.iso), mean follow-up \($0.meanFollowUpYears) y)" } ?? "from diagnosis")",
            "format: \(format.rawValue)",
            "generation: " + (model.map { "template + model \($0.path) sha256:\($0.digest)" } ?? "template only"),
        ]
        if let privacy = model?.checkpoint.header.privacy {
            lines.append("privacy: model trained with DP-SGD, epsilon \(privacy.epsilon), delta \(privacy.delta)")
        }
        for type in ResourceType.allCases where summary.resourcesByType[type.rawValue] > 0 {
            lines.append("resources.\(type.name): \(summary.resourcesByType[type.rawValue])")
        }
        lines.append("note: synthetic data; every resource carries meta.security HTEST")
        return lines.joined(separator: "\n") + "\n"
    }

    static func summaryText(_ s: ExportSummary, path: String) -> String {
        let mb = Double(s.bytes) / 1_000_000
        var lines = ["wrote \(formatCount(s.patients)) patients, \(formatCount(s.resources)) resources, "
            + String(format: "%.1f MB in %.2f s", mb, s.seconds) + " → \(path)"]
        var parts: [String] = []
        for type in ResourceType.allCases where s.resourcesByType[type.rawValue] > 0 {
            parts.append("\(type.name) \(formatCount(s.resourcesByType[type.rawValue]))")
        }
        lines.append("  " + parts.joined(separator: ", "))
        if s.seconds > 0 {
            lines.append("  \(formatRate(Double(s.patients) / s.seconds)) patients/s, "
                + "\(formatRate(Double(s.resources) / s.seconds)) resources/s, "
                + String(format: "%.1f MB/s", mb / s.seconds))
        }
        return lines.joined(separator: "\n")
    }
}

/// A progress line on stderr: redrawn in place on a terminal, every 10 % otherwise.
final class ProgressReporter {
    let console: Console
    let total: Int
    let label: String
    private var lastPrint = Date.distantPast
    private var lastDecile = 0
    private var drewLine = false

    init(console: Console, total: Int, label: String) {
        self.console = console
        self.total = total
        self.label = label
    }

    func update(done: Int, resources: Int, seconds: Double) {
        let rate = seconds > 0 ? Double(resources) / seconds : 0
        let text = "\(label): \(formatCount(done))/\(formatCount(total)) patients (\(done * 100 / max(total, 1))%), "
            + "\(formatCount(resources)) resources, \(formatRate(rate)) resources/s"
        if console.isInteractive {
            guard Date().timeIntervalSince(lastPrint) > 0.25 || done == total else { return }
            lastPrint = Date()
            console.error("\r\u{1B}[K" + text, newline: false)
            drewLine = true
        } else if seconds > 2 {
            let decile = done * 10 / max(total, 1)
            if decile > lastDecile { lastDecile = decile; console.error(text) }
        }
    }

    func finish() {
        if drewLine { console.error("") }
    }
}

/// A checkpoint loaded for generation, with where it came from.
struct LoadedModel: Sendable {
    var path: String
    var digest: String
    var checkpoint: ModelCheckpoint
    var model: SequenceVAE
}

/// The model to generate with: `--model`, else the template's shipped model, unless --template-only.
func loadModel(_ arguments: ParsedArguments, template: DiseaseTemplate, console: Console) throws -> LoadedModel? {
    if arguments.flag("template-only") {
        if arguments.wasGiven("model") { throw UsageError("give either --model or --template-only, not both", usage: arguments.usage) }
        return nil
    }
    var path = arguments.string("model")
    if path == nil {
        let shipped = (try templateLibrary(arguments).directory as NSString).appendingPathComponent("\(template.id).model")
        if FileManager.default.fileExists(atPath: shipped) { path = shipped }
    }
    guard let path else { return nil }
    do {
        let checkpoint = try ModelCheckpoint.read(from: path, template: template)
        let model = try checkpoint.model()
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))).map { [UInt8]($0) } ?? []
        let training = checkpoint.header.training
        var note = "model: \(path) (trained on \(training.sequences + training.validationSequences) seed patients from \(training.seedRecords)"
        if let privacy = checkpoint.header.privacy {
            note += String(format: "; differentially private: ε = %.2f, δ = %.0e", privacy.epsilon, privacy.delta)
        }
        console.error(note + ")")
        return LoadedModel(path: path, digest: SHA256.hexDigest(of: bytes), checkpoint: checkpoint, model: model)
    } catch {
        throw CommandError(error.message)
    }
}

/// `meta.tag` codings that say how the records were generated (and the privacy guarantee).
func provenanceTags(_ checkpoint: ModelCheckpoint) -> [ClinicalCode] {
    var tags = [ClinicalCode(system: "urn:zebra:generator", code: "template-and-model",
                             display: "Generated by Zebra from a disease template and a trained sequence model")]
    if let p = checkpoint.header.privacy {
        tags.append(ClinicalCode(system: "urn:zebra:differential-privacy",
                                 code: String(format: "epsilon=%.4g;delta=%.4g", p.epsilon, p.delta),
                                 display: String(format: "Model trained with DP-SGD: epsilon %.2f, delta %.1e", p.epsilon, p.delta)))
    }
    return tags
}
