import Testing
@testable import Statistics

/// Reference numbers from statsmodels 0.15 OLS / WLS (see reference_values.py).
@Suite struct LinearRegressionTests {
    static let trt: [Double] = (0..<24).map { Double($0 % 2) }
    static let base = [50.01, 52.99, 47.26, 41.09, 45.45, 40.08, 50.6, 63.4, 45.08, 43.8, 54.9, 53.57, 51.05, 40.7,
                       49.71, 56.95, 36.56, 45.42, 30.99, 37.1, 31.58, 47.65, 37.33, 52.71]
    static let age = [41.9, 37.8, 9.8, 33.5, 39.4, 41.4, 21.6, 34.3, 28.3, 30.3, 52.7, 30.3, 39.6, 50.6, 33.0, 38.7,
                      41.3, 40.8, 25.3, 40.9, 56.3, 21.4, 50.3, 41.4]
    static let change = [-1.186, 5.34, -0.396, -9.459, -0.563, -2.111, -1.208, 1.457, -1.456, -1.746, 4.247, -5.652,
                         0.544, -5.718, -0.139, -6.771, -3.11, -4.432, -1.789, -0.309, -4.595, -7.461, -0.092, -10.493]
    static let weights = [1.493, 0.697, 1.768, 1.917, 1.856, 1.355, 0.718, 0.789, 1.892, 1.328, 0.771, 1.826, 1.462,
                          1.355, 1.064, 1.116, 0.859, 0.557, 1.814, 1.202, 1.321, 0.983, 1.627, 0.538]
    static let regressors = [Regressor("treatment", trt), Regressor("baseline", base), Regressor("age", age)]

    @Test func olsMatchesStatsmodels() throws {
        let fit = try LinearRegression.fit(response: Self.change, regressors: Self.regressors)
        #expect(fit.coefficientNames == ["(Intercept)", "treatment", "baseline", "age"])
        #expect(close(fit.coefficients, [-8.525912862710726, -3.679552857888177, 0.144031809567061, 0.036760406691723],
                      rel: 1e-10))
        #expect(close(fit.standardErrors(), [5.524171546787105, 1.509989085131825, 0.09705700125795, 0.070860256230775],
                      rel: 1e-10))
        #expect(close(fit.standardErrors(.robust),
                      [5.226172332620942, 1.421402390059353, 0.097631799379008, 0.047893569362342], rel: 1e-10))
        #expect(close(fit.rSquared, 0.254723773250542, rel: 1e-10))
        #expect(close(fit.adjustedRSquared, 0.142932339238124, rel: 1e-10))
        #expect(close(fit.residualStandardDeviation, 3.588524415293144, rel: 1e-10))
        #expect(fit.residualDegreesOfFreedom == 20)
    }

    @Test func ancovaTreatmentEffect() throws {
        let classical = try LinearRegression.ancova(outcome: Self.change, treatment: Self.trt, baseline: Self.base,
                                                    covariates: [Regressor("age", Self.age)])
        #expect(close(classical.estimate, -3.679552857888177, rel: 1e-10))
        #expect(close(classical.confidenceInterval.lower, -6.829334895243587, rel: 1e-10))
        #expect(close(classical.confidenceInterval.upper, -0.529770820532766, rel: 1e-9))
        #expect(close(classical.pValue, 0.024286655703155, rel: 1e-9))
        let robust = try LinearRegression.ancova(outcome: Self.change, treatment: Self.trt, baseline: Self.base,
                                                 covariates: [Regressor("age", Self.age)], covariance: .robust)
        #expect(close(robust.confidenceInterval.lower, -6.644546287408323, rel: 1e-10))
        #expect(close(robust.confidenceInterval.upper, -0.71455942836803, rel: 1e-9))
        #expect(close(robust.pValue, 0.017551251689525, rel: 1e-9))
    }

    @Test func wlsMatchesStatsmodels() throws {
        let fit = try LinearRegression.fit(response: Self.change, regressors: Self.regressors, weights: Self.weights)
        #expect(close(fit.coefficients, [-7.178734539335934, -3.880344072723004, 0.120450726954055, 0.028512724588563],
                      rel: 1e-10))
        #expect(close(fit.standardErrors(), [4.785754626339707, 1.314250629099474, 0.086960500658117, 0.05956591085436],
                      rel: 1e-10))
        #expect(close(fit.standardErrors(.robust),
                      [4.396319750998237, 1.360819498591283, 0.087413933341951, 0.039766026423348], rel: 1e-10))
        #expect(close(fit.rSquared, 0.316736630914775, rel: 1e-10))
    }

    @Test func exactLineAndPrediction() throws {
        let x = [0.0, 1, 2, 3, 4]
        let fit = try LinearRegression.fit(response: x.map { 2 + 0.5 * $0 }, regressors: [Regressor("x", x)])
        #expect(close(fit.coefficients, [2, 0.5], rel: 1e-12, abs: 1e-12))
        #expect(close(try fit.predict([10]), 7, rel: 1e-12))
        #expect(close(fit.rSquared, 1, rel: 1e-12))
    }

    @Test func collinearAndMalformedInputsThrow() throws {
        let x = [1.0, 2, 3, 4, 5]
        let collinear = [Regressor("x", x), Regressor("twice", x.map { 2 * $0 })]
        do {
            _ = try LinearRegression.fit(response: [1, 3, 2, 5, 4], regressors: collinear)
            Issue.record("expected a singular-matrix error")
        } catch let StatisticsError.singularMatrix(text) {
            #expect(text.contains("'twice'"))
        }
        // Predictors on wildly different scales are not mistaken for collinear ones.
        let scaled = try LinearRegression.fit(response: [1, 3, 2, 5, 4],
                                              regressors: [Regressor("tiny", x.map { $0 * 1e-6 }),
                                                           Regressor("huge", [3e6, 1e6, 4e6, 1e6, 5e6])])
        #expect(scaled.coefficientNames == ["(Intercept)", "tiny", "huge"] && scaled.coefficients.count == 3)
        #expect(scaled.coefficients.allSatisfy { $0.isFinite })
        #expect(throws: StatisticsError.self) {
            try LinearRegression.fit(response: [1, 2], regressors: [Regressor("x", [1, 2])])
        }
        #expect(throws: StatisticsError.self) {
            try LinearRegression.fit(response: [1, 2, 3], regressors: [Regressor("x", [1, 2])])
        }
        #expect(throws: StatisticsError.self) {
            _ = try LinearRegression.fit(response: x, regressors: [Regressor("x", x)]).estimate("nope")
        }
    }
}
