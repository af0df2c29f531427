import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

/// `zebra federated init / update / aggregate / simulate` end to end on plain files.
@Suite struct FederatedCommandTests {
    static func sites(_ root: String) throws -> [String] {
        var paths: [String] = []
        for (k, seed) in [11, 12].enumerated() {
            let path = root + "/site-\(k + 1)"
            let made = zebra(["simulate", "--disease", "gaucher", "--patients", "60", "--registry-extract",
                              "--template-only", "--seed", "\(seed)", "--out", path])
            try #require(made.code == 0, "\(made.err)")
            paths.append(path)
        }
        return paths
    }

    @Test func aRoundOfInitUpdatesAndAggregateMakesAModelThatGenerates() throws {
        let root = try TestSupport.temporaryDirectory()
        let sites = try Self.sites(root)
        let r0 = root + "/round-0.model", r1 = root + "/round-1.model"
        try #require(zebra(["federated", "init", "--disease", "gaucher", "--out", r0]).code == 0)
        var updates: [String] = []
        for (k, site) in sites.enumerated() {
            let out = root + "/u\(k + 1).update"
            let made = zebra(["federated", "update", "--model", r0, "--seed-records", site, "--site", "centre-\(k + 1)",
                              "--learner-rounds", "3", "--out", out])
            try #require(made.code == 0, "\(made.err)")
            updates.append(out)
        }
        // An update holds the learned numbers and counts, no record: no patient id appears in it.
        let update = String(decoding: try readFileBytes(updates[0]), as: UTF8.self)
        let patients = String(decoding: try readFileBytes(sites[0] + "/Patient.ndjson"), as: UTF8.self)
        let firstID = try #require(patients.split(separator: "\"id\":\"").dropFirst().first?.split(separator: "\"").first)
        #expect(!update.contains(String(firstID)))
        let aggregated = zebra(["federated", "aggregate", "--model", r0, "--updates", updates.joined(separator: ","),
                                "--out", r1])
        try #require(aggregated.code == 0, "\(aggregated.err)")
        let text = String(decoding: try readFileBytes(r1), as: UTF8.self)
        #expect(text.contains("\"label\" : \"centre-1\"") && text.contains("\"label\" : \"centre-2\""))
        let generated = zebra(["simulate", "--disease", "gaucher", "--model", r1, "--patients", "20",
                               "--out", root + "/generated"])
        try #require(generated.code == 0, "\(generated.err)")
        let checked = zebra(["check-records", "--disease", "gaucher", "--records", root + "/generated"])
        #expect(checked.code == 0, "\(checked.out)")
        // An update made from round 0 does not count for round 1.
        let stale = zebra(["federated", "aggregate", "--model", r1, "--updates", updates[0], "--out", root + "/r2"])
        #expect(stale.code != 0 && stale.err.contains("another model"), "\(stale.err)")
        #expect(!FileManager.default.fileExists(atPath: root + "/r2"))
        // A model file is not replaced without --overwrite.
        let again = zebra(["federated", "init", "--disease", "gaucher", "--out", r0])
        #expect(again.code != 0 && again.err.contains("exists"))
    }

    @Test func aSiteRefusesARoundPastItsBudgetByItsOwnLedger() throws {
        let root = try TestSupport.temporaryDirectory()
        let site = try Self.sites(root)[0]
        let r0 = root + "/round-0.model", ledger = root + "/site.ledger"
        try #require(zebra(["federated", "init", "--disease", "gaucher", "--out", r0]).code == 0)
        let dp = ["--dp-epsilon", "2", "--dp-rounds", "1", "--dp-group-size", "20", "--privacy-ledger", ledger,
                  "--learner-rounds", "2", "--twins", "2", "--site", "s1"]
        let first = zebra(["federated", "update", "--model", r0, "--seed-records", site, "--out", root + "/a.update"]
            + dp)
        try #require(first.code == 0, "\(first.err)")
        #expect(first.err.contains("ε = 2.000 of 2.000") || first.err.contains("of 2.000 spent"), "\(first.err)")
        // The coordinator's round-0 model knows nothing of the site's round; its ledger does.
        let second = zebra(["federated", "update", "--model", r0, "--seed-records", site, "--out", root + "/b.update"]
            + dp)
        #expect(second.code == 3 && second.err.contains("past its budget"), "\(second.err)")
        #expect(!FileManager.default.fileExists(atPath: root + "/b.update"))
        let withoutBudget = zebra(["federated", "update", "--model", r0, "--seed-records", site, "--dp-clip", "1",
                                   "--out", root + "/c.update"])
        #expect(withoutBudget.code != 0 && withoutBudget.err.contains("need --dp-epsilon"))
    }

    @Test func simulatingTheProtocolIsDeterministic() throws {
        let root = try TestSupport.temporaryDirectory()
        let sites = try Self.sites(root)
        var models: [[UInt8]] = []
        for threads in ["1", "2"] {
            let out = root + "/f\(threads).model"
            let made = zebra(["federated", "simulate", "--disease", "gaucher", "--sites", sites.joined(separator: ","),
                              "--rounds", "2", "--learner-rounds", "3", "--threads", threads, "--out", out])
            try #require(made.code == 0, "\(made.err)")
            models.append(try readFileBytes(out))
        }
        #expect(models[0] == models[1])
    }
}
