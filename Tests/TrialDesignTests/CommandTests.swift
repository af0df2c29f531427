import Foundation
import Serialization
import Testing
import ZebraCommands
import ZebraTestSupport

/// Runs `zebra` with the repository's templates, capturing what it prints.
func run(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
    let console = Console(capturing: true)
    let code = Zebra.main(arguments + ["--templates", TestSupport.modelsDirectory], console: console)
    return (code, console.captured ?? "", console.errorOutput)
}

/// The two commands from the command line, on every example trial, with small sizes.
struct CommandTests {
    static let examples = ["friedreich-ataxia-moxie.json", "friedreich-ataxia-ambulation.json", "fabry-egfr-slope.json",
                           "gaucher-spleen.json"]

    @Test(arguments: examples)
    func controlArmWritesFHIRAndReports(trial: String) throws {
        let out = TestSupport.temporaryPath("trial-ca-\(trial)")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = run(["control-arm", "--trial", "\(TestSupport.trialsDirectory)/\(trial)", "--simulate-treated", "30",
                     "--pool", "300", "--ratio", "2", "--seed", "4", "--out", out])
        #expect(r.code == 0, "\(r.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        for f in ["Patient.ndjson", "ResearchStudy.ndjson", "ResearchSubject.ndjson", "balance.csv", "results.json",
                  "love-plot.svg", "weights.csv", "analysis-dataset.csv", "disposition.csv", "report.html",
                  "propensity-overlap.svg"] {
            #expect(files.contains(f), "\(f) missing")
        }
        #expect(files.contains("trajectories.svg") || files.contains("kaplan-meier.svg"))
        let patients = try Fixtures.ndjson("\(out)/Patient.ndjson").compactMap { $0["id"]?.stringValue }
        let study = try Fixtures.ndjson("\(out)/ResearchStudy.ndjson")
        #expect(study.count == 1)
        let studyID = try #require(study[0]["id"]?.stringValue)
        #expect(study[0]["status"]?.stringValue == "completed")
        #expect(study[0]["arm"]?.arrayValue?.count == 2)
        let subjects = try Fixtures.ndjson("\(out)/ResearchSubject.ndjson")
        #expect(subjects.count == patients.count)
        var arms: [String: Int] = [:]
        for s in subjects {
            #expect(s["study"]?["reference"]?.stringValue == "ResearchStudy/\(studyID)")
            let ref = s["individual"]?["reference"]?.stringValue ?? ""
            #expect(patients.contains(String(ref.dropFirst("Patient/".count))))
            arms[s["assignedArm"]?.stringValue ?? "", default: 0] += 1
        }
        #expect(arms.values.reduce(0, +) == patients.count)
        #expect(arms.count == 2)
        // Time on study never runs past death (issue 11).
        var deceased: [String: String] = [:]
        for p in try Fixtures.ndjson("\(out)/Patient.ndjson") {
            if let id = p["id"]?.stringValue, let d = p["deceasedDateTime"]?.stringValue { deceased[id] = String(d.prefix(10)) }
        }
        for s in subjects {
            let id = String((s["individual"]?["reference"]?.stringValue ?? "").dropFirst("Patient/".count))
            guard let death = deceased[id], let end = s["period"]?["end"]?.stringValue else { continue }
            #expect(end <= death, "ResearchSubject of \(id) ends \(end), after death on \(death)")
        }
        let results = try JSONParser.parse(try String(contentsOfFile: "\(out)/results.json", encoding: .utf8))
        let estimate = try #require(results["estimate"])
        #expect(estimate["estimate"]?.numberValue?.isFinite == true)
        // A change endpoint has the MMRM beside the ANCOVA; a time-to-event endpoint does not.
        let isChange = (results["endpoint"]?.stringValue ?? "").hasPrefix("change")
        #expect((results["mmrm"]?["estimate"]?.numberValue?.isFinite == true) == isChange)
        #expect(results["sensitivity"]?["eValue"]?.numberValue.map { $0 >= 1 } == true)
        #expect(estimate["ci95"]?.arrayValue?.count == 2)
        let report = try String(contentsOfFile: "\(out)/report.html", encoding: .utf8)
        #expect(report.contains("Estimand (ICH E9(R1))") && report.contains("Disposition")
            && report.contains("<svg") && report.contains("Sensitivity to unmeasured confounding"))
        // The analysis dataset holds every treated patient and every pool candidate (30 + 300 here).
        let dataset = try String(contentsOfFile: "\(out)/analysis-dataset.csv", encoding: .utf8).split(separator: "\n")
        #expect(dataset.count == 1 + 30 + 300, "\(dataset.count) rows")
        #expect(dataset[0].hasPrefix("USUBJID,ORIGIN,ARM,IN_ARM,INDEX_DATE,COV_age"))
        let inArm = dataset.dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false)[3] == "1" }
        // Every exported patient is in an arm, except treated patients greedy matching left without a
        // control: they entered the study and are exported, and the dataset says why they are not analysed.
        let unmatched = results["treated"]?["unmatched"]?.numberValue.map(Int.init) ?? 0
        let noControl = dataset.filter { $0.hasSuffix(",no control within the caliper") }
        #expect(noControl.count == unmatched)
        #expect(inArm.count + unmatched == patients.count, "\(inArm.count) in the arms vs \(patients.count) exported")
        let balance = try String(contentsOfFile: "\(out)/balance.csv", encoding: .utf8).split(separator: "\n")
        #expect(balance[0].hasPrefix("covariate,binary,treated_mean_before"))
        #expect(r.out.contains("SMD before"))
        #expect(try String(contentsOfFile: "\(out)/love-plot.svg", encoding: .utf8).contains("<svg xmlns"))
    }

    @Test(arguments: examples)
    func trialSimWritesOperatingCharacteristics(trial: String) throws {
        let out = TestSupport.temporaryPath("trial-ts-\(trial)")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = run(["trial-sim", "--trial", "\(TestSupport.trialsDirectory)/\(trial)", "--replicates", "12",
                     "--treated", "20", "--external", "80", "--pool", "400", "--seed", "3", "--out", out])
        #expect(r.code == 0, "\(r.err)")
        for f in ["operating-characteristics.json", "operating-characteristics.csv", "operating-characteristics.svg",
                  "estimation-error.svg"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(f)"), "\(f) missing")
        }
        let csv = try String(contentsOfFile: "\(out)/operating-characteristics.csv", encoding: .utf8)
        for design in ["randomized-1:1", "randomized-procova", "single-arm-synthetic-matching",
                       "single-arm-synthetic-weighting", "hybrid", "single-arm-external-unadjusted"] {
            #expect(csv.contains("\(design),type_i_error,"))
        }
        #expect(r.out.contains("bias") && r.out.contains("coverage"))
    }

    @Test func trialSimDoesNotDependOnTheThreadCount() throws {
        var tables: [String] = []
        for threads in ["1", "2"] {
            let out = TestSupport.temporaryPath("trial-ts-threads-\(threads)")
            defer { try? FileManager.default.removeItem(atPath: out) }
            let r = run(["trial-sim", "--trial", "\(TestSupport.trialsDirectory)/gaucher-spleen.json", "--replicates",
                         "16", "--treated", "20", "--external", "80", "--pool", "300", "--seed", "9", "--threads",
                         threads, "--out", out, "--designs", "randomized-1:1,single-arm-synthetic-weighting"])
            #expect(r.code == 0, "\(r.err)")
            tables.append(try String(contentsOfFile: "\(out)/operating-characteristics.csv", encoding: .utf8))
        }
        #expect(tables[0] == tables[1])
    }

    /// The shipped model is used by default and named in the results; --template-only drops it,
    /// and the two give different control arms.
    @Test func controlArmUsesTheShippedModelUnlessTemplateOnly() throws {
        var estimates: [Double] = []
        for extra in [[], ["--template-only"]] {
            let out = TestSupport.temporaryPath("trial-ca-model-\(extra.count)")
            defer { try? FileManager.default.removeItem(atPath: out) }
            let r = run(["control-arm", "--trial", "\(TestSupport.trialsDirectory)/friedreich-ataxia-moxie.json",
                         "--simulate-treated", "30", "--pool", "300", "--seed", "4", "--out", out] + extra)
            #expect(r.code == 0, "\(r.err)")
            let results = try JSONParser.parse(try String(contentsOfFile: "\(out)/results.json", encoding: .utf8))
            let generator = results["generator"]?.stringValue ?? ""
            if extra.isEmpty {
                #expect(generator.hasPrefix("template learned from seed records "
                    + "\(TestSupport.modelsDirectory)/friedreich-ataxia.model sha256:"))
                #expect(r.err.contains("model: \(TestSupport.modelsDirectory)/friedreich-ataxia.model"))
            } else {
                #expect(generator == "template")
            }
            estimates.append(try #require(results["estimate"]?["estimate"]?.numberValue))
        }
        #expect(estimates[0] != estimates[1])
        let both = run(["control-arm", "--trial", "\(TestSupport.trialsDirectory)/friedreich-ataxia-moxie.json",
                        "--simulate-treated", "30", "--model", "\(TestSupport.modelsDirectory)/friedreich-ataxia.model",
                        "--template-only"])
        #expect(both.code == 64 && both.err.contains("give either --model or --template-only, not both"))
    }

    @Test func badTrialFileIsReportedWithItsLine() throws {
        let folder = try TestSupport.temporaryDirectory("trial-bad-trial")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/bad-trial.json"
        try """
        {"format": "zebra-trial", "formatVersion": 1, "id": "x", "disease": "gaucher",
         "eligibility": {"measures": {"spleen": {"min": 5}}},
         "endpoint": {"type": "change", "measure": "spleen-mn", "months": 12}, "visits": {"months": [0, 12]}}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let r = run(["trial-sim", "--trial", path, "--effect", "-1", "--replicates", "2"])
        #expect(r.code == 1)
        #expect(r.err.contains("\(path):2: $.eligibility.measures.spleen: no measure \"spleen\" in gaucher"))
    }
}

/// `control-arm --controls`: real external controls (here registry-like records written by
/// `zebra simulate --registry-extract`), alone or mixed with a simulated pool (issue 11).
struct ExternalControlsTests {
    @Test func registryRecordsServeAsTheControlPoolAloneOrMixed() throws {
        let root = try TestSupport.temporaryDirectory("external-controls")
        let registry = run(["simulate", "--disease", "friedreich-ataxia", "--registry-extract", "--template-only",
                            "--patients", "600", "--seed", "12", "--out", root + "/registry"])
        try #require(registry.code == 0, "\(registry.err)")
        let trial = "\(TestSupport.trialsDirectory)/friedreich-ataxia-moxie.json"
        let alone = run(["control-arm", "--trial", trial, "--simulate-treated", "40", "--controls", root + "/registry",
                         "--ratio", "1", "--seed", "2", "--template-only", "--out", root + "/alone"])
        try #require(alone.code == 0, "\(alone.err)")
        let results = try JSONParser.parse(try String(contentsOfFile: root + "/alone/results.json", encoding: .utf8))
        let external = try #require(results["pool"]?["external"])
        let eligible = try #require(external["patients"]?.numberValue)
        #expect(eligible >= 20 && eligible < 600)
        #expect(external["excluded"]?.numberValue == 600 - eligible)
        #expect(results["pool"]?["simulated"] == nil)
        // The controls are the registry's patients, referenced by id and not rewritten as test data.
        let registryIDs = Set(try Fixtures.ndjson(root + "/registry/Patient.ndjson").compactMap { $0["id"]?.stringValue })
        let weights = try String(contentsOfFile: root + "/alone/weights.csv", encoding: .utf8).split(separator: "\n")
        let controls = weights.dropFirst().filter { $0.contains(",synthetic-control,") || !$0.contains(",omaveloxolone,") }
        try #require(!controls.isEmpty)
        #expect(controls.allSatisfy { registryIDs.contains(String($0.prefix { $0 != "," })) })
        let written = Set(try Fixtures.ndjson(root + "/alone/Patient.ndjson").compactMap { $0["id"]?.stringValue })
        #expect(written.isDisjoint(with: registryIDs))

        let mixed = run(["control-arm", "--trial", trial, "--simulate-treated", "40", "--controls", root + "/registry",
                         "--pool", "200", "--seed", "2", "--template-only", "--out", root + "/mixed"])
        try #require(mixed.code == 0, "\(mixed.err)")
        let both = try JSONParser.parse(try String(contentsOfFile: root + "/mixed/results.json", encoding: .utf8))
        #expect(both["pool"]?["simulated"]?["patients"]?.numberValue == 200)
        #expect(both["pool"]?["patients"]?.numberValue == 200 + eligible)
    }

    @Test func recordsOfAnotherDiseaseAreRefusedAsControls() throws {
        let root = try TestSupport.temporaryDirectory("external-controls-wrong")
        let fabry = run(["simulate", "--disease", "fabry", "--patients", "50", "--template-only", "--out", root + "/f"])
        try #require(fabry.code == 0)
        let r = run(["control-arm", "--trial", "\(TestSupport.trialsDirectory)/friedreich-ataxia-moxie.json",
                     "--simulate-treated", "20", "--controls", root + "/f", "--out", root + "/ca"])
        #expect(r.code != 0)
        #expect(r.err.contains("none of the 50 patients has a Friedreich ataxia Condition"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: root + "/ca"))
    }
}

/// Positivity: the overlap plot and propensity-score trimming (issue 11).
struct OverlapTests {
    @Test func trimmingLeavesOutPatientsOutsideTheOverlapAndSaysSo() throws {
        let root = try TestSupport.temporaryDirectory("trim")
        let trimmed = run(["control-arm", "--trial", "\(TestSupport.trialsDirectory)/friedreich-ataxia-moxie.json",
                           "--simulate-treated", "40", "--pool", "400", "--trim", "0.12", "--method", "weight",
                           "--template-only", "--seed", "3", "--out", root + "/ca"])
        try #require(trimmed.code == 0, "\(trimmed.err)")
        #expect(trimmed.err.contains("trimming at 0.12:"))
        let svg = try String(contentsOfFile: root + "/ca/propensity-overlap.svg", encoding: .utf8)
        #expect(svg.contains("Estimated propensity score"))
        let dataset = try String(contentsOfFile: root + "/ca/analysis-dataset.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst()
        // Trimmed treated patients are listed with their reason; trimmed candidates are counted.
        let disposition = try String(contentsOfFile: root + "/ca/disposition.csv", encoding: .utf8)
        let trimmedTreated = dataset.filter { $0.contains("(trimmed)") }.count
        #expect(trimmedTreated > 0 || disposition.contains("trimmed (propensity score outside the overlap)"),
                "nothing was trimmed at 0.12: \(disposition)")
        let bad = run(["control-arm", "--trial", "\(TestSupport.trialsDirectory)/friedreich-ataxia-moxie.json",
                       "--simulate-treated", "40", "--trim", "0.6", "--out", root + "/bad"])
        #expect(bad.code != 0)
    }
}
