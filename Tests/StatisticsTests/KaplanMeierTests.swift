import Testing
@testable import Statistics

/// The 6-MP leukaemia data against lifelines 0.30 (see reference_values.py) and textbook values.
@Suite struct KaplanMeierTests {
    let mp = try! KaplanMeier.estimate(times: Fixtures.timesMP, events: Fixtures.eventsMP)
    let placebo = try! KaplanMeier.estimate(times: Fixtures.timesPlacebo, events: Fixtures.eventsPlacebo)

    @Test func stepFunctionMatchesLifelines() {
        #expect(mp.times == [6, 7, 9, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 34, 35])
        let s = [0.857142857142857, 0.80672268907563, 0.80672268907563, 0.752941176470588, 0.752941176470588,
                 0.690196078431372, 0.627450980392157, 0.627450980392157, 0.627450980392157, 0.627450980392157,
                 0.53781512605042, 0.448179271708683, 0.448179271708683, 0.448179271708683, 0.448179271708683,
                 0.448179271708683]
        #expect(close(mp.survival, s, rel: 1e-13))
        #expect(mp.atRisk.prefix(4) == [21, 17, 16, 15])
        #expect(mp.events.prefix(3) == [3, 1, 0] && mp.censored.prefix(3) == [1, 0, 1])
        // Greenwood SEs (numpy from lifelines' event table; the textbook's 0.0764, 0.0869, ...).
        let se = [0.076360354832121, 0.086935285180057, 0.086935285180057, 0.09634965299432, 0.09634965299432,
                  0.10681470777501, 0.114053865256752, 0.114053865256752, 0.114053865256752, 0.114053865256752,
                  0.128233751693034, 0.13459145675576, 0.13459145675576, 0.13459145675576, 0.13459145675576,
                  0.13459145675576]
        #expect(close(mp.standardErrors, se, rel: 1e-12))
        #expect(mp.survival(at: 5.9) == 1 && mp.survival(at: 6) == 6.0 / 7 && mp.survival(at: 100) == mp.survival[15])
        #expect(close(mp.standardError(at: 12), 0.09634965299432, rel: 1e-12))
    }

    @Test func logLogConfidenceBandMatchesLifelines() throws {
        let at6 = try mp.confidenceInterval(at: 6)
        #expect(close(at6.lower, 0.619717955265984, rel: 1e-11) && close(at6.upper, 0.951551747646997, rel: 1e-11))
        let at23 = try mp.confidenceInterval(at: 23)
        #expect(close(at23.lower, 0.188052005959232, rel: 1e-11) && close(at23.upper, 0.680142628495241, rel: 1e-11))
        let before = try mp.confidenceInterval(at: 1)
        #expect(before.lower == 1 && before.upper == 1)
    }

    @Test func medianWithConfidenceInterval() throws {
        // lifelines median_survival_time_ and median_survival_times(confidence_interval_).
        let m = try mp.medianSurvival()
        #expect(m.estimate == 23 && m.lower == 13 && m.upper == nil)
        let p = try placebo.medianSurvival()
        #expect(p.estimate == 8 && p.lower == 4 && p.upper == 11)
        let never = try KaplanMeier.estimate(times: [1, 2, 3, 4], events: [true, false, false, false])
        #expect(never.median == nil)
    }

    @Test func restrictedMeanSurvivalTime() throws {
        // lifelines restricted_mean_survival_time; SE by numerical integration of Aⱼ in numpy.
        let r = try mp.restrictedMean(upTo: 30)
        #expect(close(r.estimate, 21.04649859943977, rel: 1e-12))
        #expect(close(r.standardError, 2.243807538184121, rel: 2e-5))
        #expect(close(try placebo.restrictedMean(upTo: 20).estimate, 8.428571428571429, rel: 1e-12))
        // Before the first event the curve is 1, so the RMST is tau itself.
        #expect(try mp.restrictedMean(upTo: 5).estimate == 5)
        #expect(throws: StatisticsError.self) { try mp.restrictedMean(upTo: 0) }
    }

