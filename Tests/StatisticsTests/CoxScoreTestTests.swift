import Foundation
import Randomness
import Testing
@testable import Statistics

/// The robust score test of a weighted Cox model against a direct O(n²) computation of the score
/// residuals at β = 0 (Breslow, no ties), and its agreement with the log-rank test unweighted.
@Suite struct CoxScoreTestTests {
    /// Score residuals at β = 0 for one covariate, written out from their definition:
    /// `Lᵢ = δᵢ (xᵢ − x̄(tᵢ)) − Σ_{events j, tⱼ ≤ tᵢ} wⱼ (xᵢ − x̄(tⱼ)) / S₀(tⱼ)`.
    static func reference(_ t: [Double], _ d: [Bool], _ x: [Double], _ w: [Double]) -> Double {
        let n = t.count
        func mean(at time: Double) -> (Double, Double) {
            var s0 = 0.0, s1 = 0.0
            for k in 0..<n where t[k] >= time { s0 += w[k]; s1 += w[k] * x[k] }
            return (s1 / s0, s0)
        }
        var u = 0.0, v = 0.0
        for i in 0..<n {
            var l = 0.0
            if d[i] { l += x[i] - mean(at: t[i]).0 }
            for j in 0..<n where d[j] && t[j] <= t[i] {
                let (xbar, s0) = mean(at: t[j])
                l -= w[j] * (x[i] - xbar) / s0
            }
            u += w[i] * l
            v += w[i] * w[i] * l * l
        }
        return u * u / v
    }

    static func data(seed: UInt64, n: Int) -> ([Double], [Bool], [Double], [Double]) {
        var g = RandomStream(seed: seed)
        var t: [Double] = [], d: [Bool] = [], x: [Double] = [], w: [Double] = []
        for i in 0..<n {
            let arm = Double(i % 2)
            let event = -log(g.nextOpenUnit()) / (0.2 * exp(0.5 * arm))
            let censor = 8 * g.nextUnit()
            t.append(min(event, censor)); d.append(event <= censor); x.append(arm)
            w.append(arm == 1 ? 1 : 0.2 + 2.8 * g.nextUnit())
        }
        return (t, d, x, w)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func weightedRobustScoreMatchesTheDefinition(seed: UInt64) throws {
        let (t, d, x, w) = Self.data(seed: seed, n: 120)
        for ties in [CoxTieMethod.breslow, .efron] {
            let test = try CoxRegression.robustScoreTest(times: t, events: d, covariates: [Regressor("arm", x)],
                                                         weights: w, ties: ties)
            let expected = Self.reference(t, d, x, w)
            #expect(abs(test.chiSquare - expected) <= 1e-9 * expected, "\(ties): \(test.chiSquare) vs \(expected)")
            #expect(test.degreesOfFreedom == 1)
            #expect(abs(test.pValue - (try ChiSquaredDistribution(degreesOfFreedom: 1).sf(expected))) < 1e-12)
        }
    }

    /// Sampling weights are not counts: scaling every weight leaves the robust score test alone,
    /// while a log-rank test that counts weights as patients grows with them (issue 11).
    @Test func scalingTheWeightsDoesNotChangeTheTest() throws {
        let (t, d, x, w) = Self.data(seed: 4, n: 150)
        let arm = [Regressor("arm", x)]
        let one = try CoxRegression.robustScoreTest(times: t, events: d, covariates: arm, weights: w)
        let five = try CoxRegression.robustScoreTest(times: t, events: d, covariates: arm, weights: w.map { 5 * $0 })
        #expect(abs(one.chiSquare - five.chiSquare) < 1e-9 * one.chiSquare)
        let group = x.map { $0 == 1 }
        let counted = try LogRankTest.compare(times: t, events: d, inGroupB: group, weights: w)
        let counted5 = try LogRankTest.compare(times: t, events: d, inGroupB: group, weights: w.map { 5 * $0 })
        #expect(counted5.chiSquare > 4.9 * counted.chiSquare)
    }

    @Test func unweightedItIsCloseToTheLogRankTest() throws {
        let (t, d, x, _) = Self.data(seed: 9, n: 400)
        let score = try CoxRegression.robustScoreTest(times: t, events: d, covariates: [Regressor("arm", x)])
        let logRank = try LogRankTest.compare(times: t, events: d, inGroupB: x.map { $0 == 1 })
        // Same score; the robust and the hypergeometric variance agree to a few per cent here.
        #expect(abs(score.chiSquare / logRank.chiSquare - 1) < 0.1, "\(score.chiSquare) vs \(logRank.chiSquare)")
        #expect(logRank.chiSquare > 4)
    }
}
