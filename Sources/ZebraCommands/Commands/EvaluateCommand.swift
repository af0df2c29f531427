import CommandLineParsing
import DiseaseModeling
import Evaluation
import Foundation
import Learning
import TemplateLearning
import RecordImport
import Serialization
import Simulation
import Timelines
import ZebraSupport

struct EvaluateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "evaluate",
        abstract: "Compare synthetic records with real ones: fidelity, privacy, fairness (metrics.json + HTML report).",
        discussion: """
        Reads the real seed records, the synthetic records and optionally holdout records (FHIR ndjson,
        Bundles or the CSV of docs/seed-records.md) for one disease. Long synthetic records are cut to
        windows like the real ones (like with like). Writes metrics.json (every figure with its
        definition) and report.html (self-contained, with SVG plots) to --out. With --holdout, each
        figure is also computed for the holdout records (real-vs-real baseline), and the membership
        attacks use them as non-members; with --model, a likelihood attack is added. See
        docs/evaluation.md.
        """,
        options: [real, synthetic, holdout, out, disease, model, referenceModel, seed, windows, folds, Shared.threads,
                  Shared.strict, Shared.overwrite, Shared.templates])

    static let real = Option<String>.required("real", "path",
                                              help: "The seed records the synthetic data were made from.")
    static let synthetic = Option<String>.required("synthetic", "path", help: "The synthetic records.")
    static let holdout = Option<String?>(
        "holdout", "path", help: "Real records not used in training (baseline and non-members).")
    static let out = Option<String>.required("out", "dir", help: "Output folder for metrics.json and report.html.")
    static let disease = Option<String?>(
        "disease", "id", help: "Template id (default: inferred from the real records' disease Condition).")
    static let model = Option<String?>(
        "model", "file", help: "The trained model ('zebra train'): adds the likelihood-based membership attack.")
    static let referenceModel = Option<String?>(
        "reference-model", "file",
        help: "A model that saw none of the real records, for the calibrated likelihood attack "
            + "(default: DiseaseModels/<disease>.model when it is not --model).")
    static let seed = Option<Int>("seed", "n", default: 1, in: 0...Int.max,
                                  help: "Random seed (windows, subsamples, folds).")
    static let windows = Option<WindowPolicy>("windows", default: .automatic,
                                              help: "Cut synthetic records to windows like the real ones.")
    static let folds = Option<Int>("folds", "n", default: 5, in: 2...50, help: "Cross-validation folds.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let realPath = arguments[Self.real], syntheticPath = arguments[Self.synthetic], out = arguments[Self.out]
        var options = EvaluationOptions()
        options.seed = UInt64(arguments[Self.seed])
        options.folds = arguments[Self.folds]
        options.threads = arguments[Shared.threads] ?? options.threads
        options.windows = arguments[Self.windows]
        let strict = arguments[Shared.strict]
        let started = Date()
        let template: DiseaseTemplate
        if let id = arguments[Self.disease] {
            template = try loadTemplate(id, arguments)
        } else {
            template = try inferTemplate(realPath, arguments, console: console)
        }
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: out, replaceExisting: arguments[Shared.overwrite]) } catch {
            throw CommandError(error.message)
        }
        do {
            let real = try read(realPath, "real", template, strict, arguments, console)
            let synthetic = try read(syntheticPath, "synthetic", template, strict, arguments, console)
            let holdout = try arguments[Self.holdout].map { path throws in
                try read(path, "holdout", template, strict, arguments, console)
            }
            var likelihood: SequenceModelLikelihood?
            if let modelPath = arguments[Self.model] {
                // Read once: the overlap check needs its record digests, the attack its parameters.
                let loaded = try readModel(modelPath, template: template)
                if let model = loaded.sequenceModel {
                    likelihood = SequenceModelLikelihood(model: model, template: template, threads: options.threads)
                } else {
                    console.error("note: \(modelPath) is a learned template, which has no record likelihood; the "
                        + "membership figures are the distance attacks on the synthetic records")
                }
                try checkTrainingOverlap(loaded.recordDigests, path: modelPath, real: real, holdout: holdout,
                                         console: console)
            }
            var reference: SequenceModelLikelihood?
            var referencePath: String?
            if likelihood != nil {
                referencePath = arguments[Self.referenceModel]
                if referencePath == nil {
                    let shipped = (try templateLibrary(arguments).directory as NSString)
                        .appendingPathComponent("\(template.id).model")
                    let given = arguments[Self.model].map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                    // A shipped learned template has no likelihood to compare with.
                    if FileManager.default.fileExists(atPath: shipped),
                       URL(fileURLWithPath: shipped).standardizedFileURL.path != given,
                       let bytes = try? readFileBytes(shipped), !LearnedTemplate.isLearnedTemplate(bytes) {
                        referencePath = shipped
                    }
                }
                if let referencePath {
                    do {
                        reference = try SequenceModelLikelihood(checkpoint: referencePath, template: template,
                                                                threads: options.threads)
                    } catch {
                        throw CommandError(error.message)
                    }
                }
            }
            var sources = ["real": realPath, "synthetic": syntheticPath]
            sources["holdout"] = arguments[Self.holdout]
            sources["model"] = arguments[Self.model]
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
                try directory.commit(description: "generator: zebra evaluate\n")
            } catch { throw CommandError(error.message) }
            console.print(summary(evaluation))
            console.error(String(format: "wrote %@/metrics.json and report.html (%.1f s)", directory.finalPath,
                                 Date().timeIntervalSince(started)))
            return 0
        } catch {
            directory.discard()
            throw error
        }
    }

    static func read(_ path: String, _ label: String, _ template: DiseaseTemplate, _ strict: Bool,
                     _ arguments: ParsedArguments, _ console: Console) throws -> [PatientTimeline] {
        let records: SeedRecords
        do {
            records = try SeedRecordImporter(template: template, strict: strict).read(path: path)
        } catch {
            throw CommandError("\(label) records: " + error.description)
        }
        console.error("\(label): " + records.report.summary().replacingOccurrences(of: "\n", with: "; "))
        try requireDisease(records, template: template, path: path, label: "\(label) records", arguments: arguments)
        return records.timelines
    }

    /// Refuses holdout patients the model was trained on: every privacy figure would be a false
    /// all-clear. Warns when the real records are not the model's training records.
    static func checkTrainingOverlap(_ digests: [String]?, path modelPath: String, real: [PatientTimeline],
                                     holdout: [PatientTimeline]?, console: Console) throws {
        guard let trainedReal = RecordDigests.overlap(real, with: digests) else {
            console.error("warning: \(modelPath) keeps no digests of its training records, so nothing shows whether "
                + "the holdout patients were trained on; the privacy figures assume they were not")
            return
        }
        if let holdout, let trained = RecordDigests.overlap(holdout, with: digests), trained > 0 {
            throw CommandError("\(formatCount(trained)) of \(formatCount(holdout.count)) holdout patients were among "
                + "the training records of \(modelPath): membership and distance figures would be a false all-clear. "
                + "Split the records first ('zebra split-records'), train on one half only, and pass the other half as "
                + "--holdout")
        }
        if trainedReal * 2 < real.count {
            console.error("warning: only \(formatCount(trainedReal)) of \(formatCount(real.count)) real patients were "
                + "training records of \(modelPath); --real should be the records the model was trained on")
        }
    }

    static func summary(_ e: Evaluation) -> String {
        var lines = ["\(e.diseaseName): real \(e.patients.real), synthetic \(e.patients.synthetic)"
            + (e.patients.holdout.map { ", holdout \($0)" } ?? "") + " patients; windows "
            + (e.windowing.sampled ? "sampled" : "as recorded")]
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
