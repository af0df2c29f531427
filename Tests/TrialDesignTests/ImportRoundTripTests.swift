import FHIRExport
import Foundation
import RecordImport
import Serialization
import Testing
import Timelines
import TrialDesign
import ZebraCommands
import ZebraTestSupport

/// A treated arm written as FHIR and read back through RecordImport gives the same subjects as
/// the simulation that made it, and `control-arm --treated` uses it.
struct ImportRoundTripTests {
    /// Simulated treated records of the MOXIe-like trial, written as Bulk ndjson into `folder`.
    static func writeTreatedArm(to folder: String, count: Int) throws -> (plan: TrialPlan, subjects: [TrialSubject]) {
        let plan = try Fixtures.plan("friedreich-ataxia-moxie.json")
        let sampler = PoolSampler(plan: plan, seed: 12, threads: 2, keepRecords: true)
        let pool = try sampler.generate(count: 150)
        let (arm, _) = try sampler.simulateTreated(count: count, effect: .progressionMultiplier(0.5), controls: pool)
        let records = arm.patients.map { $0.record! }
        let directory = try StagedDirectory(path: folder, replaceExisting: true)
        let serializer = FHIRSerializer(concepts: plan.concepts.table, source: "urn:zebra:test")
        _ = try CohortExport(format: .ndjson, serializer: serializer, threads: 2)
            .write(count: records.count, into: directory, generate: { records[$0] })
        try directory.commit()
        return (plan, arm.patients.map(\.subject))
    }

    @Test func controlArmReadsATreatedArmFromFHIR() throws {
        let treated = TestSupport.temporaryPath("trial-treated-fhir")
        let out = TestSupport.temporaryPath("trial-treated-fhir-out")
        defer { for p in [treated, out] { try? FileManager.default.removeItem(atPath: p) } }
        let (_, subjects) = try Self.writeTreatedArm(to: treated, count: 40)
        try #require(subjects.count == 40)
        let r = run(["control-arm", "--trial", "\(TestSupport.trialsDirectory)/friedreich-ataxia-moxie.json",
                     "--treated", treated, "--pool", "400", "--ratio", "2", "--seed", "5", "--out", out])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("40 of 40 patients entered"))
        let results = try JSONParser.parse(try String(contentsOfFile: "\(out)/results.json", encoding: .utf8))
        #expect(results["treated"]?["patients"]?.numberValue == 40)
        // Only the controls are written (the treated patients are the user's own records).
        let subjectsFile = try Fixtures.ndjson("\(out)/ResearchSubject.ndjson")
        #expect(!subjectsFile.isEmpty)
        #expect(subjectsFile.allSatisfy { $0["assignedArm"]?.stringValue == "synthetic-control" })
        // The weights file lists the treated as read from FHIR, with the simulated index dates.
        let weights = try String(contentsOfFile: "\(out)/weights.csv", encoding: .utf8).split(separator: "\n")
        let treatedRows = weights.filter { $0.contains(",omaveloxolone,") }
        #expect(treatedRows.count == 40)
        for s in subjects { #expect(treatedRows.contains { $0.hasPrefix("\(s.id),omaveloxolone,\(s.indexDay.iso),") }) }
    }

    @Test func importedSubjectsMatchTheSimulatedOnes() throws {
        let treated = TestSupport.temporaryPath("trial-treated-fhir-subjects")
        defer { try? FileManager.default.removeItem(atPath: treated) }
        let (plan, subjects) = try Self.writeTreatedArm(to: treated, count: 25)
        try #require(subjects.count == 25)
        let records = try SeedRecordImporter(template: plan.template).read(path: treated)
        let arm = try TreatedArm.read(records.timelines, concepts: records.concepts, plan: plan)
        #expect(arm.excluded.isEmpty)
        #expect(arm.subjects.count == subjects.count)
        let byID = Dictionary(uniqueKeysWithValues: arm.subjects.map { ($0.id, $0) })
        for s in subjects {
            let imported = try #require(byID[s.id])
            #expect(imported.indexDay == s.indexDay)
            try #require(!s.covariates.isEmpty && imported.covariates.count == s.covariates.count)
            try #require(!s.values.isEmpty && imported.values.count == s.values.count)
            for (a, b) in zip(imported.covariates, s.covariates) { #expect(abs(a - b) < 1e-9) }
            for (a, b) in zip(imported.values, s.values) { #expect(a == b || (a.isNaN && b.isNaN)) }
        }
    }

    @Test func aTreatedFileWithoutACovariateIsRejectedByName() throws {
        let treated = TestSupport.temporaryPath("trial-treated-fhir-no-gaa1")
        let out = TestSupport.temporaryPath("trial-treated-fhir-no-gaa1-out")
        defer { for p in [treated, out] { try? FileManager.default.removeItem(atPath: p) } }
        _ = try Self.writeTreatedArm(to: treated, count: 12)
        let path = "\(treated)/Observation.ndjson"
        let kept = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter {
            !$0.contains("gaa1-repeats")
        }
        try (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r = run(["control-arm", "--trial", "\(TestSupport.trialsDirectory)/friedreich-ataxia-moxie.json",
                     "--treated", treated, "--pool", "100", "--out", out])
        #expect(r.code == 1)
        #expect(r.err.contains("the treated arm lacks covariate \"gaa1\", which "
            + "the propensity model needs, for 12 of 12 patients"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
