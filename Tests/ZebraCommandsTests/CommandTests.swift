import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

@Suite struct CommandTests {
    func run(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
        let console = Console(capturing: true)
        let code = Zebra.main(arguments, console: console)
        return (code, console.captured ?? "", console.errorOutput)
    }

    var models: [String] { ["--templates", TestSupport.modelsDirectory] }

    @Test func helpListsTheCommands() {
        let (code, out, _) = run(["--help"])
        #expect(code == 0)
        for name in ["diseases", "simulate", "validate-template", "calibrate"] { #expect(out.contains(name)) }
        let (subCode, subOut, _) = run(["simulate", "--help"])
        #expect(subCode == 0)
        #expect(subOut.contains("--patients <n>") && subOut.contains("default: 1000"))
    }

    @Test(arguments: [
        (["simulate", "--patients", "zero"], "expects a whole number"),
        (["simulate", "--format", "xml"], "expects one of ndjson, bundle, transaction"),
        (["simulate", "--bogus"], "unknown option '--bogus'"),
        (["simulate", "--end-date", "2020-02-30"], "expects a date"),
        (["frobnicate"], "unknown command"),
        (["validate-template"], "missing argument <path>"),
    ])
    func badArgumentsPrintUsageAndFail(arguments: [String], message: String) {
        let (code, _, err) = run(arguments + (arguments.first == "simulate" ? models : []))
        #expect(code == 64)
        #expect(err.contains(message), "stderr: \(err)")
    }

    @Test func diseasesListsTheShippedTemplates() {
        let (code, out, _) = run(["diseases"] + models)
        #expect(code == 0)
        let ids = TestSupport.shippedDiseases
        #expect(ids.count >= 3)
        for id in ids { #expect(out.contains(id + " ")) }
        #expect(!out.contains("INVALID"))
        let (sourcesCode, cited, _) = run(["diseases", "--sources"] + models)
        #expect(sourcesCode == 0)
        // Every template's citations, in full: FA's Campuzano 1996 and Fabry's Wanner 2010 among them.
        #expect(cited.contains("Campuzano V, Montermini L"))
        #expect(cited.contains("    wanner2010: Wanner"))
    }

    @Test func validateTemplateExplainsProblems() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir + "/broken.json"
        let broken = TestSupport.minimalTemplate.replacingOccurrences(of: #""decimals": 1,"#,
                                                                      with: #""decimals": true,"#)
        try writeFileAtomically(Array(broken.utf8), to: path)
        let (code, _, err) = run(["validate-template", path])
        #expect(code == 1)
        #expect(err.contains("\(path):"))
        #expect(err.contains("$.measures[0].decimals: expected a number, found a boolean"))
        let (okCode, okOut, _) = run(["validate-template", TestSupport.modelsDirectory + "/fabry.json"])
        #expect(okCode == 0 && okOut.contains("valid template \"fabry\""))
    }

    @Test func simulateWritesACohortAndRefusesToMixOutputs() throws {
        let out = try TestSupport.temporaryDirectory() + "/cohort"
        let args = ["simulate", "--disease", "friedreich-ataxia", "--patients", "30", "--seed", "4", "--out", out]
            + models
        let (code, _, err) = run(args)
        #expect(code == 0, "\(err)")
        #expect(err.contains("wrote 30 patients"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.contains("Patient.ndjson") && files.contains("zebra-run.txt"))
        let first = try readFileBytes(out + "/Observation.ndjson")
        let (again, _, againErr) = run(args)
        #expect(again == 1)
        #expect(againErr.contains("already exists"))
        let (overwrite, _, _) = run(args + ["--overwrite"])
        #expect(overwrite == 0)
        #expect(try readFileBytes(out + "/Observation.ndjson") == first)
    }

    @Test func unknownDiseaseIsAClearError() {
        let (code, _, err) = run(["simulate", "--disease", "unicorn-pox"] + models)
        #expect(code == 1)
        #expect(err.contains("no template with id \"unicorn-pox\""))
    }
}
