import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

/// `zebra check-records` on FHIR files: clean records pass, a planted contradiction is named.
@Suite struct CheckRecordsCommandTests {
    func run(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
        let console = Console(capturing: true)
        let code = Zebra.main(arguments + ["--templates", TestSupport.modelsDirectory], console: console)
        return (code, console.captured ?? "", console.errorOutput)
    }

    @Test func aSpleenMeasuredAfterSplenectomyIsReported() throws {
        let folder = try TestSupport.temporaryDirectory() + "/gaucher"
        let made = run(["simulate", "--disease", "gaucher", "--template-only", "--patients", "150", "--seed", "9",
                        "--out", folder])
        try #require(made.code == 0, "\(made.err)")
        let clean = run(["check-records", "--records", folder])
        #expect(clean.code == 0, "\(clean.out)")
        #expect(clean.out.contains("every rule holds"))
        #expect(clean.err.contains("disease: gaucher (inferred"))
        // Plant: one spleen volume dated a year after a patient's splenectomy.
        // The first splenectomised patient with a spleen volume on record (volumes exist from 1982 only).
        let procedures = String(decoding: try readFileBytes(folder + "/Procedure.ndjson"), as: UTF8.self)
        var observations = String(decoding: try readFileBytes(folder + "/Observation.ndjson"), as: UTF8.self)
        let lines = observations.split(separator: "\n")
        let pairs = procedures.split(separator: "\n").filter { $0.contains("Splenectomy") }.lazy.compactMap {
            procedure -> (Substring, String, Substring)? in
            guard let patient = Self.value(of: "\"reference\":\"Patient/", in: procedure),
                  let spleen = lines.first(where: {
                      $0.contains("\"code\":\"spleen-mn\"") && $0.contains("Patient/\(patient)")
                  }) else { return nil }
            return (procedure, patient, spleen)
        }
        let (procedure, patient, spleen) = try #require(pairs.first)
        let performed = try #require(Self.value(of: "\"performedDateTime\":\"", in: procedure))
        let year = try #require(Int(performed.prefix(4)))
        let original = try #require(Self.value(of: "\"effectiveDateTime\":\"", in: spleen))
        let later = "\(year + 1)" + performed.dropFirst(4)
        observations += spleen.replacingOccurrences(of: original, with: later)
            .replacingOccurrences(of: "\"id\":\"", with: "\"id\":\"planted-") + "\n"
        try writeFileAtomically(Array(observations.utf8), to: folder + "/Observation.ndjson")
        let (code, out, _) = run(["check-records", "--records", folder, "--disease", "gaucher"])
        #expect(code == 1)
        let line = out.split(separator: "\n").first { $0.contains("FAIL measured-after-it-ends") }
        #expect(line?.contains(" 1 violation in 1 patient ") == true, "\(out)")
        #expect(out.contains("patient \(patient): spleen-mn"), "\(out)")
        #expect(out.contains("after splenectomy on \(performed)"), "\(out)")
    }

    /// The text after `prefix` up to the next quote.
    static func value(of prefix: String, in line: Substring) -> String? {
        guard let range = line.range(of: prefix) else { return nil }
        return String(line[range.upperBound...].prefix { $0 != "\"" })
    }
}
