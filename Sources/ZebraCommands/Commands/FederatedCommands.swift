import CommandLineParsing
import DiseaseModeling
import Federation
import Foundation
import Serialization
import Simulation
import TemplateLearning
import Timelines

/// Options the `zebra federated` commands share.
enum FederatedOptions {
    static let model = Option<String>.required("model", "file", help: "The current round's federated model.")
    static let rounds = Option<Int>("learner-rounds", "n", default: 8, in: 1...100,
                                    help: "Rounds of simulate–compare–update in each site's local learning.")
    static let twins = TrainCommand.twins
    static let label = Option<String?>(
        "site", "label", help: "The site's pseudonymous label (default: the seed-record folder's name).",
        expectation: "letters, digits, '-' and '_'",
        parse: { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } && !$0.isEmpty ? $0 : nil })

    static let aggregation = Option<FederatedAveraging.Method>(
        "aggregation", "method", default: .precision,
        help: "How the coordinator combines the sites' numbers: precision (each site's evidence weighted by its "
            + "precision, the template's prior applied once) or fedavg (learned values averaged, weighted by the "
            + "patients behind each).",
        expectation: "precision or fedavg", parse: { FederatedAveraging.Method(rawValue: $0) })

    static let dpEpsilon = Option<Double?>(
        "dp-epsilon", "ε", in: 0.01...1000,
        help: "Differential privacy: the site's total ε over every round it joins (RDP accountant); a round "
            + "past it is refused.")
    static let dpDelta = TrainCommand.dpDelta
    static let dpRounds = Option<Int>("dp-rounds", "n", default: 3, in: 1...1000,
                                      help: "Rounds the budget is planned for (each round's noise meets it over n).")
    static let dpClip = Option<Double>("dp-clip", "C", default: 0.5, in: 0.001...100,
                                       help: "L2 bound on one group's change to the model.")
    static let dpGroupSize = Option<Int>("dp-group-size", "n", default: 25, in: 2...100_000,
                                         help: "Patients per group (subsample and aggregate).")
    static let privacyOptions = OptionGroup([dpEpsilon, dpDelta, dpRounds, dpClip, dpGroupSize])

    /// The site's privacy settings, if it asked for differential privacy.
    static func privacy(_ arguments: ParsedArguments) throws -> SitePrivacySettings? {
        guard let epsilon = arguments[dpEpsilon] else {
            if arguments.wasGiven(dpDelta) || arguments.wasGiven(dpRounds) || arguments.wasGiven(dpClip)
                || arguments.wasGiven(dpGroupSize) {
                throw UsageError("--dp-delta, --dp-rounds, --dp-clip and --dp-group-size need --dp-epsilon",
                                 usage: arguments.usage)
            }
            return nil
        }
        var settings = SitePrivacySettings(epsilon: epsilon, delta: arguments[dpDelta],
                                           plannedRounds: arguments[dpRounds])
        settings.clip = arguments[dpClip]
        settings.groupSize = arguments[dpGroupSize]
        return settings
    }

    /// One site's update: private when `privacy` is given (its earlier rounds' noise from `spent`).
    static func update(_ model: LearnedTemplate, digest: String, template: DiseaseTemplate, records: [PatientSequence],
                       site: String, options: LearningOptions, privacy: SitePrivacySettings?,
                       spent: [Double]) throws -> SiteUpdate {
        do {
            guard let privacy else {
                return try FederatedLearning.siteUpdate(model: model, modelDigest: digest, template: template,
                                                        records: records, site: site, options: options)
            }
            return try FederatedLearning.privateSiteUpdate(model: model, modelDigest: digest, template: template,
                                                           records: records, site: site, options: options,
                                                           privacy: privacy, spent: spent)
        } catch { throw CommandError(error.message, exitCode: error.isBudgetRefusal ? 3 : 1) }
    }

    /// The learner's options for one site's round.
    static func learning(_ arguments: ParsedArguments, seed: UInt64) -> LearningOptions {
        var options = LearningOptions()
        options.rounds = arguments[rounds]
        options.twinsPerPatient = arguments[twins]
        options.seed = seed
        options.threads = Shared.threads(arguments)
        return options
    }
}

/// A federated model file with its template and digest.
struct FederatedModelFile {
    var path: String
    var model: LearnedTemplate
    var template: DiseaseTemplate
    var digest: String

