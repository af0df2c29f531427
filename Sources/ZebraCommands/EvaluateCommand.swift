import CommandLineParsing
import DiseaseModeling
import Evaluation
import Foundation
import Learning
import RecordImport
import Serialization
import Simulation
import Timelines

struct EvaluateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "evaluate", abstract: "Compare synthetic records with real ones: fidelity, privacy, fairness (metrics.json + HTML report).",
        discussion: """
        Reads the real seed records, the synthetic records and optionally holdout records (FHIR ndjson,
        Bundles or the CSV of docs/seed-records.md) for one disease. Long synthetic records are cut to
        windows like the real ones (like with like). Writes metrics.json (every figure with its
        definition) and report.html (self-contained, with SVG plots) to --out. With --holdout, each
        figure is also computed for the holdout records (real-vs-real baseline), and the membership
        attacks use them as non-members; with --model, a likelihood attack is added. See
        docs/evaluation.md.
        """,
        options: [
            .value("real", "path", help: "The seed records the synthetic data were made from."),
            .value("synthetic", "path", help: "The synthetic records."),
            .value("holdout", "path", help: "Real records not used in training (baseline and non-members)."),
            .value("out", "dir", help: "Output folder for metrics.json and report.html."),
            .value("disease", "id", help: "Template id (default: inferred from the real records' disease Condition)."),
            .value("model", "file", help: "The trained model ('zebra train'): adds the likelihood-based membership attack."),
            .value("reference-model", "file", help: "A model that saw none of the real records, for the calibrated likelihood attack (default: DiseaseModels/<disease>.model when it is not --model)."),
            .value("seed", "n", help: "Random seed (windows, subsamples, folds).", default: "1"),
            .value("windows", "automatic|sample|as-is", help: "Cut synthetic records to windows like the real ones.", default: "automatic"),
            .value("folds", "n", help: "Cross-validation folds.", default: "5"),
            .value("threads", "n", help: "Worker threads (default: all cores)."),
            .flag("strict", help: "Fail on any problem in the records instead of skipping the record."),
            .flag("overwrite", help: "Replace the output folder if it exists."),
            templatesOption,
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        guard let realPath = arguments.string("real") else { throw UsageError("missing option '--real <path>'", usage: arguments.usage) }
        guard let syntheticPath = arguments.string("synthetic") else { throw UsageError("missing option '--synthetic <path>'", usage: arguments.usage) }
        guard let out = arguments.string("out") else { throw UsageError("missing option '--out <dir>'", usage: arguments.usage) }
        var options = EvaluationOptions()
        options.seed = UInt64(try arguments.integer("seed", in: 0...Int.max)!)
        options.folds = try arguments.integer("folds", in: 2...50)!
        options.threads = try arguments.integer("threads", in: 1...1024) ?? options.threads
        let policy = try arguments.choice("windows", WindowPolicy.allCases.map(\.rawValue))!
        options.windows = WindowPolicy(rawValue: policy)!
        let strict = arguments.flag("strict")
        let started = Date()
        let template: DiseaseTemplate
        if let id = arguments.string("disease") {
            template = try loadTemplate(id, arguments)
        } else {
            template = try inferTemplate(realPath, arguments, console: console)
        }
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: out, replaceExisting: arguments.flag("overwrite")) } catch {
            throw CommandError(error.message)
        }
        do {
            let real = try read(realPath, "real", template, strict, console)
            let synthetic = try read(syntheticPath, "synthetic", template, strict, console)
            let holdout = try arguments.string("holdout").map { path throws in try read(path, "holdout", template, strict, console) }
            var likelihood: SequenceModelLikelihood?
            if let modelPath = arguments.string("model") {
                do { likelihood = try SequenceModelLikelihood(checkpoint: modelPath, template: template, threads: options.threads) } catch {
                    throw CommandError(error.message)
                }
            }
            var reference: SequenceModelLikelihood?
            var referencePath: String?
            if likelihood != nil {
                referencePath = arguments.string("reference-model")
                if referencePath == nil {
                    let shipped = (try templateLibrary(arguments).directory as NSString).appendingPathComponent("\(template.id).model")
                    let given = arguments.string("model").map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                    if FileManager.default.fileExists(atPath: shipped), URL(fileURLWithPath: shipped).standardizedFileURL.path != given {
                        referencePath = shipped
                    }
                }
                if let referencePath {
                    do { reference = try SequenceModelLikelihood(checkpoint: referencePath, template: template, threads: options.threads) } catch {
                        throw CommandError(error.message)
                    }
                }
            }
            var sources = ["real": realPath, "synthetic": syntheticPath]
            sources["holdout"] = arguments.string("holdout")
            sources["model"] = arguments.string("model")
            sources["reference-model"] = referencePath
            let input = EvaluationInput(template: template, real: real, synthetic: synthetic, holdout: holdout,
                                        likelihood: likelihood, referenceLikelihood: reference, sources: sources)
            let evaluation = Evaluation(input, options: options)
            guard !evaluation.metrics.isEmpty else {
                throw CommandError(evaluation.notes.last ?? "nothing to evaluate")
            }
            do {
                try writeFileAtomically(evaluation.metricsJSON(), to: directory.path(of: "metrics.json"))
                try writeFileAtomically(Array(evaluation.htmlReport().utf8), to: directory.path(of: "report.html"))
                try directory.commit()
            } catch { throw CommandError(error.message) }
            console.print(summary(evaluation))
            console.error(String(format: "wrote %@/metrics.json and report.html (%.1f s)", directory.finalPath, Date().timeIntervalSince(started)))
            return 0
        } catch {
            directory.discard()
            throw error
        }
    }

    static func read(_ path: String, _ label: String, _ template: DiseaseTemplate, _ strict: Bool, _ console: Console) throws -> [PatientTimeline] {
        do {
            let records = try SeedRecordImporter(template: template, strict: strict).read(path: path)
            console.error("\(label): " + records.report.summary().replacingOccurrences(of: "\n", with: "; "))
            return records.timelines
        } catch {
            throw CommandError("\(label) records: " + error.description)
        }
    }

    /// The template whose disease Condition most real patients carry.
    static func inferTemplate(_ path: String, _ arguments: ParsedArguments, console: Console) throws -> DiseaseTemplate {
        let library = try templateLibrary(arguments)
        var best: (template: DiseaseTemplate, count: Int)?
        var tie = false
        for file in library.templateFiles() {
            guard let template = try? DiseaseTemplate.load(from: file),
                  let records = try? SeedRecordImporter(template: template).read(path: path) else { continue }
            let condition = records.concepts.condition
            let count = records.timelines.filter { t in t.events.contains { $0.kind == .condition && $0.concept == condition } }.count
            if count > 0, count == best?.count { tie = true }
            if count > (best?.count ?? 0) {
                best = (template, count)
                tie = false
            }
        }
        guard let best, !tie else {
            throw CommandError("cannot tell the disease from the records at \(path) (no single template's disease Condition is recorded); pass --disease <id>")
        }
        console.error("disease: \(best.template.id) (inferred: \(best.count) patients carry its Condition)")
        return best.template
    }

    static func summary(_ e: Evaluation) -> String {
        var lines = ["\(e.diseaseName): real \(e.patients.real), synthetic \(e.patients.synthetic)"
            + (e.patients.holdout.map { ", holdout \($0)" } ?? "") + " patients; windows " + (e.windowing.sampled ? "sampled" : "as recorded")]
        let width = e.headlines.map(\.title.count).max() ?? 0
        for h in e.headlines {
            let value = h.value.map { String(format: "%.3f", $0) } ?? "—"
            let baseline = h.baseline.map { String(format: "  (holdout %.3f)", $0) } ?? ""
            lines.append("  [\(h.flag.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))] "
                + h.title.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value + baseline)
        }
        return lines.joined(separator: "\n")
    }
}
