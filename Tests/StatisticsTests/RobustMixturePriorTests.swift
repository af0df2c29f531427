import Foundation
import Testing
@testable import Statistics

/// The robust mixture prior's posterior against the conjugate normal formulas, and its
/// discounting of external data that conflict with the concurrent controls.
@Suite struct RobustMixturePriorTests {
    @Test func anInformativePriorAloneIsTheConjugateNormalUpdate() {
        let prior = RobustMixturePrior(externalMean: 5, externalSE: 0.5, outcomeSD: 4, informativeWeight: 1)
        let post = prior.posterior(concurrentMean: 6, concurrentSE: 1)
        // Precisions 4 and 1: mean (4·5 + 1·6)/5 = 5.2, variance 1/5.
        #expect(abs(post.mean - 5.2) < 1e-12 && abs(post.sd - (0.2).squareRoot()) < 1e-12)
        #expect(abs(prior.priorEffectiveSize - 64) < 1e-12)  // σ²/sₑ² = 16/0.25
    }

    @Test func conflictMovesTheWeightToTheVaguePart() {
        let prior = RobustMixturePrior(externalMean: 5, externalSE: 0.3, outcomeSD: 4)
        let agree = prior.posterior(concurrentMean: 5.1, concurrentSE: 0.8)
        let conflict = prior.posterior(concurrentMean: 9, concurrentSE: 0.8)
        #expect(agree.weights[0] > 0.8)
        #expect(conflict.weights[0] < 0.05)
        // Under conflict the posterior follows the concurrent controls, not the externals.
        #expect(abs(conflict.mean - 9) < 0.5 && abs(agree.mean - 5.05) < 0.2)
        // The mixture's quantiles bracket its mean and its CDF is a CDF.
        #expect(conflict.quantile(0.025) < conflict.mean && conflict.quantile(0.975) > conflict.mean)
        #expect(abs(conflict.cdf(conflict.quantile(0.3)) - 0.3) < 1e-9)
    }

    @Test func theEffectAddsTheTreatedArmsUncertainty() {
        let prior = RobustMixturePrior(externalMean: 5, externalSE: 0.5, outcomeSD: 4, informativeWeight: 1)
        let (effect, w) = prior.effect(treatedMean: 3, treatedSE: 0.6, concurrentMean: 6, concurrentSE: 1)
        #expect(w == 1)
        #expect(abs(effect.mean - (3 - 5.2)) < 1e-12)
        #expect(abs(effect.sd - (0.2 + 0.36).squareRoot()) < 1e-12)
    }
}