    @Test func weightedCurveMatchesLifelines() throws {
        let w = try KaplanMeier.estimate(times: Fixtures.coxTimes, events: Fixtures.coxEvents,
                                         weights: Fixtures.coxWeights)
        let expected = [0.726680040120361, 0.511733702534817, 0.443877673285772, 0.344319685026534]
        #expect(close([2.0, 5, 10, 15].map { w.survival(at: $0) }, expected, rel: 1e-12))
        // Integer weights equal replicated rows.
        let doubled = try KaplanMeier.estimate(times: [1, 2, 3], events: [true, false, true], weights: [2, 1, 1])
        let replicated = try KaplanMeier.estimate(times: [1, 1, 2, 3], events: [true, true, false, true])
        #expect(close(doubled.survival, replicated.survival, rel: 1e-15))
    }

    @Test func allEventsGoToZero() throws {
        let km = try KaplanMeier.estimate(times: [1, 2, 3], events: [true, true, true])
        #expect(close(km.survival, [2.0 / 3, 1.0 / 3, 0], rel: 1e-15, abs: 0))
        #expect(km.standardErrors.last == 0)
        #expect(throws: StatisticsError.self) { try KaplanMeier.estimate(times: [1, -2], events: [true, true]) }
        #expect(throws: StatisticsError.self) { try KaplanMeier.estimate(times: [1], events: [true, false]) }
    }

    @Test func distanceBetweenCurves() throws {
        // By hand: A = 1, ½ on [1, 2), 0 after; B = 1, ½ on [1.5, 3), 0 after.
        let a = try KaplanMeier.estimate(times: [1, 2], events: [true, true])
        let b = try KaplanMeier.estimate(times: [1.5, 3], events: [true, true])
        let common = try a.distance(to: b)
        #expect(common.lower == 0 && common.upper == 2)
        #expect(common.maxAbsoluteDifference == 0.5 && close(common.integratedAbsoluteDifference, 0.25))
        let wide = try a.distance(to: b, over: 0...3)
        #expect(close(wide.integratedAbsoluteDifference, 0.75) && close(wide.meanAbsoluteDifference, 0.25))
        #expect(try mp.distance(to: mp).maxAbsoluteDifference == 0)
    }
}

@Suite struct LogRankTests {
    @Test func sixMPVersusPlaceboMatchesLifelines() throws {
        let r = try LogRankTest.compare(timesA: Fixtures.timesMP, eventsA: Fixtures.eventsMP,
                                        timesB: Fixtures.timesPlacebo, eventsB: Fixtures.eventsPlacebo)
        #expect(close(r.chiSquare, 16.792940989216547, rel: 1e-12))
        #expect(close(r.pValue, 4.168809109334511e-05, rel: 1e-9))
        // Textbook observed/expected: 9 vs 19.25 in the 6-MP arm, 21 vs 10.75 on placebo.
        #expect(r.observed == [9, 21])
        #expect(close(r.expected[0], 19.251, rel: 1e-4) && close(r.expected[1], 10.749, rel: 1e-4))
        #expect(close(r.expected[0] + r.expected[1], 30, rel: 1e-14))
    }

    @Test func weightedMatchesLifelines() throws {
        let inB = Fixtures.z2.map { $0 == 1 }
        let r = try LogRankTest.compare(times: Fixtures.coxTimes, events: Fixtures.coxEvents, inGroupB: inB,
                                        weights: Fixtures.coxWeights)
        #expect(close(r.chiSquare, 2.306878586919861, rel: 1e-11))
    }

    @Test func degenerateInputsThrow() {
        #expect(throws: StatisticsError.self) {
            try LogRankTest.compare(times: [1, 2], events: [true, true], inGroupB: [false, false])
        }
        #expect(throws: StatisticsError.self) {
            try LogRankTest.compare(times: [1, 2], events: [false, false], inGroupB: [false, true])
        }
    }
}
