import CommandLineParsing
import DiseaseModeling
import Foundation
import Learning
import TemplateLearning
import Parallelism
import RecordImport
import Simulation
import Timelines
import ZebraSupport

/// What `zebra train` makes.
enum Generator: String, CaseIterable, Sendable {
    /// The template learned from the seed records (the default path).
    case template
    /// The sequence VAE of docs/sequence-vae.md (kept for comparison).
    case sequenceVAE = "sequence-vae"
}

struct TrainCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "train", abstract: "Learn the disease template from seed records (the default generator).",
        discussion: """
        Imports the seed records (FHIR ndjson, Bundles or the CSV of docs/seed-records.md) and learns
        the template from them: every figure the registry windows show (slopes by sex and attribute,
        events, deaths, treatment uptake and response, onset and diagnosis ages, visits, noise) is
        compared with registry twins simulated from the template through the same windows, and the
        template's numbers move as far as the evidence carries them (docs/coherent-generator.md).
        'zebra simulate --model' then simulates from the learned template. With --generator
        sequence-vae it trains the older sequence model instead. Deterministic for a seed.
        """,
        options: [
            disease, seedRecords, out, generator, rounds, twins, epochs, Shared.seed, validation, patience, hidden, latent, batch, learningRate,
            pretrain, pretrainEpochs, Shared.threads, dpEpsilon, dpDelta, dpClip, Shared.strict, Shared.overwrite,
            quiet, omitRecordDigests, Shared.templates,
        ])

    static let disease = Option<String?>("disease", "id",
                                         help: "Template id (default: the disease the seed records name).")
    static let seedRecords = Option<String>.required("seed-records", "path", help: "Folder or file of seed records.")
    static let out = Option<String?>("out", "file",
                                     help: "Checkpoint to write (default: DiseaseModels/<disease>.model).")
    static let generator = Option<Generator>(
        "generator", default: .template,
        help: "template: learn the template's numbers (coherent records, the default); sequence-vae: the older "
            + "sequence model (docs/sequence-vae.md).")
    static let rounds = Option<Int>("rounds", "n", default: 8, in: 1...100,
                                    help: "With --generator template: simulate-compare-update rounds.")
    static let twins = Option<Int>("twins", "n", default: 4, in: 1...1000,
                                   help: "Learned templates: simulated twins per seed patient and round.")
    static let epochs = Option<Int>("epochs", "n", default: 200, in: 1...100_000,
                                    help: "With --generator sequence-vae: maximum fine-tuning epochs.")
    static let validation = Option<Double>("validation", "fraction", default: 0.2, in: 0...0.9,
                                           help: "Share of seed patients held out for validation and early stopping.")
    static let patience = Option<Int>("patience", "n", default: 25, in: 1...100_000,
                                      help: "Stop after this many epochs without a better validation loss.")
    static let hidden = Option<Int>("hidden", "n", default: 64, in: 2...1024, help: "GRU hidden size.")
    static let latent = Option<Int>("latent", "n", default: 8, in: 1...256, help: "Latent dimensions.")
    static let batch = Option<Int>("batch", "n", default: 32, in: 1...4096, help: "Batch size.")
    static let learningRate = Option<Double>("learning-rate", "x", default: 0.003, in: 1e-6...1,
                                             help: "Adam learning rate.")
    static let pretrain = Option<Int>("pretrain", "n", default: 1000, in: 0...10_000_000,
                                      help: "Template-simulated registry patients to pre-train on (0: none).")
    static let pretrainEpochs = Option<Int>("pretrain-epochs", "n", default: 40, in: 0...100_000,
                                            help: "Pre-training epochs.")
    static let dpEpsilon = Option<Double?>(
        "dp-epsilon", "ε", in: 1e-6...1e6,
        help: "Train with DP-SGD to this ε (Rényi-DP accountant; the noise is chosen to reach it).")
    static let dpDelta = Option<Double>("dp-delta", "δ", default: 1e-5, in: 1e-12...0.5,
                                        help: "With --dp-epsilon: the δ of the guarantee.")
    static let dpClip = Option<Double>("dp-clip", "C", default: 1.0, in: 1e-6...1e6,
                                       help: "With --dp-epsilon: per-record gradient norm bound.")
    static let quiet = Flag("quiet", help: "No progress line per epoch.")
    static let omitRecordDigests = Flag(
        "omit-record-digests",
        help: "Keep no digest of the training records in the checkpoint (for a model shared beyond the team: "
            + "whoever holds a record could test it against them); 'zebra evaluate' then cannot check the holdout.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let path = arguments[Self.seedRecords]
        let template = try arguments[Self.disease].map { id throws(CommandError) in try loadTemplate(id, arguments) }
            ?? inferTemplate(path, arguments, console: console)
        let library = try templateLibrary(arguments)
        let out = arguments[Self.out] ?? (library.directory as NSString).appendingPathComponent("\(template.id).model")
        if FileManager.default.fileExists(atPath: out) && !arguments[Shared.overwrite] {
            throw CommandError("\(out) exists; pass --overwrite to replace it or choose another --out")
        }
        if arguments[Shared.overwrite] { try checkReplaceableModel(out) }
        var options = TrainingOptions()
        options.epochs = arguments[Self.epochs]
        var privacy: PrivacyTarget?
        if let epsilon = arguments[Self.dpEpsilon] {
            privacy = PrivacyTarget(epsilon: epsilon, delta: arguments[Self.dpDelta], clipNorm: arguments[Self.dpClip])
            // Every DP-SGD step spends privacy: a shorter default than early stopping would choose.
            if !arguments.wasGiven(Self.epochs) { options.epochs = 30 }
        } else if arguments.wasGiven(Self.dpDelta) || arguments.wasGiven(Self.dpClip) {
            throw UsageError("--dp-delta and --dp-clip need --dp-epsilon", usage: arguments.usage)
        }
        options.seed = Shared.seed(arguments)
        options.validationFraction = arguments[Self.validation]
        options.patience = arguments[Self.patience]
        options.batchSize = arguments[Self.batch]
        options.learningRate = Float(arguments[Self.learningRate])
        options.threads = Shared.threads(arguments)
        let configuration = ModelConfiguration(hidden: arguments[Self.hidden], latent: arguments[Self.latent])
        let (records, sequences) = try readSeedSequences(path, template: template, arguments, console: console)
        if arguments[Self.generator] == .template {
            if privacy != nil {
                throw UsageError("--dp-epsilon trains the sequence model with DP-SGD; give --generator sequence-vae "
                    + "(a learned template with differential privacy is not built yet)", usage: arguments.usage)
            }
            return try learnTemplate(template, sequences, records: records, out: out, arguments, console: console)
        }
        console.error("train: \(template.name) v\(template.version), \(sequences.count) seed patients, hidden "
            + "\(configuration.hidden), latent \(configuration.latent), seed \(options.seed), "
            + "\(options.threads) threads")
        let pipeline = TrainingPipeline(template: template, configuration: configuration, options: options,
                                        pretrainPatients: arguments[Self.pretrain],
                                        pretrainEpochs: arguments[Self.pretrainEpochs])
        let quiet = arguments[Self.quiet]
        if let privacy {
            do {
                let plan = try Trainer(options: options).privacyPlan(records: sequences.count, target: privacy)
                console.error(String(format: "DP-SGD: ε = %.3g, δ = %.1e over %d steps at sample "
                                         + "rate %.4f: noise multiplier σ = %.3f, clip C = %g",
                                     plan.epsilon, plan.delta, plan.steps, plan.sampleRate, plan.noiseMultiplier,
                                     privacy.clipNorm))
            } catch { throw CommandError(error.message) }
        }
        let result: TrainingPipeline.Result
        do {
            result = try pipeline.run(seed: sequences, seedLabel: path, privacy: privacy) { phase, report in
                guard !quiet else { return }
                console.error(epochLine(phase, report,
                                        of: phase == .pretraining ? pipeline.pretrainEpochs : options.epochs))
            }
        } catch { throw CommandError(error.message) }
        var checkpoint = result.checkpoint
        if !arguments[Self.omitRecordDigests] {
            checkpoint.header.training.recordDigests = RecordDigests.digests(records.timelines)
        }
        do { try checkpoint.write(to: out) } catch { throw CommandError(error.message) }
        let fine = result.fineTuning
        if let p = checkpoint.header.privacy {
            console.error(String(format: "trained with DP-SGD: (ε = %.3f, δ = "
                                     + "%.1e), σ = %.3f, %d steps; %.1f s in all",
                                 p.epsilon, p.delta, p.noiseMultiplier, p.steps,
                                 fine.seconds + (result.pretraining?.seconds ?? 0)))
        } else {
            console.error(String(format: "best epoch %d of %d, validation loss %.3f; %@ sequences/s; %.1f s in all",
                                 fine.bestEpoch, fine.epochs.count, fine.bestValidationLoss ?? .nan,
                                 formatRate(fine.sequencesPerSecond),
                                 fine.seconds + (result.pretraining?.seconds ?? 0)))
        }
        console.error("wrote \(out) (\(formatCount(result.model.parameterCount)) parameters)")
        return 0
    }

    static func epochLine(_ phase: TrainingPipeline.Phase, _ r: EpochReport, of total: Int) -> String {
        let t = r.training
        var line = String(format: "%@ epoch %d/%d  β %.2f  loss %.3f (values %.3f, "
                              + "recorded %.3f, events %.3f, visits %.3f, KL %.3f)",
                          phase.rawValue, r.epoch, total, r.beta, t.total, t.values, t.observed, t.events, t.visits,
                          t.kl)
        if let v = r.validation { line += String(format: "  validation %.3f%@", v.total, r.improved ? " *" : "") }
        return line + String(format: "  %.2f s", r.seconds)
    }
}

