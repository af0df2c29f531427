import CommandLineParsing
import DiseaseModeling
import FHIRExport
import FlatCSVExport
import Foundation
import Learning
import OMOPExport
import TemplateLearning
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
            disease, patients, Shared.seed, out, format, endDate, Shared.threads, Shared.model, Shared.templateOnly,
            Shared.overwrite, naturalHistory, includeUndiagnosed, Shared.population, balance, registryExtract,
            registryOpened, followUp, Shard.option, Shared.templates,
        ])

    static let disease = Option<String>("disease", "id", default: "fabry", help: "Template id (see 'zebra diseases').")
    static let patients = Option<Int>("patients", "n", default: 1000, in: 1...100_000_000, help: "Number of patients.")
    static let out = Option<String?>("out", "dir", help: "Output folder (default: Output/<disease>).")
    static let format = Option<RecordFormat>("format", default: .ndjson, help: RecordFormat.help)
    static let endDate = dateOption("end-date", default: "2025-12-31",
                                    help: "Records end on this date; patients alive then are censored.")
    static let naturalHistory = Flag("natural-history", help: "Nobody is treated: untreated natural history.")
    static let includeUndiagnosed = Flag(
        "include-undiagnosed",
        help: "Keep patients not diagnosed by the end date (default: redraw "
            + "them, as a registry would only see diagnosed patients).")
    static let balance = Option<String?>(
        "balance", "spec",
        help: "Cohort composition, e.g. 'sex=0.5' or 'sex=0.5 phenotype=classic:0.5,later-onset:0.5': each patient's "
            + "sex and attributes are fixed to a stratum, everything else drawn given them.")
    static let registryExtract = Flag(
        "registry-extract",
        help: "Write registry-extract records: one enrolment mid-course, a few years of visits up to the end date "
            + "(seed records for 'zebra train').")
    static let registryOpened = dateOption("registry-opened", default: "2005-01-01",
                                           help: "With --registry-extract: the day the registry opened.")
    static let followUp = Option<Double>("follow-up", "years", default: 6, in: 0.1...100,
                                         help: "With --registry-extract: mean years "
                                             + "of follow-up before loss to follow-up.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let patients = arguments[Self.patients]
        let seed = arguments[Shared.seed]
        let format = arguments[Self.format]
        let threads = Shared.threads(arguments)
        let endDate = arguments[Self.endDate]!
        let template = try loadTemplate(arguments[Self.disease], arguments)
        try checkEndDate(endDate, template: template, usage: arguments.usage)
        let out = arguments[Self.out] ?? "Output/\(template.id)"
        var options = SimulationOptions(seed: UInt64(seed), endDate: endDate)
        options.treatmentsEnabled = !arguments[Self.naturalHistory]
        options.requireDiagnosis = !arguments[Self.includeUndiagnosed]
        options.composition = try cohortComposition(population: arguments[Shared.population],
                                                    balance: arguments[Self.balance], template: template,
                                                    usage: arguments.usage)
        if arguments[Self.registryExtract] {
            options.registry = RegistryProtocol(opened: arguments[Self.registryOpened]!,
                                                meanFollowUpYears: arguments[Self.followUp])
        }
        let model = try loadModel(arguments, template: template, console: console)
        let simulator = CohortSimulator(template: model?.template(base: template) ?? template, options: options)
        let serializer = FHIRSerializer(concepts: simulator.concepts.table,
                                        source: "urn:zebra:template:\(template.id):\(template.version)",
                                        patientTags: model.map(provenanceTags) ?? [])
        let generate: @Sendable (Int) -> PatientTimeline
        if let sequenceModel = model?.sequenceModel {
            let generator = ModelGenerator(simulator: simulator, model: sequenceModel)
            generate = { generator.patient($0).timeline }
        } else {
            generate = { simulator.patient($0).timeline }
        }
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: out, replaceExisting: arguments[Shared.overwrite]) } catch {
            throw CommandError(error.message)
        }
        console.error("simulate: \(template.name) v\(template.version), \(formatCount(patients)) patients, seed "
            + "\(seed), \(format.rawValue) → \(directory.finalPath) (\(threads) threads)")
        // A shard writes its part of the patient indices; the rest of the run is the same.
        let shard = arguments[Shard.option]
        let indices = shard?.range(of: patients) ?? 0..<patients
        let reporter = ProgressReporter(console: console, total: indices.count, label: "simulate")
        if format == .omop {
            let writer = OMOPRowWriter(concepts: simulator.concepts, template: template)
            let info = runInfo(template: template, options: options, format: format, patients: patients, model: model)
            try writeOMOP(writer: writer, indices: indices, shard: shard, directory: directory, info: info,
                          source: omopSource(template: template, options: options, patients: patients, model: model),
                          threads: threads, generate: generate, reporter: reporter)
            reporter.finish()
            return 0
        }
        if format == .csv {
            let info = runInfo(template: template, options: options, format: format, patients: patients, model: model)
            try writeFlatCSV(writer: FlatCSVWriter(concepts: simulator.concepts.table), indices: indices, shard: shard,
                             directory: directory, info: info, threads: threads, generate: generate,
                             reporter: reporter)
            return 0
        }
        let summary: ExportSummary
        do {
            var export = CohortExport(format: format.fhir!, serializer: serializer, threads: threads)
            export.firstIndex = indices.lowerBound
            summary = try export.write(count: indices.count, into: directory, generate: generate,
                                       progress: { done, s in
                                           reporter.update(done: done, resources: s.resources, seconds: s.seconds)
                                       })
            var info = runInfo(template: template, options: options, format: format, patients: patients, model: model)
                + resourceLines(summary)
            if let shard { info += shard.descriptionLine + "\n" }
            if format == .ndjson {
                let request = "urn:zebra:simulate?disease=\(template.id)&patients=\(patients)&seed=\(seed)"
                try BulkManifest.write(summary, into: directory.stagingPath,
                                       transactionTime: endDate.iso + "T00:00:00Z", request: request)
            }
            try directory.commit(description: info)
        } catch {
            directory.discard()
            throw CommandError(error.message)
        }
        reporter.finish()
        console.error(summaryText(summary, path: directory.finalPath))
        return 0
    }

    /// The run's description, up to the counts of what it wrote.
    static func runInfo(template: DiseaseTemplate, options: SimulationOptions, format: RecordFormat,
                        patients: Int, model: LoadedModel?) -> String {
        let records = options.registry.map {
            "registry extract (opened \($0.opened.iso), mean follow-up \($0.meanFollowUpYears) y)"
        } ?? "from diagnosis"
        var lines = [
            "generator: zebra simulate",
            "template: \(template.id) \(template.version) sha256:\(template.digest)",
            "patients: \(patients)",
            "seed: \(options.seed)",
            "end-date: \(options.endDate?.iso ?? "none")",
            "treatments: \(options.treatmentsEnabled ? "as in template" : "none (natural history)")",
            "diagnosed-only: \(options.requireDiagnosis)",
            "composition: \(options.composition.map { $0.describe(template) } ?? "as in the template")",
            "records: \(records)",
            "format: \(format.rawValue)",
            "generation: " + (model?.generation ?? "template only"),
        ]
        if let privacy = model?.privacy {
            lines.append("privacy: model trained with \(privacy.mechanism), epsilon \(privacy.epsilon), "
                + "delta \(privacy.delta)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The resource counts and the closing note of a FHIR run's description.
    static func resourceLines(_ summary: ExportSummary) -> String {
        var lines: [String] = []
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

/// A model loaded for generation, with where it came from: a learned template (what 'zebra train'
/// writes) or a sequence model ('zebra train --generator sequence-vae').
struct LoadedModel: Sendable {
    enum Kind: Sendable {
        /// The template learned from seed records, applied: generation is the simulator on it.
        case learnedTemplate(LearnedTemplate, DiseaseTemplate)
        case sequenceModel(ModelCheckpoint, SequenceVAE)
    }

    var path: String
    var digest: String
    var kind: Kind

    /// The template to simulate from: the learned one, or the base template under a sequence model.
    func template(base: DiseaseTemplate) -> DiseaseTemplate {
        if case .learnedTemplate(_, let learned) = kind { return learned }
        return base
    }

    var sequenceModel: SequenceVAE? {
        if case .sequenceModel(_, let model) = kind { return model }
        return nil
    }

    /// The model's differential-privacy guarantee, if it has one: DP-SGD for a sequence model; for
    /// a federated learned template, the weakest of its sites' (only when every site had one).
    var privacy: (epsilon: Double, delta: Double, mechanism: String)? {
        switch kind {
        case .sequenceModel(let checkpoint, _):
            return checkpoint.header.privacy.map { ($0.epsilon, $0.delta, "DP-SGD") }
        case .learnedTemplate(let learned, _):
            guard let sites = learned.federation?.sites, !sites.isEmpty else { return nil }
            let records = sites.compactMap(\.privacy)
            guard records.count == sites.count else { return nil }
            return (records.map(\.epsilon).max()!, records.map(\.delta).max()!,
                    "federated learning, each site's release private")
        }
    }

    /// Digests of the records the model learned from, nil when it keeps none.
    var recordDigests: [String]? {
        switch kind {
        case .learnedTemplate(let learned, _): learned.learning.recordDigests
        case .sequenceModel(let checkpoint, _): checkpoint.header.training.recordDigests
        }
    }

    var patients: Int {
        switch kind {
        case .learnedTemplate(let learned, _): learned.learning.patients
        case .sequenceModel(let c, _): c.header.training.sequences + c.header.training.validationSequences
        }
    }

    var seedRecords: String {
        switch kind {
        case .learnedTemplate(let learned, _): learned.learning.seedRecords
        case .sequenceModel(let c, _): c.header.training.seedRecords
        }
    }

    /// How the run's records were generated, for zebra-run.txt.
    var generation: String {
        switch kind {
        case .learnedTemplate: "template learned from seed records \(path) sha256:\(digest)"
        case .sequenceModel: "template + sequence model \(path) sha256:\(digest)"
        }
    }
}

/// The model to generate with: `--model`, else the template's shipped model, unless --template-only.
func loadModel(_ arguments: ParsedArguments, template: DiseaseTemplate, console: Console) throws -> LoadedModel? {
    if arguments[Shared.templateOnly] {
        if arguments.wasGiven(Shared.model) {
            throw UsageError("give either --model or --template-only, not both", usage: arguments.usage)
        }
        return nil
    }
    var path = arguments[Shared.model]
    var shipped = false
    if path == nil {
        let candidate = (try templateLibrary(arguments).directory as NSString)
            .appendingPathComponent("\(template.id).model")
        if FileManager.default.fileExists(atPath: candidate) { (path, shipped) = (candidate, true) }
    }
    guard let path else { return nil }
    let loaded = try readModel(path, template: template)
    let patients = formatCount(loaded.patients)
    let what = loaded.sequenceModel == nil ? "template learned from" : "sequence model trained on"
    // A shipped model's seed records are demonstration records Zebra made from the template,
    // not files a clone has: say so rather than name a path the user cannot find.
    var note = shipped
        ? "model: \(path) (shipped; \(what) \(patients) demonstration patients simulated from the template, "
            + "docs/shipped-models.md; --template-only turns it off"
        : "model: \(path) (\(what) \(patients) seed patients from \(loaded.seedRecords)"
    if let privacy = loaded.privacy {
        note += String(format: "; differentially private: ε = %.2f, δ = %.0e", privacy.epsilon, privacy.delta)
    }
    console.error(note + ")")
    return loaded
}

/// Reads a model file of either kind, refusing one made for another template.
func readModel(_ path: String, template: DiseaseTemplate) throws(CommandError) -> LoadedModel {
    // One read: the same bytes are decoded and digested for the run's provenance.
    let bytes: [UInt8]
    do { bytes = try readFileBytes(path) } catch { throw CommandError(error.message) }
    let digest = SHA256.hexDigest(of: bytes)
    if LearnedTemplate.isLearnedTemplate(bytes) {
        do {
            let learned = try LearnedTemplate.decode(bytes, file: path, template: template)
            return LoadedModel(path: path, digest: digest,
                               kind: .learnedTemplate(learned, try learned.apply(to: template)))
        } catch { throw CommandError(error.message) }
    }
    do {
        let checkpoint = try ModelCheckpoint.decode(bytes, file: path, template: template)
        return LoadedModel(path: path, digest: digest, kind: .sequenceModel(checkpoint, try checkpoint.model()))
    } catch { throw CommandError(error.message) }
}

/// `meta.tag` codings that say how the records were generated (and the privacy guarantee).
func provenanceTags(_ model: LoadedModel) -> [ClinicalCode] {
    var tags: [ClinicalCode]
    if model.sequenceModel == nil {
        tags = [ClinicalCode(system: "urn:zebra:generator", code: "learned-template",
                             display: "Generated by Zebra from a disease template learned from seed records")]
    } else {
        tags = [ClinicalCode(system: "urn:zebra:generator", code: "template-and-model",
                             display: "Generated by Zebra from a disease template and a trained sequence model")]
    }
    if let p = model.privacy {
        tags.append(ClinicalCode(system: "urn:zebra:differential-privacy",
                                 code: String(format: "epsilon=%.4g;delta=%.4g", p.epsilon, p.delta),
                                 display: String(format: "Model trained with %@: epsilon %.2f, delta %.1e",
                                                 p.mechanism, p.epsilon, p.delta)))
    }
    return tags
}
