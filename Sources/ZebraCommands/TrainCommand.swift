import CommandLineParsing
import DiseaseModeling
import Foundation
import Learning
import Parallelism
import RecordImport
import Simulation
import Timelines
import ZebraSupport

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
            .value("dp-epsilon", "ε", help: "Train with DP-SGD to this ε (Rényi-DP accountant; the noise is chosen to reach it)."),
            .value("dp-delta", "δ", help: "With --dp-epsilon: the δ of the guarantee.", default: "1e-5"),
            .value("dp-clip", "C", help: "With --dp-epsilon: per-record gradient norm bound.", default: "1.0"),
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
        var privacy: PrivacyTarget?
        if arguments.wasGiven("dp-epsilon") {
            privacy = PrivacyTarget(epsilon: try arguments.double("dp-epsilon", in: 1e-6...1e6)!,
                                    delta: try arguments.double("dp-delta", in: 1e-12...0.5)!,
                                    clipNorm: try arguments.double("dp-clip", in: 1e-6...1e6)!)
            // Every DP-SGD step spends privacy: a shorter default than early stopping would choose.
            if !arguments.wasGiven("epochs") { options.epochs = 30 }
        } else if arguments.wasGiven("dp-delta") || arguments.wasGiven("dp-clip") {
            throw UsageError("--dp-delta and --dp-clip need --dp-epsilon", usage: arguments.usage)
        }
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
        if let privacy {
            do {
                let plan = try Trainer(options: options).privacyPlan(records: sequences.count, target: privacy)
                console.error(String(format: "DP-SGD: ε = %.3g, δ = %.1e over %d steps at sample rate %.4f: noise multiplier σ = %.3f, clip C = %g",
                                     plan.epsilon, plan.delta, plan.steps, plan.sampleRate, plan.noiseMultiplier, privacy.clipNorm))
            } catch { throw CommandError(error.message) }
        }
        let result: TrainingPipeline.Result
        do {
            result = try pipeline.run(seed: sequences, seedLabel: path, privacy: privacy) { phase, report in
                guard !quiet else { return }
                console.error(epochLine(phase, report, of: phase == .pretraining ? pipeline.pretrainEpochs : options.epochs))
            }
        } catch { throw CommandError(error.message) }
        do { try result.checkpoint.write(to: out) } catch { throw CommandError(error.message) }
        let fine = result.fineTuning
        if let p = result.checkpoint.header.privacy {
            console.error(String(format: "trained with DP-SGD: (ε = %.3f, δ = %.1e), σ = %.3f, %d steps; %.1f s in all",
                                 p.epsilon, p.delta, p.noiseMultiplier, p.steps, fine.seconds + (result.pretraining?.seconds ?? 0)))
        } else {
            console.error(String(format: "best epoch %d of %d, validation loss %.3f; %@ sequences/s; %.1f s in all",
                                 fine.bestEpoch, fine.epochs.count, fine.bestValidationLoss ?? .nan,
                                 formatRate(fine.sequencesPerSecond), fine.seconds + (result.pretraining?.seconds ?? 0)))
        }
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
