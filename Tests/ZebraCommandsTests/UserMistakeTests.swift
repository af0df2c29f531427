import Foundation
import Serialization
import TemplateLearning
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

extension UserMistakeTests {
    @Test func anEndDateBeforeAnyBirthIsRefusedAtOnce() throws {
        let out = try TestSupport.temporaryDirectory() + "/old"
        let (code, _, err) = run(["simulate", "--end-date", "1800-01-01", "--patients", "1000", "--out", out])
        #expect(code == 64)
        #expect(err.contains("'--end-date' 1800-01-01 is before the first birth template \"fabry\" allows (1930-01-01"),
                "\(err)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Issue 15: a population the template does not describe is refused with the ones it does.
    @Test func anUnknownPopulationIsRefusedWithTheKnownOnes() throws {
        let out = try TestSupport.temporaryDirectory() + "/pop"
        let (code, _, err) = run(["simulate", "--disease", "multiple-system-atrophy", "--population", "japn",
                                  "--patients", "5", "--out", out])
        #expect(code == 64)
        #expect(err.contains("describes the populations europe, japan, usa, not \"japn\""), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let (fabryCode, _, fabryErr) = run(["simulate", "--population", "japan", "--patients", "5", "--out", out])
        #expect(fabryCode == 64)
        #expect(fabryErr.contains("\"fabry\" describes no populations"), "\(fabryErr)")
    }

    @Test func theShippedModelNoteNamesNoPathACloneLacks() throws {
        let out = try TestSupport.temporaryDirectory() + "/default"
        let (code, _, err) = run(["simulate", "--disease", "fabry", "--patients", "3", "--out", out])
        #expect(code == 0, "\(err)")
        #expect(err.contains("(shipped; template learned from 10,000 demonstration patients simulated from the template"),
                "\(err)")
        #expect(err.contains("--template-only turns it off"))
        #expect(!err.contains("Output/demo-seeds"))
    }

    @Test func versionAndMisspeltCommands() {
        let console = Console(capturing: true)
        #expect(Zebra.main(["--version"], console: console) == 0)
        #expect(console.captured == "zebra \(Zebra.version)\n")
        let typo = Console(capturing: true)
        #expect(Zebra.main(["simualte"], console: typo) == 64)
        #expect(typo.errorOutput.contains("unknown command 'simualte'; did you mean 'simulate'?"))
    }

    @Test func splitRecordsRefusesOneFolderForBothHalvesBeforeWriting() throws {
        let root = try TestSupport.temporaryDirectory()
        try records("fabry", patients: 10, into: root + "/all")
        let (code, _, err) = run(["split-records", "--records", root + "/all", "--out-a", root + "/half",
                                  "--out-b", root + "/half"])
        #expect(code == 64)
        #expect(err.contains("--out-a and --out-b must be two separate folders"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: root + "/half"))
        let (inside, _, insideErr) = run(["split-records", "--records", root + "/all", "--out-a", root + "/all/a",
                                          "--out-b", root + "/b"])
        #expect(inside == 64)
        #expect(insideErr.contains("overlaps the records"), "\(insideErr)")
    }

    @Test func evaluateRefusesSyntheticRecordsOfAnotherDisease() throws {
        let root = try TestSupport.temporaryDirectory()
        try records("friedreich-ataxia", patients: 20, into: root + "/real")
        try records("gaucher", patients: 20, into: root + "/synthetic")
        let (code, _, err) = run(["evaluate", "--real", root + "/real", "--synthetic", root + "/synthetic",
                                  "--out", root + "/evaluation", "--folds", "2"])
        #expect(code == 1)
        #expect(err.contains("synthetic records at \(root)/synthetic are not Friedreich ataxia records"), "\(err)")
        #expect(err.contains("--disease gaucher"))
        #expect(!FileManager.default.fileExists(atPath: root + "/evaluation"))
    }

    @Test func aNarrowEligibilityRuleStopsEarlyNamingEachCriterion() throws {
        let root = try TestSupport.temporaryDirectory()
        let moxie = try String(contentsOfFile: TestSupport.modelsDirectory + "/trials/friedreich-ataxia-moxie.json",
                               encoding: .utf8)
        let narrow = moxie
            .replacingOccurrences(of: #""age": {"min": 16, "max": 40}"#, with: #""age": {"min": 16, "max": 16.3}"#)
            .replacingOccurrences(of: #""mfars": {"min": 20, "max": 80}"#, with: #""mfars": {"min": 40, "max": 40.4}"#)
            .replacingOccurrences(of: #""to": "2020-12-31""#, with: #""to": "2005-06-30""#)
        #expect(narrow != moxie)
        try writeFileAtomically(Array(narrow.utf8), to: root + "/narrow.json")
        let (code, _, err) = run(["control-arm", "--trial", root + "/narrow.json", "--simulate-treated", "50",
                                  "--template-only", "--out", root + "/arm"])
        #expect(code == 1)
        #expect(err.contains("the eligibility criteria are too narrow"), "\(err)")
        #expect(err.contains("\"age 16–16.3 years\""), "\(err)")
        #expect(!err.contains("pool size"))
    }
}

/// Reads the record digests a checkpoint keeps.
enum ModelCheckpointProbe {
    static func digests(_ path: String) throws -> [String] {
        let learned = try LearnedTemplate.decode(try readFileBytes(path), file: path)
        return learned.learning.recordDigests ?? []
    }
}
