import Foundation
import Statistics
import Testing
@testable import TrialDesign

/// Matching, weighting and the variance of weighted estimates, on small known cases.
struct MatchingTests {
    @Test func greedyMatchingServesTheHighestScoreFirstWithinTheCaliper() {
        // Treated 2.0 is served first and takes control 1.9; treated 1.0 then takes 1.05 (not 0.9
        // at 0.1); treated -3 has nothing within 0.5 and stays unmatched.
        let set = Matching.greedy(treatedLogits: [1.0, 2.0, -3.0], controlLogits: [0.9, 1.05, 1.9, 0.0], ratio: 1,
                                  caliper: 0.5)
        #expect(set.matches == [[1], [2], []])
        #expect(set.unmatchedTreated == 1)
        #expect(set.matchedTreated == [0, 1])
        #expect(set.controlWeights(controlCount: 4) == [0, 1, 1, 0])
    }

    @Test func ratioMatchingTakesOneControlPerRoundWithoutReplacement() {
        // Round 1: 0.5 takes 0.5 (exact), 0.0 takes 0.1; round 2: 0.5 takes 0.7, 0.0 takes -0.1.
        // Ties in distance go to the lower control index (0.6 and 0.4 around 0.5 → index of 0.4 is 2 < 4).
        let set = Matching.greedy(treatedLogits: [0.0, 0.5], controlLogits: [0.1, 0.5, 0.4, -0.1, 0.6], ratio: 3,
                                  caliper: 1)
        #expect(set.matches[1] == [1, 2, 4])
        #expect(set.matches[0] == [0, 3])
        let w = set.controlWeights(controlCount: 5)
        let third = 1.0 / 3
        let expected: [Double] = [0.5, third, third, 0.5, third]
        #expect(w == expected)
    }

    @Test func attWeightsAreTheOddsOfTheScore() throws {
        let score = PropensityScore(names: ["x"], coefficients: [0, 1], treatedLogits: [0.2],
                                    controlLogits: [0, log(3.0), -log(4.0)])
        let w = score.attWeights()
        #expect(abs(w[0] - 1) < 1e-12 && abs(w[1] - 3) < 1e-12 && abs(w[2] - 0.25) < 1e-12)
    }

    /// With weights that do not follow the score, the stacked sandwich's outcome block is the
    /// weighted least-squares HC1 covariance of the Statistics module.
    @Test func stackedSandwichReducesToHC1WhenWeightsAreFixed() throws {
        let n = 30
        let x = (0..<n).map { Double($0 % 7) / 3 - 1 }
        let t = (0..<n).map { $0 % 3 == 0 ? 1.0 : 0.0 }
        let y = (0..<n).map { i in 1 + 2 * t[i] + 0.5 * x[i] + sin(Double(i)) }
        let w = (0..<n).map { 0.5 + Double($0 % 4) / 4 }
        let fit = try LinearRegression.fit(response: y, regressors: [Regressor("t", t), Regressor("x", x)], weights: w)
        let rows = (0..<n).map {
            PropensityRow(x: [1, x[$0]], label: t[$0], fitted: 0.3 + 0.01 * Double($0 % 5), weightDerivative: 0)
        }
        let v = try EstimatedWeightsVariance.covariance(z: (0..<n).map { [1, t[$0], x[$0]] }, residuals: fit.residuals,
                                                        weights: w, outcomeRow: Array(0..<n), propensity: rows,
                                                        ridge: 0)
        for j in 0..<3 {
            for k in 0..<3 {
                #expect(abs(v[2 + j, 2 + k] - fit.robustCovariance[j, k])
                    < 1e-10 * max(1, abs(fit.robustCovariance[j, k])))
            }
        }
    }

    /// Against a reference: the stacked sandwich `A⁻¹ B A⁻ᵀ` with `A` from central differences of
    /// the estimating equations (logistic score, then normal equations weighted by the odds).
    @Test func stackedSandwichMatchesNumericalDifferentiation() throws {
        let n = 40
        let x = (0..<n).map { Double($0 % 9) / 4 - 1 }
        let t = (0..<n).map { ($0 % 4 == 0 || $0 % 9 == 8) ? 1.0 : 0.0 }
        let y = (0..<n).map { i in 3 * t[i] + x[i] + cos(Double(i)) }
        let ps = try LogisticRegression.fit(outcome: t, regressors: [Regressor("x", x)])
        let gamma = ps.coefficients
        func weight(_ i: Int, _ g: [Double]) -> Double { t[i] == 1 ? 1 : exp(g[0] + g[1] * x[i]) }
        let w = (0..<n).map { weight($0, gamma) }
        let fit = try LinearRegression.fit(response: y, regressors: [Regressor("t", t), Regressor("x", x)], weights: w)
        let z = (0..<n).map { [1, t[$0], x[$0]] }
        let rows = (0..<n).map { i in
            PropensityRow(x: [1, x[i]], label: t[i], fitted: ps.fittedProbabilities[i], weightDerivative: t[i] == 0 ? 1 : 0)
        }
        let v = try EstimatedWeightsVariance.covariance(z: z, residuals: fit.residuals, weights: w,
                                                        outcomeRow: Array(0..<n), propensity: rows, ridge: 0)
        // Reference: θ = (γ0, γ1, β0, β1, β2).
        func psi(_ i: Int, _ th: [Double]) -> [Double] {
            let e = 1 / (1 + exp(-(th[0] + th[1] * x[i])))
            let r = y[i] - (th[2] + th[3] * t[i] + th[4] * x[i])
            let wi = weight(i, [th[0], th[1]])
            return [(t[i] - e), (t[i] - e) * x[i], wi * r, wi * r * t[i], wi * r * x[i]]
        }
        let theta = gamma + fit.coefficients
        var a = Matrix(rows: 5, columns: 5), b = Matrix(rows: 5, columns: 5)
        for k in 0..<5 {
            var up = theta, down = theta
            let h = 1e-6 * max(1, abs(theta[k]))
            up[k] += h; down[k] -= h
            for i in 0..<n {
                let pu = psi(i, up), pd = psi(i, down)
                for j in 0..<5 { a[j, k] -= (pu[j] - pd[j]) / (2 * h) }
            }
        }
        for i in 0..<n {
            let p = psi(i, theta)
            for j in 0..<5 { for k in 0..<5 { b[j, k] += p[j] * p[k] } }
        }
        let ainv = try a.inverse()
        let reference = try ainv.multiplied(by: b).multiplied(by: ainv.transposed())
            .scaled(by: Double(n) / Double(n - 3))
        for j in 0..<5 {
            for k in 0..<5 { #expect(abs(v[j, k] - reference[j, k]) < 1e-5 * max(1e-3, abs(reference[j, k]))) }
        }
        // Taking the score as known would give a different (here smaller) variance of the effect.
        #expect(abs(v[3, 3] - fit.robustCovariance[1, 1]) > 1e-3 * v[3, 3])
    }
}
