import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

/// `simulate --shard K/N` then `merge` gives the unsharded run's folder, byte for byte.
@Suite struct ShardingTests {
    /// Every file of a folder and its subfolders, by relative path, with its bytes.
    func contents(_ folder: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        let files = try #require(FileManager.default.subpathsOfDirectory(atPath: folder) as [String]?)
        for name in files {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder), isFolder.boolValue {
                continue
            }
            result[name] = try readFileBytes(folder + "/" + name)
        }
        return result
    }

    @Test(arguments: [1, 3, 7], ["ndjson", "bundle", "omop", "csv"])
    func shardsMergeIntoTheUnshardedRun(shards: Int, format: String) throws {
        let root = try TestSupport.temporaryDirectory()
        let common = ["simulate", "--disease", "fabry", "--patients", "23", "--seed", "12", "--format", format]
        try #require(zebra(common + ["--out", root + "/whole"]).code == 0)
        var parts: [String] = []
        for k in 1...shards {
            let part = root + "/part-\(k)"
            let made = zebra(common + ["--shard", "\(k)/\(shards)", "--out", part])
            try #require(made.code == 0, "\(made.err)")
            parts.append(part)
        }
        let merged = zebra(["merge", "--shards", parts.joined(separator: ","), "--out", root + "/merged"])
        try #require(merged.code == 0, "\(merged.err)")
        let whole = try contents(root + "/whole"), joined = try contents(root + "/merged")
        try #require(whole.count > 3)
        #expect(Set(joined.keys) == Set(whole.keys))
        for (name, bytes) in whole { #expect(joined[name] == bytes, "\(name) differs") }
    }

    @Test func incompleteOrMixedShardsAreRefused() throws {
        let root = try TestSupport.temporaryDirectory()
        let common = ["simulate", "--disease", "gaucher", "--patients", "10", "--template-only"]
        for k in 1...3 {
            try #require(zebra(common + ["--seed", "1", "--shard", "\(k)/3", "--out", root + "/a\(k)"]).code == 0)
        }
        try #require(zebra(common + ["--seed", "2", "--shard", "3/3", "--out", root + "/b3"]).code == 0)
        let missing = zebra(["merge", "--shards", "\(root)/a1,\(root)/a2", "--out", root + "/m1"])
        #expect(missing.code != 0 && missing.err.contains("shards 1 to 3"))
        let mixed = zebra(["merge", "--shards", "\(root)/a1,\(root)/a2,\(root)/b3", "--out", root + "/m2"])
        #expect(mixed.code != 0 && mixed.err.contains("another run"))
        let badShard = zebra(common + ["--shard", "4/3", "--out", root + "/c"])
        #expect(badShard.code != 0 && badShard.err.contains("K/N"))
        #expect(!FileManager.default.fileExists(atPath: root + "/m1"))
    }
}
