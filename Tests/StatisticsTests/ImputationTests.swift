import Foundation
import Randomness
import Testing
@testable import Statistics

/// Multiple imputation: Rubin's rules on numbers worked by hand, and chained equations recovering
/// a mean that complete-case analysis gets wrong when values are missing at random given the outcome.
@Suite struct ImputationTests {
    /// Q̄ = 2, Ū = 0.5, B = 1, T = 0.5 + (4/3)·1, λ = (4/3)/T, ν_old = (m − 1)/λ² (Rubin 1987, eq. 3.1.6).
    @Test func rubinsRulesOnWorkedNumbers() throws {
        let p = try RubinsRules.pool(estimates: [1, 2, 3], variances: [0.5, 0.5, 0.5])
        let t = 0.5 + 4.0 / 3.0, lambda = (4.0 / 3.0) / t
        #expect(p.estimate == 2)
        #expect(abs(p.withinVariance - 0.5) < 1e-15 && abs(p.betweenVariance - 1) < 1e-15)
        #expect(abs(p.standardError - t.squareRoot()) < 1e-14)
        #expect(abs(p.fractionMissingInformation - lambda) < 1e-14)
        #expect(abs(p.degreesOfFreedom - 2 / (lambda * lambda)) < 1e-12)
        // With 10 complete-data df, Barnard–Rubin: ν_obs = (11/13)·10·(1 − λ),
        // ν = ν_old ν_obs / (ν_old + ν_obs).
        let small = try RubinsRules.pool(estimates: [1, 2, 3], variances: [0.5, 0.5, 0.5], completeDataDF: 10)
        let old = 2 / (lambda * lambda), obs = 11.0 / 13.0 * 10 * (1 - lambda)
        #expect(abs(small.degreesOfFreedom - old * obs / (old + obs)) < 1e-12)
        #expect(small.upper - small.estimate > p.upper - p.estimate)
        // No between-imputation variance: the complete-data analysis, T = Ū.
        let same = try RubinsRules.pool(estimates: [1, 1], variances: [0.25, 0.25], completeDataDF: 30)
        #expect(same.standardError == 0.5 && same.fractionMissingInformation == 0)
        #expect(abs(same.degreesOfFreedom - 31.0 / 33.0 * 30) < 1e-12)
        #expect(throws: StatisticsError.self) { try RubinsRules.pool(estimates: [1], variances: [1]) }
    }

    /// x2 is missing more often when y is high (MAR given y): the observed x2 underestimate its
    /// mean; imputation from x1 and y recovers it.
    @Test(arguments: [1, 2, 3] as [UInt64]) func chainedEquationsRecoverAMean(seed: UInt64) throws {
        var g = RandomStream(seed: seed)
        var data: [[Double]] = [], aux: [[Double]] = []
        var trueMean = 0.0
        for _ in 0..<600 {
            let x1 = g.nextNormal(), x2 = 0.8 * x1 + 0.6 * g.nextNormal()
            let y = x1 + x2 + g.nextNormal()
            trueMean += x2 / 600
            let missing = g.nextUnit() < 1 / (1 + exp(-(y - 0.5)))
            data.append([x1, missing ? .nan : x2]); aux.append([y])
        }
        let observed = data.map { $0[1] }.filter { !$0.isNaN }
        #expect(observed.count > 150 && observed.count < 450)
        let completeCase = observed.reduce(0, +) / Double(observed.count)
        #expect(completeCase - trueMean < -0.2, "complete case \(completeCase) vs \(trueMean)")
        let mice = ChainedEquations(imputations: 10, iterations: 5)
        let sets = try mice.complete(data, groups: [[0], [1]], auxiliary: aux, seed: seed)
        #expect(sets.count == 10)
        let means = sets.map { set in set.map { $0[1] }.reduce(0, +) / 600 }
        let pooled = means.reduce(0, +) / 10
        #expect(abs(pooled - trueMean) < 0.25 * abs(completeCase - trueMean),
                "MI mean \(pooled) vs \(trueMean) (complete case \(completeCase))")
        #expect(Set(means).count > 1, "imputations must differ")
        // Observed values are never changed; imputed ones are observed values (matching).
        let values = Set(observed)
        for set in sets {
            for (r, row) in set.enumerated() {
                #expect(data[r][1].isNaN ? values.contains(row[1]) : row[1] == data[r][1])
            }
        }
    }

    /// A categorical covariate (indicator columns) is imputed as a whole: one observed category per row.
    @Test func categoriesAreImputedWhole() throws {
        var g = RandomStream(seed: 9)
        var data: [[Double]] = []
        for _ in 0..<200 {
            let c = g.nextInt(below: 3), x = Double(c) + g.nextNormal()
            var row = [x, 0, 0, 0]
            row[1 + c] = 1
            if g.nextUnit() < 0.2 { row[1] = .nan; row[2] = .nan; row[3] = .nan }
            data.append(row)
        }
        let sets = try ChainedEquations(imputations: 3).complete(data, groups: [[0], [1, 2, 3]], seed: 4)
        #expect(sets.count == 3)
        for set in sets {
            #expect(set.count == 200)
            for row in set { #expect(row[1] + row[2] + row[3] == 1 && row[1...3].allSatisfy { $0 == 0 || $0 == 1 }) }
        }
        // Each imputation is its own stream: the first three of five are the three made alone.
        let five = try ChainedEquations(imputations: 5).complete(data, groups: [[0], [1, 2, 3]], seed: 4)
        #expect(Array(five.prefix(3)) == sets)
        #expect(throws: StatisticsError.self) {
            var bad = data
            bad[0][2] = .nan; bad[0][1] = 1
            _ = try ChainedEquations().complete(bad, groups: [[0], [1, 2, 3]], seed: 1)
        }
    }

    /// The Nelson–Aalen hazard the imputation model uses for a time to event: H(1) = 1/4,
    /// H(2) = 1/4 + 1/3 (a censoring tied at 2 gets it too), H(3) = H(2) + 1/1.
    @Test func nelsonAalenByHand() {
        let h = NelsonAalen.cumulativeHazard(times: [3, 2, 1, 2], events: [true, false, true, true])
        #expect(h.count == 4)
        let expected = [0.25 + 1.0 / 3 + 1, 0.25 + 1.0 / 3, 0.25, 0.25 + 1.0 / 3]
        for (a, b) in zip(h, expected) { #expect(abs(a - b) < 1e-15) }
    }
}
