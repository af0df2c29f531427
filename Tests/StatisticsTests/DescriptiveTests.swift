import Testing
@testable import Statistics

@Suite struct DescriptiveTests {
    let x = [3.1, -0.4, 2.2, 7.9, 5.5, 2.2, 0.0, 4.8, 6.1, 1.3]
    let y = [1.0, 0.2, 2.5, 6.0, 5.1, 1.9, -1.0, 3.3, 7.2, 1.1]
    let w = [1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 0.2, 1.0, 2.5, 1.0]

    @Test func meanVarianceAndSD() throws {
        // numpy: mean, var(ddof=1)
        #expect(close(try Descriptive.mean(x), 3.27))
        #expect(close(try Descriptive.variance(x), 7.45788888888889))
        #expect(close(try Descriptive.standardDeviation(x), 7.45788888888889.squareRoot()))
    }

    @Test func varianceIsAccurateFarFromZero() throws {
        // A naive sum-of-squares formula loses every digit here; two-pass keeps them.
        let shifted = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]
        #expect(close(try Descriptive.variance(shifted), 30))
    }

    @Test func weightedMeanAndVariance() throws {
        // numpy average; reliability variance Σw(x-m)² / (V1 - V2/V1) computed in numpy.
        #expect(close(try Descriptive.weightedMean(x, weights: w), 3.554744525547445))
        #expect(close(try Descriptive.weightedVariance(x, weights: w), 8.070555898702905))
        // Equal weights reduce every kind to its unweighted counterpart.
        let ones = [Double](repeating: 1, count: x.count)
        #expect(close(try Descriptive.weightedVariance(x, weights: ones), 7.45788888888889))
        #expect(close(try Descriptive.weightedVariance(x, weights: ones, kind: .frequency), 7.45788888888889))
        #expect(close(try Descriptive.weightedVariance(x, weights: ones, kind: .population), 7.45788888888889 * 0.9))
        #expect(close(try Descriptive.effectiveSampleSize(weights: [1, 1, 2]), 16.0 / 6))
    }

    @Test func quantilesMatchNumPyType7() throws {
        // numpy.quantile(x, [0, 0.1, 0.25, 0.5, 0.9, 1]) (default linear = type 7)
        let q = try Descriptive.quantiles(x, [0, 0.1, 0.25, 0.5, 0.9, 1])
        #expect(close(q, [-0.4, -0.04, 1.525, 2.65, 6.28, 7.9], rel: 1e-12, abs: 1e-12))
        #expect(close(try Descriptive.median(x), 2.65))
        #expect(close(try Descriptive.interquartileRange(x), 3.8))
        #expect(close(try Descriptive.quantile(sorted: x.sorted(), 0.1), -0.04, abs: 1e-12))
        #expect(try Descriptive.median([4, 1, 3]) == 3)
    }

    @Test func correlations() throws {
        // scipy.stats.pearsonr / spearmanr (x has a tie at 2.2)
        #expect(close(try Descriptive.pearsonCorrelation(x, y), 0.921398096156643, rel: 1e-12))
        #expect(close(try Descriptive.spearmanCorrelation(x, y), 0.899700204646496, rel: 1e-12))
        #expect(try Descriptive.ranks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
    }

    @Test func covarianceMatrixMatchesNumPy() throws {
        let xy = zip(x, y).map { $0 * $1 }
        let c = try Descriptive.covarianceMatrix(columns: [x, y, xy])
        // numpy.cov(vstack([x, y, x*y]))
        let expected = try Matrix([[7.457888888888888, 6.674333333333333, 46.34824444444444],
                                   [6.674333333333333, 7.035666666666666, 46.06686666666668],
                                   [46.34824444444444, 46.06686666666668, 338.0638488888889]])
        #expect(c.maxAbsoluteDifference(to: expected) < 1e-11)
        let r = try Descriptive.correlationMatrix(columns: [x, y])
        #expect(close(r[0, 1], 0.921398096156643, rel: 1e-12) && r[0, 0] == 1 && r[1, 0] == r[0, 1])
    }

    @Test func standardizedMeanDifferenceAndVarianceRatio() throws {
        let treated = [1.0, 2, 3, 4], control = [2.0, 4, 6]
        // By hand: m1 = 2.5, v1 = 5/3; m0 = 4, v0 = 4; SMD = -1.5 / sqrt((5/3 + 4) / 2).
        #expect(close(try Descriptive.standardizedMeanDifference(treated: treated, control: control),
                      -1.5 / ((5.0 / 3 + 4) / 2).squareRoot()))
        #expect(close(try Descriptive.varianceRatio(treated: treated, control: control), 5.0 / 12))
        // Weighted treated group: the definition applied to the weighted mean and reliability variance.
        let tw = [1.0, 1, 1, 3]
        let m = try Descriptive.weightedMean(treated, weights: tw)
        let v = try Descriptive.weightedVariance(treated, weights: tw)
        #expect(close(try Descriptive.standardizedMeanDifference(treated: treated, control: control,
                                                                 treatedWeights: tw),
                      (m - 4) / ((v + 4) / 2).squareRoot()))
        // A binary covariate constant in both groups at the same value is perfectly balanced.
        #expect(try Descriptive.standardizedMeanDifference(treated: [1, 1], control: [1, 1, 1]) == 0)
        #expect(throws: StatisticsError.self) {
            try Descriptive.standardizedMeanDifference(treated: [1, 1], control: [0, 0])
        }
    }

    @Test func histogramCounts() throws {
        // numpy.histogram(x, bins=[0, 2, 4, 6, 8]) -> [2, 3, 2, 2]; -0.4 is below the range.
        let h = try Descriptive.histogram(x, edges: [0, 2, 4, 6, 8])
        #expect(h.counts == [2, 3, 2, 2] && h.belowRange == 1 && h.aboveRange == 0)
        let even = try Descriptive.histogram([0, 1, 2, 3, 4], binCount: 2)
        #expect(even.edges == [0, 2, 4] && even.counts == [2, 3])
    }

    @Test func summaryAndErrors() throws {
        let s = try Descriptive.summary(x)
        #expect(s.count == 10 && s.minimum == -0.4 && s.maximum == 7.9 && close(s.median, 2.65))
        #expect(try Descriptive.summary([5]).standardDeviation == nil)
        #expect(throws: StatisticsError.tooFewObservations(needed: 2, got: 1, context: "variance")) {
            try Descriptive.variance([1])
        }
        #expect(throws: StatisticsError.self) { try Descriptive.mean([]) }
        #expect(throws: StatisticsError.self) { try Descriptive.mean([1, .nan]) }
        #expect(throws: StatisticsError.self) { try Descriptive.variance([1, .infinity]) }
        #expect(throws: StatisticsError.self) {
            try Descriptive.mean([.greatestFiniteMagnitude, .greatestFiniteMagnitude])
        }
        #expect(throws: StatisticsError.self) { try Descriptive.weightedMean([1, 2], weights: [1, -1]) }
        #expect(throws: StatisticsError.self) { try Descriptive.quantile([1, .nan], 0.5) }
        #expect(throws: StatisticsError.self) { try Descriptive.quantile([1, 2], 1.5) }
        #expect(throws: StatisticsError.self) { try Descriptive.pearsonCorrelation([1, 1, 1], [1, 2, 3]) }
        #expect(StatisticsError.tooFewObservations(needed: 2, got: 1, context: "variance").message
            == "variance: needs at least 2 observation(s), got 1.")
    }
}
