import Evaluation
import Testing
import Timelines

/// Known answers for the fidelity figures: identical, shifted and independent data.
@Suite struct FidelityTests {
    static let real = Fixtures.registry(count: 120, seed: 11)

    @Test func identicalDataMatchExactly() throws {
        let e = Evaluation(EvaluationInput(template: Fixtures.gaucher, real: Self.real, synthetic: Self.real),
                           options: Fixtures.options())
        #expect(!e.windowing.sampled)
        try #require(!Fixtures.gaucher.measures.isEmpty)
        for measure in Fixtures.gaucher.measures {
            #expect(e.metric("measure.\(measure.id).ks")?.value == 0)
            #expect(e.metric("measure.\(measure.id).wasserstein")?.value == 0)
            #expect(e.metric("measure.\(measure.id).slope.ks")?.value == 0)
        }
        #expect(e.metric("codes.unigram.r2")?.value == 1)
        #expect(e.metric("codes.bigram.r2")?.value == 1)
        #expect(e.metric("visits.gap.ks")?.value == 0)
        #expect(e.metric("correlation.max-absolute-difference")?.value == 0)
        #expect(e.metric("km.max-difference")?.value == 0)
        let auc = try #require(e.metric("detection.auc")?.value)
        #expect(abs(auc - 0.5) < 0.1, "detection AUC \(auc) for identical data")
        #expect(e.metric("representation.flagged-groups")?.value == 0)
    }

    @Test func shiftedMeasureMovesWassersteinByTheShift() throws {
        let delta = 3.0
        let shifted = Fixtures.shifted(Self.real, measure: "hemoglobin", by: delta)
        let e = Evaluation(EvaluationInput(template: Fixtures.gaucher, real: Self.real, synthetic: shifted),
                           options: Fixtures.options())
        let w1 = try #require(e.metric("measure.hemoglobin.wasserstein")?.value)
        #expect(abs(w1 - delta) < 1e-9)
        #expect(try #require(e.metric("measure.hemoglobin.ks")?.value) > 0.5)
        #expect(e.metric("measure.platelets.ks")?.value == 0)
        // Slopes do not change under a constant shift.
        #expect(try #require(e.metric("measure.hemoglobin.slope.wasserstein")?.value) < 1e-9)
        let auc = try #require(e.metric("detection.auc")?.value)
        #expect(auc > 0.85, "detection AUC \(auc) for shifted data")
    }

    @Test func independentSampleFromTheSameGeneratorIsHardToDetect() throws {
        let synthetic = Fixtures.registry(count: 240, seed: 12)
        let holdout = Fixtures.registry(count: 120, seed: 13)
        let e = Evaluation(EvaluationInput(template: Fixtures.gaucher, real: Self.real, synthetic: synthetic,
                                           holdout: holdout),
                           options: Fixtures.options())
        let auc = try #require(e.metric("detection.auc"))
        let se = try #require(e.metric("detection.auc.se")?.value)
        #expect(abs(auc.value! - 0.5) < 3 * se + 0.03, "detection AUC \(auc.value!) ± \(se)")
        #expect(auc.baseline != nil)
        #expect(try #require(e.metric("codes.unigram.r2")?.value) > 0.9)
        // Two samples of 120 and 240 patients: the 5 % critical KS for independent values is 0.15, and a
        // patient's visits are correlated, so pooled observations differ more by chance (0.09-0.21 per
        // measure here); a shift of 3 g/dL gives over 0.5 (above).
        let meanKS = try #require(e.metric("measures.mean-ks")?.value)
        #expect(meanKS < 0.25, "mean KS \(meanKS)")
        // TSTR runs (Gaucher: low platelets at the last visit) and trains about as well as on real data.
        let tstr = try #require(e.metric("tstr.auc")?.value)
        let trtr = try #require(e.metric("tstr.train-on-real.auc")?.value)
        #expect(tstr > 0.6 && trtr > 0.6)
    }

    @Test func windowsReproduceTheRealWindowLengths() throws {
        let real = Fixtures.registry(count: 200, seed: 21)
        let whole = Fixtures.whole(count: 300, seed: 22)
        var options = Fixtures.options()
        options.windows = .asRecorded
        let asRecorded = Evaluation(EvaluationInput(template: Fixtures.gaucher, real: real, synthetic: whole),
                                    options: options)
        options.windows = .automatic
        let windowed = Evaluation(EvaluationInput(template: Fixtures.gaucher, real: real, synthetic: whole),
                                  options: options)
        #expect(windowed.windowing.sampled)
        let before = try #require(asRecorded.metric("window.span.ks")?.value)
        let after = try #require(windowed.metric("window.span.ks")?.value)
        #expect(before > 0.5, "whole records: span KS \(before)")
        #expect(after < 0.15, "windows: span KS \(after)")
        #expect(try #require(windowed.metric("visits.per-patient.ks")?.value) < 0.15)
        let start = try #require(windowed.metric("window.start-duration.ks")?.value)
        #expect(start < 0.15, "start KS \(start)")
        #expect(windowed.windowing.fallbacks < 15)
        // Deaths within windows come out far closer to the registry's than in whole records.
        let windowedDeaths = try #require(windowed.metric("death.share.difference")?.value)
        let wholeDeaths = try #require(asRecorded.metric("death.share.difference")?.value)
        #expect(windowedDeaths < wholeDeaths / 2,
                "death share difference \(windowedDeaths) (windows) vs \(wholeDeaths) (whole)")
    }
}
