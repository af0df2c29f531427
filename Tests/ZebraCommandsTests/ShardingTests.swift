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

/// `trial-sim --shard K/N` then `merge` gives the unsharded trial-sim folder, byte for byte.
@Suite struct TrialSimShardingTests {
    @Test func trialSimShardsMergeIntoTheUnshardedRun() throws {
        let root = try TestSupport.temporaryDirectory()
        let common = ["trial-sim", "--trial", TestSupport.trialsDirectory + "/friedreich-ataxia-moxie.json",
                      "--effect", "-2", "--replicates", "11", "--pools", "2", "--pool", "300", "--treated", "15",
                      "--external", "60", "--designs", "randomized-1:1,hybrid", "--template-only", "--seed", "4"]
        let whole = zebra(common + ["--out", root + "/whole"])
        try #require(whole.code == 0, "\(whole.err)")
        var parts: [String] = []
        for k in 1...3 {
            let made = zebra(common + ["--shard", "\(k)/3", "--out", root + "/part-\(k)"])
            try #require(made.code == 0, "\(made.err)")
            parts.append(root + "/part-\(k)")
        }
        let merged = zebra(["merge", "--shards", parts.joined(separator: ","), "--out", root + "/merged"])
        try #require(merged.code == 0, "\(merged.err)")
        let a = try ShardingTests().contents(root + "/whole"), b = try ShardingTests().contents(root + "/merged")
        try #require(a.count == 7)
        #expect(Set(a.keys) == Set(b.keys))
        for (name, bytes) in a { #expect(b[name] == bytes, "\(name) differs") }
        // A part of a run with another seed is refused, naming the problem.
        let other = zebra(Array(common.dropLast()) + ["5", "--shard", "3/3", "--out", root + "/other-3"])
        try #require(other.code == 0)
        let mixed = zebra(["merge", "--shards", "\(parts[0]),\(parts[1]),\(root)/other-3", "--out", root + "/m"])
        #expect(mixed.code != 0 && mixed.err.contains("different runs"), "\(mixed.err)")
        #expect(!FileManager.default.fileExists(atPath: root + "/m"))
    }
}
