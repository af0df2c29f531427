import Foundation
import Testing
@testable import TrialDesign

/// trial-sim in parts (`--shard K/N`): parts written as text, read back and joined give the
/// unsharded run's operating characteristics byte for byte; parts of another run, a missing or
/// doubled block of replicates, and damaged files are refused.
struct TrialSimShardTests {
    static func simulation(seed: UInt64 = 7) throws -> TrialSimulation {
        let plan = try Fixtures.plan("friedreich-ataxia-moxie.json")
        return Fixtures.simulation(plan, effect: .difference(-2), replicates: 23, seed: seed,
                                   designs: [.randomized, .hybridDynamic, .syntheticWeighting], treated: 20,
                                   concurrent: 20, hybrid: 10, external: 80, pool: 300, pools: 3)
    }

    /// Every output of a run, as the files hold them.
    static func outputs(_ oc: OperatingCharacteristics) -> [String] {
        [oc.json().text(), oc.csv(), oc.replicatesCSV(), oc.table(), oc.ratesChart(), oc.errorsChart()]
    }

    /// The `k`-th of `n` replicate blocks, as `Shard.range(of:)` cuts them.
    static func block(_ k: Int, of n: Int, _ total: Int) -> Range<Int> { (k - 1) * total / n ..< k * total / n }

    @Test(arguments: [1, 3, 7])
    func partsJoinIntoTheUnshardedRun(shards: Int) throws {
        let sim = try Self.simulation()
        let whole = try sim.run()
        try #require(whole.results.count == 23)
        var parts: [TrialSimPart] = []
        for k in 1...shards {
            let text = try sim.runPart(Self.block(k, of: shards, 23)).text()
            parts.append(try TrialSimPart(parsing: text, file: "part-\(k)"))
            // Reading a part back and writing it again gives the same text: nothing is rounded.
            #expect(parts.last!.text() == text)
        }
        let joined = try TrialSimPart.operatingCharacteristics(parts.reversed())
        let a = Self.outputs(whole), b = Self.outputs(joined)
        try #require(a.count == b.count)
        for i in a.indices { #expect(a[i] == b[i], "output \(i) differs") }
        #expect(joined.performance.count == 3)
        #expect(joined.performance.allSatisfy { $0.succeeded > 0 })
    }

    @Test func partsOfAnotherRunOrWithGapsAreRefused() throws {
        let sim = try Self.simulation()
        let first = try sim.runPart(0..<10), rest = try sim.runPart(10..<23)
        let other = try Self.simulation(seed: 8).runPart(10..<23)
        #expect(throws: TrialDesignError.self) { try TrialSimPart.operatingCharacteristics([first, other]) }
        #expect(throws: TrialDesignError.self) { try TrialSimPart.operatingCharacteristics([first]) }
        #expect(throws: TrialDesignError.self) { try TrialSimPart.operatingCharacteristics([first, first, rest]) }
        #expect(throws: TrialDesignError.self) { try TrialSimPart.operatingCharacteristics([]) }
        #expect(try TrialSimPart.operatingCharacteristics([rest, first]).replicates == 23)
    }

    @Test func damagedPartsNameTheFileAndLine() throws {
        let text = try Self.simulation().runPart(0..<4).text()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let r = try #require(lines.firstIndex { $0.hasPrefix("r\t1\t") })
        lines[r] = lines[r].replacingOccurrences(of: "\t", with: "\tx", options: [], range: nil)
        do {
            _ = try TrialSimPart(parsing: lines.joined(separator: "\n"), file: "p.tsv")
            Issue.record("a damaged replicate line was read")
        } catch {
            #expect(error.message.contains("p.tsv, line \(r + 1)"), "\(error.message)")
        }
        let truncated = text.split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
        #expect(throws: TrialDesignError.self) { try TrialSimPart(parsing: truncated, file: "p.tsv") }
        #expect(throws: TrialDesignError.self) { try TrialSimPart(parsing: "not a part\n", file: "p.tsv") }
    }
}
