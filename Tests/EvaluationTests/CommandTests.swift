import Evaluation
import Foundation
import Serialization
import Testing
import ZebraCommands
import ZebraTestSupport

@Suite struct CommandTests {
    /// A small ndjson folder: 10 patients, encounters and observations naming them, a Medication naming none.
    static func writeRecords(_ path: String) throws {
        var patients = "", encounters = "", observations = ""
        for i in 0..<10 {
            patients += "{\"resourceType\":\"Patient\",\"id\":\"p\(i)\","
                + "\"gender\":\"female\",\"birthDate\":\"1980-01-01\"}\n"
            for k in 0..<(i % 3 + 1) {
                encounters += "{\"resourceType\":\"Encounter\",\"id\":\"e\(i)-\(k)\","
                    + "\"subject\":{\"reference\":\"Patient/p\(i)\"}}\n"
                observations += "{\"resourceType\":\"Observation\",\"id\":\"o\(i)-\(k)\","
                    + "\"subject\":{\"reference\":\"urn:uuid:p\(i)\"}}\n"
            }
        }
        try FileManager.default.createDirectory(atPath: path + "/nested", withIntermediateDirectories: true)
        try Data(patients.utf8).write(to: URL(fileURLWithPath: path + "/Patient.ndjson"))
        try Data(encounters.utf8).write(to: URL(fileURLWithPath: path + "/Encounter.ndjson"))
        try Data(observations.utf8).write(to: URL(fileURLWithPath: path + "/nested/Observation.ndjson"))
        try Data("{\"resourceType\":\"Medication\",\"id\":\"m1\"}\n".utf8)
            .write(to: URL(fileURLWithPath: path + "/Medication.ndjson"))
    }

    /// Per file, the (patient or "-", line) pairs.
    static func lines(_ folder: String, _ file: String) throws -> [String] {
        try String(contentsOfFile: folder + "/" + file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func patient(_ line: String) -> String {
        if line.contains("\"Patient\""), let r = line.range(of: "\"id\":\"p") {
            return String(line[r.upperBound...].prefix { $0 != "\"" })
        }
        guard let r = line.range(of: "reference\":\"") else { return "-" }
        let reference = line[r.upperBound...].prefix { $0 != "\"" }
        return String(reference.split(separator: "p").last ?? "")
    }

    @Test func splitRecordsPartitionsPatientsAndTheirResources() throws {
        let root = try TestSupport.temporaryDirectory("split")
        try Self.writeRecords(root + "/in")
        func split(_ a: String, _ b: String, seed: Int) -> Int32 {
            Zebra.main(["split-records", "--records", root + "/in", "--out-a", a, "--out-b", b, "--seed", String(seed)],
                       console: Console(capturing: true))
        }
        #expect(split(root + "/a", root + "/b", seed: 3) == 0)
        let a = Set(try Self.lines(root + "/a", "Patient.ndjson").map(Self.patient))
        let b = Set(try Self.lines(root + "/b", "Patient.ndjson").map(Self.patient))
        #expect(a.count == 5 && b.count == 5)
        #expect(a.isDisjoint(with: b))
        #expect(a.union(b) == Set((0..<10).map(String.init)))
        for (folder, side) in [(root + "/a", a), (root + "/b", b)] {
            for file in ["Encounter.ndjson", "nested/Observation.ndjson"] {
                let owners = try Self.lines(folder, file).map(Self.patient)
                #expect(owners.allSatisfy { side.contains($0) }, "\(file) follows its patients")
                let expected = side.reduce(0) { $0 + Int($1)! % 3 + 1 }
                #expect(owners.count == expected)
            }
            #expect(try Self.lines(folder, "Medication.ndjson").count == 1)
        }
        // Deterministic for a seed; an existing folder is refused without --overwrite.
        #expect(split(root + "/a2", root + "/b2", seed: 3) == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/a2/Patient.ndjson"))
            == Data(contentsOf: URL(fileURLWithPath: root + "/a/Patient.ndjson")))
        #expect(split(root + "/a", root + "/b", seed: 3) != 0)
    }

    @Test func evaluateWritesMetricsAndReportForFHIRRecords() throws {
        let root = try TestSupport.temporaryDirectory("evaluate")
        try Fixtures.writeFHIR(Fixtures.registry(count: 60, seed: 51), to: root + "/seed")
        try Fixtures.writeFHIR(Fixtures.whole(count: 60, seed: 52), to: root + "/synthetic")
        try Fixtures.writeFHIR(Fixtures.registry(count: 60, seed: 53), to: root + "/holdout")
        let console = Console(capturing: true)
        // No --disease: inferred from the disease Condition.
        let code = Zebra.main(["evaluate", "--real", root + "/seed", "--synthetic", root + "/synthetic", "--holdout",
                               root + "/holdout", "--out", root + "/out", "--templates", TestSupport.modelsDirectory,
                               "--threads", "2"], console: console)
        #expect(code == 0, "\(console.errorOutput)")
        #expect(console.errorOutput.contains("disease: gaucher"))
        let json = try JSONParser.parse(readFileBytes(root + "/out/metrics.json"))
        #expect(json["disease"]?.stringValue == "gaucher")
        #expect(json["windows"]?["sampled"]?.boolValue == true)
        let names = json["metrics"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.contains("detection.auc") && names.contains("mia.distance.auc") &&
                names.contains("representation.flag"))
        let html = try String(contentsOfFile: root + "/out/report.html", encoding: .utf8)
        #expect(html.contains("<svg"))
        // An existing output folder is refused without --overwrite.
        let again = Zebra.main(["evaluate", "--real", root + "/seed", "--synthetic", root + "/synthetic", "--disease",
                                "gaucher", "--out", root + "/out", "--templates",
                                TestSupport.modelsDirectory], console: Console(capturing: true))
        #expect(again != 0)
    }
}

@Suite struct ReportTests {
    @Test func outputIsDeterministicAndSelfContained() throws {
        let real = Fixtures.registry(count: 80, seed: 61)
        let input = EvaluationInput(template: Fixtures.gaucher, real: real,
                                    synthetic: Fixtures.whole(count: 80, seed: 62),
                                    holdout: Fixtures.registry(count: 80, seed: 63),
                                    sources: ["real": "seed/", "synthetic": "out/"])
        var options = Fixtures.options(seed: 9)
        let first = Evaluation(input, options: options)
        options.threads = 1
        let second = Evaluation(input, options: options)
        #expect(first.metricsJSON() == second.metricsJSON())
        let html = first.htmlReport()
        #expect(html == second.htmlReport())
        for heading in ["Summary", "Fidelity", "Privacy", "Fairness", "Notes"] {
            #expect(html.contains(">\(heading)</h2>"))
        }
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link") &&
                !html.contains("<?xml"))
        #expect(html.contains("not proof of privacy"))
        // Every metric has a definition, and the summary states its thresholds.
        try #require(!first.metrics.isEmpty && !first.headlines.isEmpty)
        #expect(first.metrics.allSatisfy { !$0.definition.isEmpty })
        #expect(first.headlines.allSatisfy { $0.rule.contains("green") })
        _ = try JSONParser.parse(first.metricsJSON())
    }
}
