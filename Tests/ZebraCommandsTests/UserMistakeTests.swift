import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

/// Issue 8: mistakes a user cannot see are refused before any work, with the way out.
@Suite(.serialized) struct UserMistakeTests {
    func run(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
        let console = Console(capturing: true)
        let code = Zebra.main(arguments + ["--templates", TestSupport.modelsDirectory], console: console)
        return (code, console.captured ?? "", console.errorOutput)
    }

    /// Registry-like records of a disease, simulated template-only.
    func records(_ disease: String, patients: Int, into folder: String) throws {
        let (code, _, err) = run(["simulate", "--disease", disease, "--registry-extract", "--template-only",
                                  "--patients", "\(patients)", "--seed", "5", "--out", folder])
        try #require(code == 0, "\(err)")
    }

    let tinyTraining = ["--epochs", "2", "--pretrain", "20", "--pretrain-epochs", "1", "--hidden", "8", "--latent", "2"]

    @Test func trainingOnAnotherDiseasesRecordsIsRefused() throws {
        let root = try TestSupport.temporaryDirectory()
        try records("gaucher", patients: 30, into: root + "/gaucher")
        let (code, _, err) = run(["train", "--disease", "fabry", "--seed-records", root + "/gaucher",
                                  "--out", root + "/fabry.model"] + tinyTraining)
        #expect(code == 1)
        #expect(err.contains("are not Fabry disease records: 0 of"), "\(err)")
        #expect(err.contains("--disease gaucher"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: root + "/fabry.model"))
    }

    @Test func evaluateRefusesHoldoutPatientsTheModelWasTrainedOn() throws {
        let root = try TestSupport.temporaryDirectory()
        try records("friedreich-ataxia", patients: 40, into: root + "/all")
        let split = run(["split-records", "--records", root + "/all", "--out-a", root + "/seed", "--out-b",
                         root + "/holdout"])
        try #require(split.code == 0, "\(split.err)")
        let synthetic = root + "/synthetic"
        let (made, _, madeErr) = run(["simulate", "--disease", "friedreich-ataxia", "--template-only", "--patients",
                                      "30", "--out", synthetic])
        try #require(made == 0, "\(madeErr)")
        // The README's old mistake: train on the whole extract, then evaluate against a half of it.
        let leaky = root + "/leaky.model"
        let trained = run(["train", "--seed-records", root + "/all", "--out", leaky] + tinyTraining)
        try #require(trained.code == 0, "\(trained.err)")
        #expect(trained.err.contains("disease: friedreich-ataxia (inferred"))
        let evaluate = ["evaluate", "--real", root + "/seed", "--synthetic", synthetic, "--holdout", root + "/holdout",
                        "--folds", "2"]
        let (refused, _, refusedErr) = run(evaluate + ["--model", leaky, "--out", root + "/e1"])
        #expect(refused == 1)
        #expect(refusedErr.contains("holdout patients were among the training records of \(leaky)"), "\(refusedErr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/e1"))
        // Split first, train on the seed half: accepted.
        let honest = root + "/honest.model"
        let retrained = run(["train", "--seed-records", root + "/seed", "--out", honest] + tinyTraining)
        try #require(retrained.code == 0, "\(retrained.err)")
        let (accepted, _, acceptedErr) = run(evaluate + ["--model", honest, "--out", root + "/e2"])
        #expect(accepted == 0, "\(acceptedErr)")
        #expect(!acceptedErr.contains("warning"), "\(acceptedErr)")
        let checkpoint = try ModelCheckpointProbe.digests(honest)
        #expect(checkpoint.count == 20)
    }

    @Test func aTemplateWithEditedProseKeepsItsShippedModel() throws {
        let root = try TestSupport.temporaryDirectory()
        let templates = root + "/templates"
        try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: TestSupport.modelsDirectory + "/gaucher.json", encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\"description\": \"", with: "\"description\": \"Edited. ")
        #expect(edited != text)
        try writeFileAtomically(Array(edited.utf8), to: templates + "/gaucher.json")
        try FileManager.default.copyItem(atPath: TestSupport.modelsDirectory + "/gaucher.model",
                                         toPath: templates + "/gaucher.model")
        let console = Console(capturing: true)
        let code = Zebra.main(["simulate", "--disease", "gaucher", "--patients", "3", "--out", root + "/out",
                               "--templates", templates], console: console)
        #expect(code == 0, "\(console.errorOutput)")
        #expect(console.errorOutput.contains("model: \(templates)/gaucher.model"))
        // A change to what the model learned from is refused, with both ways out.
        let changed = text.replacingOccurrences(of: "\"missProbability\": 0.1", with: "\"missProbability\": 0.2")
        #expect(changed != text)
        try writeFileAtomically(Array(changed.utf8), to: templates + "/gaucher.json")
        let refused = Console(capturing: true)
        let refusedCode = Zebra.main(["simulate", "--disease", "gaucher", "--patients", "3", "--out", root + "/out2",
                                      "--templates", templates], console: refused)
        #expect(refusedCode == 1)
        #expect(refused.errorOutput.contains("--template-only"), "\(refused.errorOutput)")
        #expect(refused.errorOutput.contains("zebra train --disease gaucher"))
    }
}

/// Reads the record digests a checkpoint keeps.
enum ModelCheckpointProbe {
    static func digests(_ path: String) throws -> [String] {
        let bytes = try readFileBytes(path)
        let header = String(decoding: bytes.split(separator: 0x0A)[1], as: UTF8.self)
        guard let range = header.range(of: "\"recordDigests\":[") else { return [] }
        let rest = header[range.upperBound...]
        return rest.prefix { $0 != "]" }.split(separator: ",").map { String($0.dropFirst().dropLast()) }
    }
}
