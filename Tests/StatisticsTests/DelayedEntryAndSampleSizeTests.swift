import Testing
@testable import Statistics

/// Kaplan–Meier with delayed entry against a hand calculation, and sample sizes against their formulas.
@Suite struct DelayedEntryAndSampleSizeTests {
    /// (entry, time, event): (0,5,1) (2,6,0) (3,4,1) (1,8,1) (7,9,0). At risk just before 4: the four who
    /// entered before it; before 5: 3; before 6: 2; before 8: 2 (the one entering at 7 has joined); before 9: 1.
    @Test func delayedEntryMatchesAHandCalculation() throws {
        let curve = try KaplanMeier.estimate(entries: [0, 2, 3, 1, 7], times: [5, 6, 4, 8, 9],
                                             events: [true, false, true, true, false])
        try #require(curve.times.count == 5)
        #expect(curve.times == [4, 5, 6, 8, 9])
        #expect(curve.atRisk == [4, 3, 2, 2, 1])
        let expected = [0.75, 0.5, 0.5, 0.25, 0.25]
        for (s, e) in zip(curve.survival, expected) { #expect(abs(s - e) < 1e-12) }
        // Greenwood: Σ d / (n (n − d)) = 1/12 + 1/6 + 1/2 at the last drop.
        #expect(abs(curve.greenwoodSums[3] - (1.0 / 12 + 1.0 / 6 + 1.0 / 2)) < 1e-12)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func entryAtZeroIsTheOrdinaryEstimate(seed: UInt64) throws {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let times = (0..<60).map { _ in (next() * 20).rounded() / 2 + 0.5 }
        let events = times.map { _ in next() < 0.6 }
        let plain = try KaplanMeier.estimate(times: times, events: events)
        let delayed = try KaplanMeier.estimate(entries: Array(repeating: 0, count: 60), times: times, events: events)
        #expect(plain.times == delayed.times)
        #expect(plain.atRisk == delayed.atRisk)
        for (a, b) in zip(plain.survival, delayed.survival) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func anEntryAfterItsTimeIsRefused() {
        #expect(throws: StatisticsError.self) {
            try KaplanMeier.estimate(entries: [3], times: [2], events: [true])
        }
    }

    /// 2 (1.959964 + 0.841621)² / 0.5² = 62.8 → 63;
    /// Schoenfeld for HR 0.5: 4 (2.801585)² / ln(0.5)² = 65.3 → 66.
    @Test func sampleSizesFollowTheirFormulas() throws {
        #expect(SampleSize.perArm(meanDifference: 0.5, sd: 1, power: 0.8) == 63)
        #expect(SampleSize.perArm(meanDifference: -0.5, sd: 1, power: 0.9) == 85)
        #expect(SampleSize.events(hazardRatio: 0.5, power: 0.8) == 66)
        #expect(SampleSize.events(hazardRatio: 1, power: 0.8) == nil)
        // Control risk 0.3, treated 1 − 0.7^0.5 = 0.1633: 66 / 0.4633 = 142.5 → 143 per arm.
        #expect(SampleSize.perArm(events: 66, controlProbability: 0.3, hazardRatio: 0.5) == 143)
    }
}
