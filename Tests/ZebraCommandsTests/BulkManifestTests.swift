import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

/// Every ndjson export carries a FHIR Bulk Data manifest that counts its files, the same bytes
/// each run, and the record reader passes over it.
@Suite struct BulkManifestTests {
    @Test func theManifestCountsEveryFileAndIsReproducible() throws {
        let root = try TestSupport.temporaryDirectory()
        for name in ["a", "b"] {
            let made = zebra(["simulate", "--disease", "gaucher", "--template-only", "--patients", "40", "--seed", "5",
                            "--end-date", "2020-06-30", "--out", "\(root)/\(name)"])
            try #require(made.code == 0, "\(made.err)")
        }
        let bytes = try readFileBytes(root + "/a/bulk-manifest.json")
        #expect(try readFileBytes(root + "/b/bulk-manifest.json") == bytes)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(manifest["transactionTime"] as? String == "2020-06-30T00:00:00Z")
        #expect(manifest["requiresAccessToken"] as? Bool == false)
        #expect((manifest["error"] as? [Any])?.isEmpty == true)
        let output = try #require(manifest["output"] as? [[String: Any]])
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/a").filter { $0.hasSuffix(".ndjson") }
        #expect(output.count == files.count)
        #expect(output.first?["type"] as? String == "Patient")
        for entry in output {
            let url = try #require(entry["url"] as? String)
            let lines = try readFileBytes(root + "/a/" + url).filter { $0 == 0x0A }.count
            #expect(entry["count"] as? Int == lines, "\(url)")
            #expect(url == "\(entry["type"] as? String ?? "").ndjson")
        }
        let inspected = zebra(["inspect-records", "--records", root + "/a"])
        #expect(inspected.code == 0)
        #expect(inspected.out.contains("(\(files.count) files)"), "the manifest is not read as records")
        #expect(!inspected.out.contains("bulk-manifest"))
    }
}
