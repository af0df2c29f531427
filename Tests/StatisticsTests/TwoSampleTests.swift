import Testing
@testable import Statistics

/// Reference numbers from scipy 1.17 (see reference_values.py).
@Suite struct TwoSampleTests {
    static let a = [-0.8, -1.32, -0.25, 0.42, 1.14, 0.11, -0.55, -0.78, 0.75, 1.63, 0.27, -1.23, -0.96, 1.6, 0.2, -1.73,
                    -0.08, -1.16, -0.63, -0.49, -0.71, 0.55, -0.06, -0.59, 0.41, 0.83, -1.64, -0.26, -0.98, -0.17,
                    -1.29, 0.02, -0.04, -0.3, -1.05, -0.4, -1.09]
    static let b = [-1.36, 0.69, -1.04, 1.92, 1.33, -2.2, 0.75, -1.03, 0.44, 0.46, -2.18, 0.1, 0.07, 1.65, -1.14, 1.36,
                    -1.03, -0.03, -0.69, 2.28, 1.14, 3.56, 1.23]
    static let wa = [1.53, 1.2, 0.83, 1.46, 0.66, 1.54, 1.45, 1.06, 1.7, 0.79, 1.09, 1.7, 1.07, 1.57, 1.42, 1.91, 1.99,
                     1.59, 1.71, 0.73, 1.57, 1.77, 1.1, 1.33, 1.22, 1.94, 0.98, 1.1, 0.5, 1.13, 1.45, 1.9, 1.89, 0.99,
                     1.98, 0.78, 1.73]

    @Test func kolmogorovSmirnov() throws {
        let r = try TwoSample.kolmogorovSmirnov(Self.a, Self.b)
        #expect(close(r.statistic, 0.35957696827262, rel: 1e-12))      // ks_2samp statistic
        #expect(close(r.pValue, 0.051070178316947, rel: 1e-10))        // kstwobign.sf(sqrt(en) D)
        #expect(try TwoSample.kolmogorovSmirnov(Self.a, Self.a).statistic == 0)
        // Ties across samples must be stepped over together: identical samples give D = 0.
        #expect(try TwoSample.kolmogorovSmirnov([1, 1, 2], [1, 2, 2]).statistic == 1.0 / 3)
    }

    @Test(arguments: [
        (0.3, 0.999990694198665), (0.5, 0.963945243664875), (1.0, 0.269999671677355),
        (1.36, 0.049485876755378), (2.0, 0.00067092525578),
    ])
    func kolmogorovDistribution(lambda: Double, expected: Double) {
        #expect(close(TwoSample.kolmogorovSurvival(lambda), expected, rel: 1e-12))
    }

    @Test func wasserstein() throws {
        #expect(close(try TwoSample.wasserstein1(Self.a, Self.b), 0.704947121034078, rel: 1e-12))
        #expect(close(try TwoSample.wasserstein1(Self.a, Self.b, weightsA: Self.wa), 0.707608954656905, rel: 1e-12))
        // A shift moves every unit of mass by the shift.
        #expect(close(try TwoSample.wasserstein1([0, 1, 2], [3, 4, 5]), 3))
        #expect(close(try TwoSample.wasserstein1([0], [0, 1]), 0.5))
    }

    @Test func aucWithStandardErrors() throws {
        // scipy mannwhitneyu(b, a) U = 536; DeLong and Hanley–McNeil from their O(mn) definitions in numpy.
        let r = try TwoSample.auc(positives: Self.b, negatives: Self.a)
        #expect(r.mannWhitneyU == 536)
        #expect(close(r.auc, 0.629847238542891, rel: 1e-12))
        #expect(close(r.delongStandardError, 0.083924071528802, rel: 1e-11))
        #expect(close(r.hanleyMcNeilStandardError, 0.075588020930542, rel: 1e-11))
        let perfect = try TwoSample.auc(positives: [3, 4], negatives: [1, 2])
        #expect(perfect.auc == 1 && perfect.delongStandardError == 0)
        let ties = try TwoSample.auc(positives: [1, 1], negatives: [1, 1])
        #expect(ties.auc == 0.5)
        #expect(throws: StatisticsError.self) { try TwoSample.auc(positives: [1], negatives: [0, 1]) }
    }
}

@Suite struct MonteCarloTests {
    @Test(arguments: [
        // statsmodels proportion_confint(method="wilson")
        (7, 40, 0.087454137460359, 0.319499903317877), (0, 25, 0.0, 0.133192250939049),
        (25, 25, 0.866807749060951, 1.0), (512, 1000, 0.481032554406091, 0.542875603390256),
    ])
    func wilsonInterval(successes: Int, trials: Int, lower: Double, upper: Double) throws {
        let ci = try MonteCarlo.wilsonInterval(successes: successes, trials: trials)
        #expect(close(ci.lower, lower, rel: 1e-12) && close(ci.upper, upper, rel: 1e-12))
    }

    @Test func standardErrors() throws {
        #expect(close(try MonteCarlo.standardErrorOfMean([1, 2, 3, 4]), (5.0 / 3 / 4).squareRoot()))
        #expect(close(try MonteCarlo.standardErrorOfProportion(successes: 30, trials: 100), (0.21 / 100).squareRoot()))
        #expect(throws: StatisticsError.self) { try MonteCarlo.standardErrorOfProportion(successes: 3, trials: 2) }
        #expect(throws: StatisticsError.self) { try MonteCarlo.wilsonInterval(successes: 0, trials: 0) }
    }
}
