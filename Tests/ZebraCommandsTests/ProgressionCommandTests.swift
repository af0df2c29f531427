import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

/// `zebra progression` from records and a synthetic cohort side by side; clear refusals.
@Suite struct ProgressionCommandTests {
    @Test func writesTheReportAndTablesForRecordsAndASyntheticCohort() throws {
        let root = try TestSupport.temporaryDirectory()
        let made = zebra(["simulate", "--disease", "fabry", "--template-only", "--registry-extract", "--patients", "400",
                        "--seed", "3", "--out", root + "/records"])
        try #require(made.code == 0, "\(made.err)")
        let (code, out, err) = zebra(["progression", "--records", root + "/records", "--patients", "400",
                                    "--template-only", "--registry-extract", "--by", "sex", "--out", root + "/report"])
        #expect(code == 0, "\(err)")
        #expect(out.contains("records 400 patients, synthetic 400 patients"), "\(out)")
        let html = String(decoding: try readFileBytes(root + "/report/report.html"), as: UTF8.self)
        #expect(html.contains("Natural history of Fabry disease") && html.contains("<svg"))
        let medians = String(decoding: try readFileBytes(root + "/report/tables/km_medians.csv"), as: UTF8.self)
        let rows = medians.split(separator: "\n")
        try #require(rows.count > 1)
        #expect(rows[0].hasPrefix("cohort,group,event,from_age"))
        #expect(rows.contains { $0.hasPrefix("records,female,") } && rows.contains { $0.hasPrefix("synthetic,male,") })
        for name in ["trajectories", "km_curves", "slopes", "slope_summary", "sample_size"] {
            #expect(FileManager.default.fileExists(atPath: root + "/report/tables/\(name).csv"), "\(name)")
        }
        // The same run again refuses to replace the folder without --overwrite.
        let again = zebra(["progression", "--records", root + "/records", "--out", root + "/report"])
        #expect(again.code != 0)
    }

    @Test func badRequestsAreRefusedClearly() throws {
        let root = try TestSupport.temporaryDirectory()
        let neither = zebra(["progression", "--disease", "fabry", "--out", root + "/a"])
        #expect(neither.code != 0 && neither.err.contains("give --records, --patients, or both"))
        let badGroup = zebra(["progression", "--disease", "fabry", "--patients", "50", "--template-only", "--by",
                            "genotype", "--out", root + "/b"])
        #expect(badGroup.code != 0 && badGroup.err.contains("\"genotype\" is not sex or an attribute of fabry"))
        #expect(!FileManager.default.fileExists(atPath: root + "/b"))
    }
}
