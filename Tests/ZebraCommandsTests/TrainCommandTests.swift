import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

@Suite(.serialized) struct TrainCommandTests {
    func run(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
        let console = Console(capturing: true)
        let code = Zebra.main(arguments, console: console)
        return (code, console.captured ?? "", console.errorOutput)
    }

    var models: [String] { ["--templates", TestSupport.modelsDirectory] }

    @Test func learnsATemplateFromRecordsAndGeneratesWithIt() throws {
        let root = try TestSupport.temporaryDirectory()
        let seeds = root + "/seeds", model = root + "/fa.model", out = root + "/generated"
        let (simulated, _, simErr) = run(["simulate", "--disease", "friedreich-ataxia", "--registry-extract",
                                          "--template-only", "--patients", "60", "--seed", "3", "--out", seeds]
            + models)
        #expect(simulated == 0, "\(simErr)")
        let train = ["train", "--disease", "friedreich-ataxia", "--seed-records", seeds, "--out", model, "--rounds",
                     "3"] + models
        let (trained, printed, trainErr) = run(train)
        #expect(trained == 0, "\(trainErr)")
        #expect(trainErr.contains("read 60 patients"))
        #expect(trainErr.contains("round 3/3"))
        #expect(trainErr.contains("wrote \(model)"))
        // Every learned number is printed beside the template's, with its evidence.
        #expect(printed.contains("learned from 60 seed patients"))
        #expect(printed.contains("share of men"))
        let (again, _, againErr) = run(train)
        #expect(again == 1 && againErr.contains("--overwrite"))
        let (generated, _, genErr) = run(["simulate", "--disease", "friedreich-ataxia", "--model", model, "--patients",
                                          "20", "--out", out] + models)
        #expect(generated == 0, "\(genErr)")
        #expect(genErr.contains("model: \(model) (template learned from 60 seed patients"))
        let patients = String(decoding: try readFileBytes(out + "/Patient.ndjson"), as: UTF8.self)
        #expect(patients.contains("\"code\":\"learned-template\""))
        let info = String(decoding: try readFileBytes(out + "/zebra-run.txt"), as: UTF8.self)
        #expect(info.contains("generation: template learned from seed records \(model)"))
        // A template learned for one disease is refused for another.
        let (wrong, _, wrongErr) = run(["simulate", "--disease", "fabry", "--model", model, "--patients", "5",
                                        "--out", root + "/wrong"] + models)
        #expect(wrong == 1 && wrongErr.contains("learned for template \"friedreich-ataxia\", not \"fabry\""))
        // A damaged file is refused.
        var bytes = try readFileBytes(model)
        bytes[bytes.count / 2] ^= 0x01
        try writeFileAtomically(bytes, to: model)
        let (damaged, _, damagedErr) = run(["simulate", "--disease", "friedreich-ataxia", "--model", model,
                                            "--patients", "5", "--out", root + "/damaged"] + models)
        #expect(damaged == 1 && damagedErr.contains("checksum mismatch"))
    }

    @Test func trainsTheSequenceModelOnRequest() throws {
        let root = try TestSupport.temporaryDirectory()
        let seeds = root + "/seeds", model = root + "/fa.model", out = root + "/generated"
        let (simulated, _, simErr) = run(["simulate", "--disease", "friedreich-ataxia", "--registry-extract",
                                          "--template-only", "--patients", "60", "--seed", "3", "--out", seeds]
            + models)
        #expect(simulated == 0, "\(simErr)")
        let (trained, _, trainErr) = run(["train", "--disease", "friedreich-ataxia", "--seed-records", seeds, "--out",
                                          model, "--generator", "sequence-vae", "--epochs", "4", "--pretrain", "40",
                                          "--pretrain-epochs", "1", "--hidden", "8", "--latent", "2"] + models)
        #expect(trained == 0, "\(trainErr)")
        #expect(trainErr.contains("fine-tuning epoch 1/4"))
        let (generated, _, genErr) = run(["simulate", "--disease", "friedreich-ataxia", "--model", model, "--patients",
                                          "20", "--out", out] + models)
        #expect(generated == 0, "\(genErr)")
        let patients = String(decoding: try readFileBytes(out + "/Patient.ndjson"), as: UTF8.self)
        #expect(patients.contains("\"code\":\"template-and-model\""))
        let info = String(decoding: try readFileBytes(out + "/zebra-run.txt"), as: UTF8.self)
        #expect(info.contains("generation: template + sequence model \(model)"))
        // DP-SGD is the sequence model's: asked of a learned template, it is refused with the way out.
        let (dp, _, dpErr) = run(["train", "--disease", "friedreich-ataxia", "--seed-records", seeds, "--out",
                                  root + "/dp.model", "--dp-epsilon", "3"] + models)
        #expect(dp == 64 && dpErr.contains("--generator sequence-vae"), "\(dpErr)")
    }

    @Test func usesTheShippedModelUnlessTemplateOnly() throws {
        let root = try TestSupport.temporaryDirectory()
        let (code, _, err) = run(["simulate", "--disease", "gaucher", "--patients", "5", "--out", root + "/a"] + models)
        #expect(code == 0)
        #expect(err.contains("model: \(TestSupport.modelsDirectory)/gaucher.model"))
        let (plain, _, plainErr) = run(["simulate", "--disease", "gaucher", "--patients", "5", "--template-only",
                                        "--out", root + "/b"] + models)
        #expect(plain == 0 && !plainErr.contains("model:"))
        let info = String(decoding: try readFileBytes(root + "/b/zebra-run.txt"), as: UTF8.self)
        #expect(info.contains("generation: template only"))
    }

    @Test func badSeedRecordsAreAClearError() throws {
        let out = try TestSupport.temporaryDirectory() + "/x.model"
        let (code, _, err) = run(["train", "--disease", "fabry", "--seed-records", "/nonexistent/records", "--out",
                                  out] + models)
        #expect(code == 1)
        #expect(err.contains("/nonexistent/records"))
    }
}