    init(_ path: String, _ arguments: ParsedArguments) throws {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path) } catch { throw CommandError(error.message) }
        guard LearnedTemplate.isLearnedTemplate(bytes) else {
            throw CommandError("\(path) is not a federated model (make round 0 with 'zebra federated init')")
        }
        let header: LearnedTemplate
        do { header = try LearnedTemplate.decode(bytes, file: path) } catch { throw CommandError(error.message) }
        let template = try loadTemplate(header.templateID, arguments)
        do { model = try LearnedTemplate.decode(bytes, file: path, template: template) } catch {
            throw CommandError(error.message)
        }
        guard model.federation != nil else {
            throw CommandError("\(path) is a learned template but not a federated one (it has no federation "
                + "record); start from it with 'zebra federated init --from-model \(path)'")
        }
        self.path = path
        self.template = template
        digest = SHA256.hexDigest(of: bytes)
    }
}

/// Writes a model file unless that would replace what Zebra did not write.
func writeModel(_ model: LearnedTemplate, to out: String, _ arguments: ParsedArguments) throws {
    if FileManager.default.fileExists(atPath: out) {
        guard arguments[Shared.overwrite] else {
            throw CommandError("\(out) exists; pass --overwrite to replace it or choose another --out")
        }
        try checkReplaceableModel(out)
    }
    do { try model.write(to: out) } catch { throw CommandError(error.message) }
}

/// `zebra federated init`: round 0.
struct FederatedInitCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "federated init", abstract: "Start a federated model (round 0) from the template or a model.",
        discussion: """
        Writes round 0 of a federated learned template: the template's numbers (or a learned
        model's, with --from-model), and the bins every site will cut continuous attributes into
        (the template's tertiles, so that no site's records decide them). Send it to the sites;
        each runs 'zebra federated update' on it.
        """,
        options: [disease, fromModel, FederatedOptions.aggregation, out, Shared.seed, Shared.overwrite,
                  Shared.templates])

    static let disease = Option<String>.required("disease", "id", help: "The disease template.")
    static let fromModel = Option<String?>("from-model", "file",
                                           help: "A learned template (e.g. the shipped model) to start from.")
    static let out = Option<String>.required("out", "file", help: "The round-0 model to write.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let template = try loadTemplate(arguments[Self.disease], arguments)
        var start: LearnedTemplate?
        var label = "template \(template.id) v\(template.version)"
        if let path = arguments[Self.fromModel] {
            let bytes: [UInt8]
            do { bytes = try readFileBytes(path) } catch { throw CommandError(error.message) }
            guard LearnedTemplate.isLearnedTemplate(bytes) else {
                throw CommandError("\(path) is not a learned template; federated training starts from a template "
                    + "or a learned template ('zebra train' without --generator sequence-vae)")
            }
            do { start = try LearnedTemplate.decode(bytes, file: path, template: template) } catch {
                throw CommandError(error.message)
            }
            label += " + \((path as NSString).lastPathComponent) sha256:\(SHA256.hexDigest(of: bytes).prefix(16))"
        }
        let model: LearnedTemplate
        do {
            model = try FederatedLearning.initialModel(template: template, start: start, startLabel: label,
                                                       seed: Shared.seed(arguments),
                                                       aggregation: arguments[FederatedOptions.aggregation])
        } catch { throw CommandError(error.message) }
        try writeModel(model, to: arguments[Self.out], arguments)
        console.error("federated: round 0 of \(template.name) from \(label); wrote \(arguments[Self.out])")
        return 0
    }
}