/// Seed records of the template's disease (others refused) and their patients with visits, as the
/// learners take them; refused when fewer than 2 patients have visits.
func readSeedSequences(_ path: String, template: DiseaseTemplate, _ arguments: ParsedArguments,
                       console: Console) throws -> (SeedRecords, [PatientSequence]) {
    let records = try importSeedRecords(path, template: template, strict: arguments[Shared.strict], console: console)
    try requireDisease(records, template: template, path: path, label: "seed records", arguments: arguments)
    let sequences = records.timelines.map {
        PatientSequence(timeline: $0, template: template, concepts: records.concepts)
    }
        .filter { !$0.visits.isEmpty }
    guard sequences.count >= 2 else {
        throw CommandError("\(path): fewer than 2 seed patients with visits; nothing to train on")
    }
    return (records, sequences)
}

/// Imports seed records, reporting what was skipped on stderr.
func importSeedRecords(_ path: String, template: DiseaseTemplate, strict: Bool, console: Console) throws
    -> SeedRecords {
    let importer = SeedRecordImporter(template: template, strict: strict)
    do {
        let records = try importer.read(path: path)
        console.error(records.report.summary())
        return records
    } catch {
        throw CommandError(error.description)
    }
}

extension TrainCommand {
    /// `--generator template`: learns the template and writes it.
    static func learnTemplate(_ template: DiseaseTemplate, _ sequences: [PatientSequence], records: SeedRecords,
                              out: String, _ arguments: ParsedArguments, console: Console) throws -> Int32 {
        var options = LearningOptions()
        options.rounds = arguments[Self.rounds]
        options.twinsPerPatient = arguments[Self.twins]
        options.seed = Shared.seed(arguments)
        options.threads = Shared.threads(arguments)
        console.error("train: learning \(template.name) v\(template.version) from \(sequences.count) seed patients, "
            + "\(options.rounds) rounds of \(options.twinsPerPatient) twins each, seed \(options.seed)")
        let quiet = arguments[Self.quiet]
        let result: LearningResult
        do {
            result = try TemplateLearner(template: template, options: options).learn(from: sequences) { round, all in
                if !quiet { console.error("round \(round)/\(all)") }
            }
        } catch { throw CommandError(error.message) }
        let record = LearningRecord(
            seedRecords: arguments[Self.seedRecords], patients: result.patients, rounds: result.rounds,
            twinsPerPatient: options.twinsPerPatient, seed: options.seed,
            recordDigests: arguments[Self.omitRecordDigests] ? nil : RecordDigests.digests(records.timelines))
        let learned = LearnedTemplate(template: template, learning: record, adjustments: result.adjustments)
        do { try learned.write(to: out) } catch { throw CommandError(error.message) }
        if !quiet { console.print(learned.summary(template: template)) }
        console.error(String(format: "learned %d numbers in %.1f s; wrote %@", result.adjustments.count,
                             result.seconds, out))
        return 0
    }
}
