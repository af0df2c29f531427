import Foundation
import Testing
@testable import Statistics

/// Reference numbers from lifelines 0.30 CoxPHFitter (Newton precision 1e-12) and statsmodels 0.15
/// PHReg (see reference_values.py).
@Suite struct CoxRegressionTests {
    static let leukaemiaTimes = Fixtures.timesMP + Fixtures.timesPlacebo
    static let leukaemiaEvents = Fixtures.eventsMP + Fixtures.eventsPlacebo
    static let placebo = Regressor("placebo", [Double](repeating: 0, count: 21) + [Double](repeating: 1, count: 21))
    static let covariates = [Regressor("z1", Fixtures.z1), Regressor("z2", Fixtures.z2)]

    @Test func leukaemiaEfron() throws {
        let fit = try CoxRegression.fit(times: Self.leukaemiaTimes, events: Self.leukaemiaEvents,
                                        covariates: [Self.placebo])
        // statsmodels PHReg(ties="efron") 1.572125148829067; lifelines 1.572124877888383 (looser tolerance).
        #expect(close(fit.coefficients[0], 1.572125148829067, rel: 1e-8))
        #expect(close(fit.standardErrors()[0], 0.412396717709456, rel: 1e-9))
        #expect(close(fit.logPartialLikelihood, -85.00842457737184, rel: 1e-10))
        let hr = try fit.hazardRatio("placebo")
        #expect(close(hr.confidenceInterval.lower, 2.146507718064927, rel: 1e-6))
        #expect(close(hr.confidenceInterval.upper, 10.809307315216904, rel: 1e-6))
        #expect(close(hr.hazardRatio, Foundation.exp(fit.coefficients[0]), rel: 1e-15))
        #expect(fit.eventCount == 30 && fit.observationCount == 42)
    }

    @Test func leukaemiaBreslow() throws {
        let fit = try CoxRegression.fit(times: Self.leukaemiaTimes, events: Self.leukaemiaEvents,
                                        covariates: [Self.placebo], options: .init(ties: .breslow))
        // statsmodels PHReg(ties="breslow").
        #expect(close(fit.coefficients[0], 1.509191412585878, rel: 1e-8))
        #expect(close(fit.standardErrors()[0], 0.409564406366741, rel: 1e-9))
    }

    @Test func twoCovariatesWithClassicalAndRobustSE() throws {
        let fit = try CoxRegression.fit(times: Fixtures.coxTimes, events: Fixtures.coxEvents,
                                        covariates: Self.covariates)
        #expect(close(fit.coefficients, [0.461853669203088, -0.770200348801978], rel: 1e-9))
        #expect(close(fit.standardErrors(), [0.220130427106167, 0.511392011332313], rel: 1e-9))
        // lifelines robust=True (no ties here, so its Breslow-form residuals equal Efron's).
        #expect(close(fit.standardErrors(.robust), [0.173411810614766, 0.491442149216787], rel: 1e-9))
        #expect(fit.defaultCovariance == .classical)
    }

    @Test func weightedUsesRobustSE() throws {
        let fit = try CoxRegression.fit(times: Fixtures.coxTimes, events: Fixtures.coxEvents,
                                        covariates: Self.covariates, weights: Fixtures.coxWeights)
        #expect(fit.defaultCovariance == .robust)
        #expect(close(fit.coefficients, [0.4150839961204, -0.564221357284604], rel: 1e-9))
        #expect(close(fit.standardErrors(), [0.202848457934628, 0.532991946589491], rel: 1e-9))
    }

    @Test func tiedTimesEfronWithAndWithoutWeights() throws {
        let plain = try CoxRegression.fit(times: Fixtures.coxTiedTimes, events: Fixtures.coxEvents,
                                          covariates: Self.covariates)
        #expect(close(plain.coefficients, [0.40132399285216, -0.73321599231304], rel: 1e-9))
        #expect(close(plain.standardErrors(), [0.223838416283206, 0.504997840040579], rel: 1e-9))
        let weighted = try CoxRegression.fit(times: Fixtures.coxTiedTimes, events: Fixtures.coxEvents,
                                             covariates: Self.covariates, weights: Fixtures.coxWeights)
        #expect(close(weighted.coefficients, [0.355625977046486, -0.54267181443303], rel: 1e-9))
        #expect(close(weighted.standardErrors(.classical), [0.195856712154622, 0.425385720004275], rel: 1e-9))
    }

    @Test func integerWeightsEqualReplicatedRows() throws {
        let times: [Double] = [2, 3, 3, 5, 7, 8, 11, 12]
        let events = [true, true, false, true, true, false, true, true]
        let x: [Double] = [0, 1, 1, 0, 1, 0, 1, 0]
        let weights: [Double] = [1, 2, 1, 1, 3, 1, 1, 2]
        var rt: [Double] = [], re: [Bool] = [], rx: [Double] = []
        for i in times.indices {
            for _ in 0..<Int(weights[i]) { rt.append(times[i]); re.append(events[i]); rx.append(x[i]) }
        }
        // Breslow only: Efron treats a weighted death as one death, not as several tied ones.
        let breslow = CoxRegressionOptions(ties: .breslow)
        let a = try CoxRegression.fit(times: times, events: events, covariates: [Regressor("x", x)], weights: weights,
                                      options: breslow)
        let b = try CoxRegression.fit(times: rt, events: re, covariates: [Regressor("x", rx)], options: breslow)
        #expect(close(a.coefficients[0], b.coefficients[0], rel: 1e-9))
        #expect(close(a.standardErrors(.classical)[0], b.standardErrors()[0], rel: 1e-9))
    }

    @Test func constantCovariateIsNamed() {
        do {
            _ = try CoxRegression.fit(times: [1, 2, 3, 4], events: [true, true, false, true],
                                      covariates: [Regressor("x", [1, 2, 3, 5]), Regressor("site", [1, 1, 1, 1])])
            Issue.record("a constant covariate has no information")
        } catch let StatisticsError.singularMatrix(text) {
            #expect(text.contains("'site'"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func monotoneLikelihoodDoesNotConverge() {
        // Every event is in group 1 and every group-1 subject fails first: β → ∞.
        #expect(throws: StatisticsError.self) {
            try CoxRegression.fit(times: [1, 2, 3, 4, 5, 6], events: [true, true, true, false, false, false],
                                  covariates: [Regressor("g", [1, 1, 1, 0, 0, 0])])
        }
        #expect(throws: StatisticsError.self) {
            try CoxRegression.fit(times: [1, 2], events: [false, false], covariates: [Regressor("g", [1, 0])])
        }
    }
}
