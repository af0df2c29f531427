import CommandLineParsing
import DiseaseModeling
import Foundation
import Learning
import Parallelism
import RecordImport
import Timelines

struct TrainCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "train", abstract: "Train the sequence model on seed records (template + model generation).",
        discussion: """
        Imports the seed records (FHIR ndjson, Bundles or the CSV of docs/seed-records.md), pre-trains
        on registry-like records simulated from the template, fine-tunes on the seed records with a
        validation split and early stopping, and writes a checkpoint that 'zebra simulate --model'
        uses. Deterministic for a seed (the thread count changes only the speed).
        """,
        options: [
            .value("disease", "id", help: "Template id."),
            .value("seed-records", "path", help: "Folder or file of seed records."),
            .value("out", "file", help: "Checkpoint to write (default: DiseaseModels/<disease>.model)."),
            .value("epochs", "n", help: "Maximum fine-tuning epochs.", default: "200"),
            .value("seed", "n", help: "Random seed.", default: "1"),
            .value("validation", "fraction", help: "Share of seed patients held out for validation and early stopping.", default: "0.2"),
            .value("patience", "n", help: "Stop after this many epochs without a better validation loss.", default: "25"),
            .value("hidden", "n", help: "GRU hidden size.", default: "64"),
            .value("latent", "n", help: "Latent dimensions.", default: "8"),
            .value("batch", "n", help: "Batch size.", default: "32"),
            .value("learning-rate", "x", help: "Adam learning rate.", default: "0.003"),
            .value("pretrain", "n", help: "Template-simulated registry patients to pre-train on (0: none).", default: "1000"),
            .value("pretrain-epochs", "n", help: "Pre-training epochs.", default: "40"),
            .value("threads", "n", help: "Worker threads (default: all cores)."),
            .flag("strict", help: "Fail on any problem in the seed records instead of skipping the record."),
            .flag("overwrite", help: "Replace the checkpoint if it exists."),
            .flag("quiet", help: "No progress line per epoch."),
            templatesOption,
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        guard let disease = arguments.string("disease") else { throw UsageError("missing option '--disease <id>'", usage: arguments.usage) }
        guard let path = arguments.string("seed-records") else { throw UsageError("missing option '--seed-records <path>'", usage: arguments.usage) }
        let template = try loadTemplate(disease, arguments)
        let library = try templateLibrary(arguments)
        let out = arguments.string("out") ?? (library.directory as NSString).appendingPathComponent("\(template.id).model")
        if FileManager.default.fileExists(atPath: out) && !arguments.flag("overwrite") {
            throw CommandError("\(out) exists; pass --overwrite to replace it or choose another --out")
        }
        var options = TrainingOptions()
        options.epochs = try arguments.integer("epochs", in: 1...100_000)!
        options.seed = UInt64(try arguments.integer("seed", in: 0...Int.max)!)
        options.validationFraction = try arguments.double("validation", in: 0...0.9)!
        options.patience = try arguments.integer("patience", in: 1...100_000)!
        options.batchSize = try arguments.integer("batch", in: 1...4096)!
        options.learningRate = Float(try arguments.double("learning-rate", in: 1e-6...1)!)
        options.threads = try arguments.integer("threads", in: 1...1024) ?? defaultThreadCount
        let configuration = ModelConfiguration(hidden: try arguments.integer("hidden", in: 2...1024)!,
                                               latent: try arguments.integer("latent", in: 1...256)!)
        let records = try importSeedRecords(path, template: template, strict: arguments.flag("strict"), console: console)
        let sequences = records.timelines.map { PatientSequence(timeline: $0, template: template, concepts: records.concepts) }
            .filter { !$0.visits.isEmpty }
        guard sequences.count >= 2 else { throw CommandError("\(path): fewer than 2 seed patients with visits; nothing to train on") }
        console.error("train: \(template.name) v\(template.version), \(sequences.count) seed patients, hidden \(configuration.hidden), "
            + "latent \(configuration.latent), seed \(options.seed), \(options.threads) threads")
        let pipeline = TrainingPipeline(template: template, configuration: configuration, options: options,
                                        pretrainPatients: try arguments.integer("pretrain", in: 0...10_000_000)!,
                                        pretrainEpochs: try arguments.integer("pretrain-epochs", in: 0...100_000)!)
        let quiet = arguments.flag("quiet")
        let result = pipeline.run(seed: sequences, seedLabel: path) { phase, report in
            guard !quiet else { return }
            console.error(epochLine(phase, report, of: phase == .pretraining ? pipeline.pretrainEpochs : options.epochs))
        }
        do { try result.checkpoint.write(to: out) } catch { throw CommandError(error.message) }
        let fine = result.fineTuning
        console.error(String(format: "best epoch %d of %d, validation loss %.3f; %@ sequences/s; %.1f s in all",
                             fine.bestEpoch, fine.epochs.count, fine.bestValidationLoss ?? .nan,
                             formatRate(fine.sequencesPerSecond), fine.seconds + (result.pretraining?.seconds ?? 0)))
        console.error("wrote \(out) (\(formatCount(result.model.parameterCount)) parameters)")
        return 0
    }

    static func epochLine(_ phase: TrainingPipeline.Phase, _ r: EpochReport, of total: Int) -> String {
        let t = r.training
        var line = String(format: "%@ epoch %d/%d  β %.2f  loss %.3f (values %.3f, recorded %.3f, events %.3f, visits %.3f, KL %.3f)",
                          phase.rawValue, r.epoch, total, r.beta, t.total, t.values, t.observed, t.events, t.visits, t.kl)
        if let v = r.validation { line += String(format: "  validation %.3f%@", v.total, r.improved ? " *" : "") }
        return line + String(format: "  %.2f s", r.seconds)
    }
}

/// Imports seed records, reporting what was skipped on stderr.
func importSeedRecords(_ path: String, template: DiseaseTemplate, strict: Bool, console: Console) throws -> SeedRecords {
    let importer = SeedRecordImporter(template: template, strict: strict)
    do {
        let records = try importer.read(path: path)
        console.error(records.report.summary())
        return records
    } catch {
        throw CommandError(error.description)
    }
}
