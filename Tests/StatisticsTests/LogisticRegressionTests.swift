import Testing
@testable import Statistics

/// Reference numbers from statsmodels 0.15 Logit / GLM and scipy BFGS (see reference_values.py).
@Suite struct LogisticRegressionTests {
    static let x1 = [0.034, 1.36, 1.225, -0.51, -0.298, -0.527, 0.57, -0.056, 0.747, -1.847, 1.567, -0.096, 0.68,
                     -0.137, -0.379, 0.463, 0.825, -0.203, -0.153, 0.686, -0.87, -1.514, 0.395, -0.671, -1.92, -0.814,
                     -0.468, -1.193, -1.492, 0.037, 0.897, -0.233, -0.744, 0.385, 0.717, -0.3, 0.545, 1.043, -0.207,
                     -0.814]
    static let x2 = [0.099, 0.602, 1.037, 1.407, 2.718, 2.092, 1.018, 0.051, 0.479, 2.989, 1.379, 2.073, 0.164, 0.102,
                     2.538, 1.764, 0.926, 0.952, 0.268, 0.518, 0.074, 2.517, 1.399, 0.382, 2.218, 0.587, 0.186, 1.795,
                     2.687, 0.081, 2.415, 0.571, 0.279, 0.054, 0.879, 2.181, 1.48, 2.559, 0.652, 0.946]
    static let y: [Double] = [1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1,
                              1, 0, 1, 0, 0, 0, 0, 1, 0, 0]
    static let w = [0.6, 0.79, 1.89, 2.09, 1.31, 2.11, 1.38, 0.83, 1.29, 1.49, 2.78, 0.79, 0.72, 1.9, 2.91, 2.77, 2.25,
                    0.67, 2.52, 2.21, 0.86, 1.66, 0.62, 2.5, 2.3, 2.51, 2.4, 1.17, 2.47, 1.12, 0.84, 1.48, 1.74, 1.21,
                    2.01, 2.01, 1.1, 2.06, 1.39, 2.34]
    static let regressors = [Regressor("x1", x1), Regressor("x2", x2)]

    @Test func unweightedMatchesStatsmodelsLogit() throws {
        let fit = try LogisticRegression.fit(outcome: Self.y, regressors: Self.regressors)
        #expect(close(fit.coefficients, [-0.188919528150346, 0.394100181024861, -0.779144881530852], rel: 1e-8))
        #expect(close(fit.standardErrors(), [0.562230925798791, 0.502781095329274, 0.48838739798539], rel: 1e-8))
        #expect(close(fit.logLikelihood, -21.440011899662377, rel: 1e-11))
        #expect(fit.iterations < 15)
        let p0 = try fit.predict([Self.x1[0], Self.x2[0]])
        #expect(close(p0, fit.fittedProbabilities[0], rel: 1e-14))
        // Named columns in another order give the same fitted values.
        let again = try fit.predictProbabilities([Regressor("x2", Self.x2), Regressor("x1", Self.x1)])
        #expect(close(again, fit.fittedProbabilities, rel: 1e-14))
        #expect(throws: StatisticsError.self) { try fit.predictProbabilities([Regressor("x1", Self.x1)]) }
    }

    @Test func weightedMatchesStatsmodelsGLM() throws {
        let fit = try LogisticRegression.fit(outcome: Self.y, regressors: Self.regressors, weights: Self.w)
        // GLM(freq_weights=w): same coefficients, model-based SEs.
        #expect(close(fit.coefficients, [-0.314306792881921, 0.626508410761256, -0.704415729032666], rel: 1e-8))
        #expect(close(fit.standardErrors(), [0.467544180679267, 0.38270966716153, 0.389606350158316], rel: 1e-8))
        #expect(close(fit.logLikelihood, -34.356427976994574, rel: 1e-11))
        // GLM(var_weights=w, cov_type="HC0"): the sandwich.
        #expect(close(fit.standardErrors(.robust), [0.691711593314659, 0.566782688008773, 0.549146833913547],
                      rel: 1e-7))
    }

    @Test func ridgeMatchesDirectOptimization() throws {
        let fit = try LogisticRegression.fit(outcome: Self.y, regressors: Self.regressors,
                                             options: .init(ridge: 2))
        // scipy BFGS on ℓ(β) - 1/2 · 2 · (β₁² + β₂²).
        #expect(close(fit.coefficients, [-0.386839623870074, 0.276206642322611, -0.54786672355538], rel: 1e-6))
        // The penalty shrinks slopes, not the intercept.
        let plain = try LogisticRegression.fit(outcome: Self.y, regressors: Self.regressors)
        #expect(Swift.abs(fit.coefficients[1]) < Swift.abs(plain.coefficients[1]))
        #expect(Swift.abs(fit.coefficients[2]) < Swift.abs(plain.coefficients[2]))
    }

    @Test func separationThrowsWithoutRidgeAndIsFiniteWithIt() throws {
        let x: [Double] = [-3, -2, -1, -0.5, 0.5, 1, 2, 3]
        let y: [Bool] = x.map { $0 > 0 }
        do {
            _ = try LogisticRegression.fit(outcome: y, regressors: [Regressor("x", x)])
            Issue.record("complete separation should not produce a fit")
        } catch let error as StatisticsError {
            #expect(error.message.contains("separation"))
        }
        let ridge = try LogisticRegression.fit(outcome: y, regressors: [Regressor("x", x)],
                                               options: .init(ridge: 0.5))
        try #require(ridge.coefficients.count == 2)
        #expect(ridge.coefficients.allSatisfy { $0.isFinite } && ridge.coefficients[1] > 0)
        // Stationarity of the penalized likelihood: Σ (y - p) x = λ β for the slope.
        var score = 0.0
        for i in x.indices { score += ((y[i] ? 1 : 0) - ridge.fittedProbabilities[i]) * x[i] }
        #expect(close(score, 0.5 * ridge.coefficients[1], rel: 1e-8, abs: 1e-10))
        #expect(ridge.standardErrors().count == 2)
        #expect(ridge.standardErrors().allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func quasiSeparationWithRidgeIsFinite() throws {
        // Every treated subject responds, controls are mixed: the MLE of the slope is +∞.
        let group: [Double] = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
        let y: [Double] = [0, 1, 0, 0, 1, 0, 1, 1, 1, 1]
        #expect(throws: StatisticsError.self) {
            try LogisticRegression.fit(outcome: y, regressors: [Regressor("g", group)])
        }
        let fit = try LogisticRegression.fit(outcome: y, regressors: [Regressor("g", group)], options: .init(ridge: 1))
        #expect(fit.coefficients[1] > 0 && fit.coefficients[1] < 10)
        // The intercept is not penalized, so its score equation Σ (y - p) = 0 still holds exactly.
        #expect(close(fit.fittedProbabilities.reduce(0, +), 6, rel: 1e-10))
    }

    @Test func invalidInputsThrow() {
        // All outcomes equal: the (unpenalized) intercept has no finite estimate.
        #expect(throws: StatisticsError.self) {
            try LogisticRegression.fit(outcome: [0, 0, 0], regressors: [Regressor("x", [1, 2, 3])],
                                       options: .init(ridge: 1))
        }
        #expect(throws: StatisticsError.self) {
            try LogisticRegression.fit(outcome: [0, 2], regressors: [Regressor("x", [1, 2])])
        }
        #expect(throws: StatisticsError.self) {
            try LogisticRegression.fit(outcome: [0, 1], regressors: [Regressor("x", [1, 2])], options: .init(ridge: -1))
        }
    }
}
