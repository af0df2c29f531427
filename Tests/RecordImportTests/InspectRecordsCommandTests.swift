import Foundation
import Testing
import ZebraCommands
import ZebraTestSupport

/// `zebra inspect-records` on hand-written records: exit codes and what it prints.
@Suite struct InspectRecordsCommandTests {
    func run(_ arguments: [String]) -> (code: Int32, output: String, errors: String) {
        let console = Console(capturing: true)
        let code = Zebra.main(["inspect-records", "--models", TestSupport.modelsDirectory] + arguments, console: console)
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
        #expect(run(["--records", "/tmp"]).code == 64)
    }
}