/// `zebra federated update`: one site's round.
struct FederatedUpdateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "federated update", abstract: "Learn from one site's records; write only the learned numbers.",
        discussion: """
        Runs at a site. Learns the template from the site's seed records, starting at the round's
        model, and writes the update: each number the records informed, with the count of the site's
        patients behind it, and nothing else of the records. Send the update to the coordinator.
        """,
        options: [FederatedOptions.model, seedRecords, FederatedOptions.label, out, FederatedOptions.privacyOptions,
                  ledger, FederatedOptions.rounds, FederatedOptions.twins, Shared.seed, Shared.threads, Shared.strict,
                  Shared.overwrite, Shared.templates])

    static let seedRecords = Option<String>.required("seed-records", "path", help: "The site's seed records.")
    static let out = Option<String>.required("out", "file", help: "The update file to write.")
    static let ledger = Option<String?>(
        "privacy-ledger", "file",
        help: "The site's own record of its privacy loss (read, then rewritten with this round): the budget holds "
            + "even if the coordinator's model misstates the site's past rounds.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let file = try FederatedModelFile(arguments[FederatedOptions.model], arguments)
        let path = arguments[Self.seedRecords]
        let site = arguments[FederatedOptions.label] ?? siteLabel(path)
        let update = try Self.update(file, records: path, site: site, arguments, console: console)
        try write(update, to: arguments[Self.out], arguments)
        console.error("federated: site \(site), round \(update.round): \(update.patients) patients, "
            + "\(update.numbers.count) numbers; wrote \(arguments[Self.out])")
        return 0
    }

    /// The site's update for the round `file` holds.
    static func update(_ file: FederatedModelFile, records path: String, site: String, _ arguments: ParsedArguments,
                       console: Console) throws -> SiteUpdate {
        let (_, sequences) = try readSeedSequences(path, template: file.template, arguments, console: console)
        let privacy = try FederatedOptions.privacy(arguments)
        var spent = file.model.federation?.sites.first { $0.label == site }?.privacy?.noiseMultipliers ?? []
        if privacy != nil, let ledger = arguments[Self.ledger], FileManager.default.fileExists(atPath: ledger) {
            let own = try readLedger(ledger, site: site)
            guard own.noiseMultipliers.count >= spent.count else {
                throw CommandError("\(ledger) records \(own.noiseMultipliers.count) private rounds of site '\(site)', "
                    + "the model \(spent.count): the ledger is not this site's, or is out of date")
            }
            spent = own.noiseMultipliers
        }
        let update = try FederatedOptions.update(
            file.model, digest: file.digest, template: file.template, records: sequences, site: site,
            options: FederatedOptions.learning(arguments, seed: Shared.seed(arguments)), privacy: privacy,
            spent: spent)
        if let record = update.privacy {
            console.error(String(format: "federated: site %@ privacy: noise multiplier %.3f this round; ε = %.3f of "
                + "%.3f spent (δ = %.0e) over %d rounds", site, record.noiseMultipliers.last!, record.epsilon,
                                 record.budgetEpsilon, record.delta, record.noiseMultipliers.count))
            if let ledger = arguments[Self.ledger] { try writeLedger(record, site: site, to: ledger) }
        }
        return update
    }

    /// A site's privacy ledger: its label and its privacy record, as JSON.
    static func readLedger(_ path: String, site: String) throws -> SitePrivacyRecord {
        struct Ledger: Decodable { var site: String; var privacy: SitePrivacyRecord }
        let ledger: Ledger
        do { ledger = try JSONDecoder().decode(Ledger.self, from: Data(try readFileBytes(path))) } catch {
            throw CommandError("\(path) is not a Zebra privacy ledger: \(error)")
        }
        guard ledger.site == site else {
            throw CommandError("\(path) is the ledger of site '\(ledger.site)', not '\(site)'")
        }
        return ledger.privacy
    }

    static func writeLedger(_ record: SitePrivacyRecord, site: String, to path: String) throws {
        struct Ledger: Encodable { var site: String; var privacy: SitePrivacyRecord }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do { try writeFileAtomically([UInt8](try encoder.encode(Ledger(site: site, privacy: record))), to: path) }
        catch let error as OutputError { throw CommandError(error.message) }
    }

    /// A label from a folder name, with anything but letters, digits, '-' and '_' replaced.
    static func siteLabel(_ path: String) -> String {
        let name = ((path as NSString).standardizingPath as NSString).lastPathComponent
        let label = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        return label.isEmpty ? "site" : label
    }

    static func write(_ update: SiteUpdate, to out: String, _ arguments: ParsedArguments) throws {
        if FileManager.default.fileExists(atPath: out) {
            let existing = (try? readFileBytes(out)) ?? []
            guard arguments[Shared.overwrite], ChecksummedFile.starts(existing, magic: SiteUpdate.magic) else {
                throw CommandError(arguments[Shared.overwrite]
                    ? "\(out) is not a Zebra site update, so --overwrite will not replace it"
                    : "\(out) exists; pass --overwrite to replace it or choose another --out")
            }
        }
        do { try writeFileAtomically(try update.encoded(), to: out) } catch let error as FederationError {
            throw CommandError(error.message)
        } catch let error as OutputError { throw CommandError(error.message) }
    }
}

/// `zebra federated aggregate`: the coordinator's step.
struct FederatedAggregateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "federated aggregate", abstract: "Average the sites' updates into the next round's model.",
        discussion: """
        Runs at the coordinator. Each number of the next model is the average of the sites' values,
        weighted by the patients behind each (FedAvg per number: log scale for multipliers,
        probabilities for mixes); a number no site informed keeps its value. Updates made from
        another round's model, two from one site, or for another template are refused.
        """,
        options: [FederatedOptions.model, updates, out, Shared.overwrite, Shared.templates])

    static let updates = Option<String>.required("updates", "file,file,…", help: "The sites' update files.")
    static let out = Option<String>.required("out", "file", help: "The next round's model.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let file = try FederatedModelFile(arguments[FederatedOptions.model], arguments)
        var updates: [SiteUpdate] = []
        for path in arguments[Self.updates].split(separator: ",").map(String.init) {
            do { updates.append(try SiteUpdate.decode(try readFileBytes(path), file: path)) }
            catch let error as FederationError { throw CommandError(error.message) }
            catch let error as OutputError { throw CommandError(error.message) }
        }
        let next: LearnedTemplate
        do throws(FederationError) {
            next = try FederatedAveraging.aggregate(model: file.model, modelDigest: file.digest, updates: updates)
        } catch { throw CommandError(error.message) }
        try writeModel(next, to: arguments[Self.out], arguments)
        console.error("federated: round \(next.federation!.round) from \(updates.count) sites, "
            + "\(next.learning.patients) patients, \(next.adjustments.count) numbers; wrote \(arguments[Self.out])")
        return 0
    }
}

