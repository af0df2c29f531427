import Foundation
import Testing
@testable import TrialDesign

/// trial-sim over several independent pools (issue 11): replicates spread over the pools, Monte
/// Carlo SEs across pools (pools as clusters) checked by hand from replicates.csv.
struct TrialSimPoolsTests {
    static func simulate(pools: Int) throws -> OperatingCharacteristics {
        let plan = try Fixtures.plan("friedreich-ataxia-moxie.json")
        return try Fixtures.simulation(plan, effect: .difference(-2), replicates: 90, seed: 7,
                                       designs: [.randomized, .hybrid], treated: 30, concurrent: 30, hybrid: 15,
                                       external: 200, pool: 600, pools: pools).run()
    }

    @Test func monteCarloErrorsAreClusteredByPool() throws {
        let oc = try Self.simulate(pools: 3)
        #expect(oc.pools == 3)
        let lines = oc.replicatesCSV().split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        try #require(lines.count == 90 * 2)
        #expect(Set(lines.map { $0[1] }) == ["0", "1", "2"])
        for design in [TrialDesignKind.randomized, .hybrid] {
            let rows = lines.filter { $0[2] == Substring(design.rawValue) && !$0[14].isEmpty }
            var y = [0.0, 0.0, 0.0], n = [0.0, 0.0, 0.0]
            for r in rows { let k = Int(r[1])!; y[k] += r[14] == "1" ? 1 : 0; n[k] += 1 }
            let total = n.reduce(0, +), p = y.reduce(0, +) / total
            let ss = (0..<3).reduce(0.0) { $0 + pow(y[$1] - p * n[$1], 2) }
            let byHand = (1.5 * ss).squareRoot() / total
            let perf = try #require(oc.performance(of: design))
            #expect(abs(perf.typeIError.value - p) < 1e-12)
            #expect(abs(perf.typeIError.standardError - byHand) < 1e-12, "\(design)")
            let within = try #require(perf.typeIError.withinPoolStandardError)
            #expect(abs(within - (p * (1 - p) / total).squareRoot()) < 1e-12)
        }
    }

    @Test func onePoolKeepsTheWithinPoolErrorsAndItsReplicates() throws {
        let one = try Self.simulate(pools: 1)
        #expect(one.pools == 1)
        let hybrid = try #require(one.performance(of: .hybrid))
        #expect(hybrid.typeIError.withinPoolStandardError == nil)
        // The first pool of a multi-pool run is the single pool: its replicates are the same trials.
        let three = try Self.simulate(pools: 3)
        let a = one.replicatesCSV().split(separator: "\n").dropFirst().prefix(60)
        let b = three.replicatesCSV().split(separator: "\n").dropFirst().prefix(60)
        #expect(Array(a) == Array(b))
    }
}

/// Dynamic borrowing in trial-sim: it borrows some of the externals and keeps its error rates.
struct DynamicBorrowingTests {
    @Test func borrowsLessThanItsPriorAndKeepsCoverage() throws {
        let plan = try Fixtures.plan("friedreich-ataxia-moxie.json")
        let oc = try Fixtures.simulation(plan, effect: .difference(-2), replicates: 120, seed: 4,
                                         designs: [.hybrid, .hybridDynamic], treated: 40, concurrent: 40, hybrid: 20,
                                         external: 300, pool: 1_000, pools: 2).run()
        let p = try #require(oc.performance(of: .hybridDynamic))
        #expect(p.succeeded == 120)
        let prior = try #require(p.meanPriorEffectiveControls), borrowed = try #require(p.meanBorrowedControls)
        #expect(borrowed > 0 && borrowed < prior)
        #expect(p.coverage.value > 0.88, "coverage \(p.coverage.value)")
        #expect(abs(p.bias.value) < 0.3)
    }
}
