import Evaluation
import Testing
import Timelines

@Suite struct FairnessTests {
    @Test func underRepresentedGroupIsFlagged() throws {
        let real = Fixtures.registry(count: 200, seed: 41)
        // Keep one woman in five.
        var women = 0
        let synthetic = real.filter { t in
            guard t.sex == .female else { return true }
            women += 1
            return women % 5 == 0
        }
        let e = Evaluation(EvaluationInput(template: Fixtures.gaucher, real: real, synthetic: synthetic),
                           options: Fixtures.options())
        #expect(e.metric("representation.flag", group: "female")?.value == -1)
        #expect(e.metric("representation.flag", group: "male")?.value == 1)
        let ratio = try #require(e.metric("representation.ratio", group: "female")?.value)
        #expect(ratio < 0.5)
        #expect(try #require(e.metric("representation.flagged-groups")?.value) >= 2)
        #expect(e.notes.contains { $0.contains("female: under-represented") })
        // The women who are kept are real women: their own figures still match.
        #expect(try #require(e.metric("measures.mean-ks", group: "male")?.value) == 0)
    }

    @Test func flagNeedsBothRatioAndSignificance() {
        // 10% vs 20% of 1000 each: ratio 0.5, far beyond 2 SE.
        #expect(FairnessFlag.flag(real: 200, of: 1000, synthetic: 100, of: 1000) == -1)
        // The same ratio on 10 patients is noise.
        #expect(FairnessFlag.flag(real: 2, of: 10, synthetic: 1, of: 10) == 0)
        // A large but proportionate difference is not flagged.
        #expect(FairnessFlag.flag(real: 500, of: 1000, synthetic: 560, of: 1000) == 0)
        #expect(FairnessFlag.flag(real: 100, of: 1000, synthetic: 200, of: 1000) == 1)
    }
}