/// `zebra federated simulate`: the whole protocol on one machine.
struct FederatedSimulateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "federated simulate", abstract: "Run federated training over local site folders, for evaluation.",
        discussion: """
        Runs init, then for each round every site's update and the aggregate, as the sites and the
        coordinator would, on one machine; each site's records are read only by its own update.
        Writes the final model (and, with --keep-rounds DIR, every round's model and updates).
        """,
        options: [disease, sites, rounds, out, keepRounds, FederatedOptions.aggregation,
                  FederatedOptions.privacyOptions, FederatedOptions.rounds, FederatedOptions.twins, Shared.seed,
                  Shared.threads, Shared.strict, Shared.overwrite,
                  Shared.templates])

    static let disease = Option<String>.required("disease", "id", help: "The disease template.")
    static let sites = Option<String>.required("sites", "dir,dir,…", help: "Each site's seed records.")
    static let rounds = Option<Int>("rounds", "n", default: 3, in: 1...100, help: "Federated rounds.")
    static let out = Option<String>.required("out", "file", help: "The final model.")
    static let keepRounds = Option<String?>("keep-rounds", "dir",
                                            help: "Also write every round's model and site updates here.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let template = try loadTemplate(arguments[Self.disease], arguments)
        let paths = arguments[Self.sites].split(separator: ",").map(String.init)
        let labels = paths.map(FederatedUpdateCommand.siteLabel)
        guard Set(labels).count == labels.count else {
            throw CommandError("two sites would have one label (\(labels.joined(separator: ", "))); "
                + "give folders with different names")
        }
        let seed = Shared.seed(arguments)
        var sequences: [[PatientSequence]] = []
        for path in paths {
            sequences.append(try readSeedSequences(path, template: template, arguments, console: console).1)
        }
        var model: LearnedTemplate
        do {
            model = try FederatedLearning.initialModel(template: template, start: nil,
                                                       startLabel: "template \(template.id) v\(template.version)",
                                                       seed: seed, aggregation: arguments[FederatedOptions.aggregation])
        } catch { throw CommandError(error.message) }
        let keep = arguments[Self.keepRounds]
        let privacy = try FederatedOptions.privacy(arguments)
        // The same twins' streams every round (common random numbers), as within one learner: the
        // rounds then settle on the sites' combined evidence instead of wandering with fresh noise.
        let options = FederatedOptions.learning(arguments, seed: seed)
        if let keep { try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true) }
        for round in 1...arguments[Self.rounds] {
            let bytes: [UInt8]
            do { bytes = try model.encoded() } catch { throw CommandError(error.message) }
            let digest = SHA256.hexDigest(of: bytes)
            if let keep { try writeFileAtomically(bytes, to: "\(keep)/round-\(round - 1).model") }
            var updates: [SiteUpdate] = []
            for (s, records) in sequences.enumerated() {
                let spent = model.federation?.sites.first { $0.label == labels[s] }?.privacy?.noiseMultipliers ?? []
                do {
                    updates.append(try FederatedOptions.update(model, digest: digest, template: template,
                                                               records: records, site: labels[s], options: options,
                                                               privacy: privacy, spent: spent))
                } catch let error as CommandError where error.exitCode == 3 {
                    // A site at its budget leaves; the others go on.
                    console.error("federated: round \(round): " + error.message)
                    continue
                }
                if let keep {
                    do { try writeFileAtomically(try updates[updates.count - 1].encoded(),
                                                 to: "\(keep)/round-\(round)-\(labels[s]).update") }
                    catch let error as FederationError { throw CommandError(error.message) }
                }
            }
            guard !updates.isEmpty else {
                console.error("federated: round \(round): every site refused it (privacy budgets spent); "
                    + "the model of round \(round - 1) is the last")
                break
            }
            do { model = try FederatedAveraging.aggregate(model: model, modelDigest: digest, updates: updates) }
            catch { throw CommandError(error.message) }
            console.error("federated: round \(round): " + updates.map { "\($0.site) \($0.patients) patients, "
                + "\($0.numbers.count) numbers" }.joined(separator: "; ") + " → \(model.adjustments.count) numbers")
        }
        try writeModel(model, to: arguments[Self.out], arguments)
        console.error("federated: wrote \(arguments[Self.out])")
        return 0
    }
}
