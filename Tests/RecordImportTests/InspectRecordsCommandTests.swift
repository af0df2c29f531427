import Foundation
import Testing
import ZebraCommands
import ZebraTestSupport

/// `zebra inspect-records` on hand-written records: exit codes and what it prints.
@Suite struct InspectRecordsCommandTests {
    func run(_ arguments: [String]) -> (code: Int32, output: String, errors: String) {
        let console = Console(capturing: true)
        let code = Zebra.main(["inspect-records", "--templates", TestSupport.modelsDirectory] + arguments,
                              console: console)
        return (code, console.captured ?? "", console.errorOutput)
    }

    @Test func reportsAndSummarisesMeasures() throws {
        let folder = try BrokenRecordTests.brokenFolder("command-default")
        let (code, output, _) = run(["--disease", "gaucher", "--records", folder])
        #expect(code == 0)
        #expect(output.contains("read 6 patients, 11 observations, 1 unreadable record; kept 3 patients, 2 records"))
        #expect(output.contains("problems (first 12 of 12):"))
        let hemoglobin = try #require(output.split(separator: "\n").first { $0.hasPrefix("hemoglobin") })
        let cells = hemoglobin.split(separator: " ")
        #expect(cells == ["hemoglobin", "g/dL", "2", "1", "12.25", "12.10", "12.40", "2015-01-01", "2016-01-01"])
    }

    @Test func strictModeFailsWithProblems() throws {
        let folder = try BrokenRecordTests.brokenFolder("command-strict")
        let (code, _, errors) = run(["--disease", "gaucher", "--records", folder, "--strict"])
        #expect(code == 1)
        #expect(errors.hasPrefix("error: 12 problems in the seed records"))
    }

    @Test func unreadablePathFails() throws {
        let (code, _, errors) = run(["--disease", "gaucher", "--records", "/nonexistent/zebra/records"])
        #expect(code == 1)
        #expect(errors.contains("no such file or folder"))
        let empty = try TestSupport.temporaryDirectory()
        let (unknown, _, unknownErrors) = run(["--records", empty])
        #expect(unknown == 1)
        #expect(unknownErrors.contains("cannot tell the disease from the records at \(empty)"), "\(unknownErrors)")
    }

    /// Issue 8: the records name their disease; a wrong --disease is flagged with what they are.
    @Test func theDiseaseIsInferredAndAWrongOneNamed() throws {
        let folder = try TestSupport.temporaryDirectory()
        try write(FHIR.patient("p1", gender: "female", birth: "1970-03-01") + "\n"
                  + FHIR.patient("p2", gender: "male", birth: "1980-03-01") + "\n", to: folder + "/Patient.ndjson")
        try write(FHIR.condition("Patient/p1", FHIR.snomed, "190794006", onset: "2001-05-01") + "\n"
                  + FHIR.condition("Patient/p2", FHIR.snomed, "190794006", onset: "2003-05-01") + "\n"
                  , to: folder + "/Condition.ndjson")
        try write(FHIR.observation("Patient/p1", date: "2002-01-01", value: 11.5) + "\n",
                  to: folder + "/Observation.ndjson")
        let (code, _, errors) = run(["--records", folder])
        #expect(code == 0)
        #expect(errors.contains("disease: gaucher (inferred: 2 of 2 patients carry its Condition)"), "\(errors)")
        let (wrong, _, wrongErrors) = run(["--records", folder, "--disease", "fabry"])
        #expect(wrong == 0)
        #expect(wrongErrors.contains("are not Fabry disease records"), "\(wrongErrors)")
        #expect(wrongErrors.contains("Gaucher disease type 1 (2 patients; --disease gaucher)"), "\(wrongErrors)")
    }
}
