import DiseaseModeling
import Foundation
@testable import Federation
import TemplateLearning
import Testing
import ZebraTestSupport

/// The coordinator's arithmetic against hand computations, and what it refuses.
@Suite struct FederatedAveragingTests {
    static let slope = TemplateAdjustment.Target.measureSlope(measure: "mfars")
    static let women = TemplateAdjustment.Condition(sex: .female)

    static func model(method: FederatedAveraging.Method, _ adjustments: [TemplateAdjustment] = []) throws
        -> LearnedTemplate {
        let fa = try TestSupport.shippedTemplate("friedreich-ataxia")
        var model = try FederatedLearning.initialModel(template: fa, start: nil, startLabel: "test", seed: 1,
                                                       aggregation: method)
        model.adjustments = adjustments
        return model
    }

    static func evidence(_ sd: Double) -> TemplateAdjustment.Evidence {
        TemplateAdjustment.Evidence(patients: 10, observations: 10, seedFigure: 1, templateFigure: 1, unshrunk: 1,
                                    posteriorSD: sd)
    }

    static func update(_ site: String, _ model: LearnedTemplate, digest: String = "d0",
                       _ numbers: [SiteUpdate.Number]) -> SiteUpdate {
        SiteUpdate(site: site, templateID: model.templateID, templateDigest: model.templateDigest, modelDigest: digest,
                   round: 1, patients: numbers.map(\.patients).max() ?? 0, numbers: numbers, learnerRounds: 8,
                   twinsPerPatient: 4, seed: 1)
    }

    static func number(_ value: Double, patients: Int, log estimate: Double? = nil, precision: Double? = nil,
                       target: TemplateAdjustment.Target = slope, condition: TemplateAdjustment.Condition = women)
        -> SiteUpdate.Number {
        SiteUpdate.Number(adjustment: TemplateAdjustment(target: target, condition: condition, value: value,
                                                         evidence: evidence(0.1)),
                          patients: patients, logEstimate: estimate, precision: precision)
    }

    static func value(_ model: LearnedTemplate, _ target: TemplateAdjustment.Target = slope,
                      _ condition: TemplateAdjustment.Condition = women) -> Double? {
        model.adjustments.first { $0.target == target && $0.condition == condition }?.value
    }

    @Test func fedAvgIsThePatientWeightedMeanOfLogs() throws {
        let model = try Self.model(method: .fedavg)
        let next = try FederatedAveraging.aggregate(model: model, modelDigest: "d0", updates: [
            Self.update("b", model, [Self.number(2.0, patients: 30)]),
            Self.update("a", model, [Self.number(0.8, patients: 10)]),
        ])
        // exp((30 log 2 + 10 log 0.8) / 40)
        let hand = exp((30 * log(2.0) + 10 * log(0.8)) / 40)
        #expect(abs(try #require(Self.value(next)) - hand) < 1e-12)
        #expect(next.federation?.round == 1)
        #expect(next.federation?.sites.map(\.label) == ["a", "b"])
        #expect(next.learning.patients == 40)
    }

    @Test func precisionWeightingAppliesThePriorOnce() throws {
        let model = try Self.model(method: .precision)
        let next = try FederatedAveraging.aggregate(model: model, modelDigest: "d0", updates: [
            Self.update("a", model, [Self.number(1.3, patients: 20, log: 0.4, precision: 25)]),
            Self.update("b", model, [Self.number(1.1, patients: 50, log: 0.1, precision: 100)]),
        ])
        let prior = 1 / (log(1.5) * log(1.5))
        let hand = exp((25 * 0.4 + 100 * 0.1) / (25 + 100 + prior))
        #expect(abs(try #require(Self.value(next)) - hand) < 1e-12)
        let sd = try #require(next.adjustments.first?.evidence?.posteriorSD)
        #expect(abs(sd - (1 / (125 + prior)).squareRoot()) < 1e-12)
    }

    @Test func mixesAreAveragedAsProbabilities() throws {
        let model = try Self.model(method: .precision)
        func mix(_ p: Double, _ n: Int) -> SiteUpdate.Number {
            SiteUpdate.Number(adjustment: TemplateAdjustment(target: .sexMix, value: p, prior: 0.5), patients: n)
        }
        let next = try FederatedAveraging.aggregate(model: model, modelDigest: "d0", updates: [
            Self.update("a", model, [mix(0.7, 30)]), Self.update("b", model, [mix(0.4, 70)]),
        ])
        let male = try #require(Self.value(next, .sexMix, .init()))
        let hand: Double = (0.7 * 30 + 0.4 * 70) / 100
        #expect(abs(male - hand) < 1e-12)
    }

    @Test func aNumberNoSiteInformsKeepsTheModelsValue() throws {
        let kept = TemplateAdjustment(target: .mortality, condition: .init(sex: .male), value: 1.7)
        let model = try Self.model(method: .fedavg, [kept])
        let next = try FederatedAveraging.aggregate(model: model, modelDigest: "d0", updates: [
            Self.update("a", model, [Self.number(2.0, patients: 30)]),
            Self.update("b", model, [Self.number(3.0, patients: 0)]),
        ])
        #expect(Self.value(next, .mortality, .init(sex: .male)) == 1.7)
        // A site with no patients behind a number gives it no weight.
        #expect(abs(try #require(Self.value(next)) - 2.0) < 1e-12)
        try #require(next.adjustments.count == 2)
    }

    @Test func updatesOfAnotherRoundDoubledSitesAndOtherTemplatesAreRefused() throws {
        let model = try Self.model(method: .fedavg)
        let good = Self.update("a", model, [Self.number(2.0, patients: 30)])
        let stale = Self.update("b", model, digest: "other", [Self.number(2.0, patients: 30)])
        #expect(throws: FederationError.self) {
            try FederatedAveraging.aggregate(model: model, modelDigest: "d0", updates: [good, stale])
        }
        #expect(throws: FederationError.self) {
            try FederatedAveraging.aggregate(model: model, modelDigest: "d0", updates: [good, good])
        }
        var otherTemplate = good
        otherTemplate.site = "c"
        otherTemplate.templateID = "fabry"
        #expect(throws: FederationError.self) {
            try FederatedAveraging.aggregate(model: model, modelDigest: "d0", updates: [good, otherTemplate])
        }
        #expect(throws: FederationError.self) {
            try FederatedAveraging.aggregate(model: model, modelDigest: "d0", updates: [])
        }
    }

    @Test func combiningByKeyKeepsTheTemplatesEffect() throws {
        let fa = try TestSupport.shippedTemplate("friedreich-ataxia")
        let list = [TemplateAdjustment(target: Self.slope, condition: Self.women, value: 1.4),
                    TemplateAdjustment(target: .sexMix, value: 0.6, prior: fa.population.maleProbability),
                    TemplateAdjustment(target: Self.slope, condition: Self.women, value: 0.5),
                    TemplateAdjustment(target: .sexMix, value: 0.45, prior: 0.6)]
        let combined = list.combinedByKey()
        try #require(combined.count == 2)
        #expect(abs(combined[0].value - 0.7) < 1e-12)
        #expect(combined[1].value == 0.45 && combined[1].prior == fa.population.maleProbability)
        #expect(try fa.adjusted(by: combined).digest == fa.adjusted(by: list).digest)
    }

    @Test func privateReleasesAreWeighedByTheirNoiseAndShrunkByTheirSpread() throws {
        func release(_ start: Double, _ change: Double, _ sd: Double) -> SiteUpdate.PrivateRelease {
            SiteUpdate.PrivateRelease(start: [start], change: [change], noiseSD: sd)
        }
        let a = release(0.05, 0.3, 0.2), b = release(0.05, 0.1, 0.4)
        let pooled = FederatedAveraging.pooledChanges([a, b])
        try #require(pooled.count == 1)
        let c = (0.3 / 0.04 + 0.1 / 0.16) / (1 / 0.04 + 1 / 0.16), v = 1 / (1 / 0.04 + 1 / 0.16)
        #expect(abs(pooled[0].change - c) < 1e-12 && abs(pooled[0].variance - v) < 1e-12)
        let like = TemplateAdjustment(target: Self.slope, condition: Self.women, value: 1)
        let key = AdjustmentKey(like)
        let combined = FederatedAveraging.combinePrivate([a, b], like: like, key: key, tau: 0.2)
        #expect(abs(combined.value - exp(0.05 + c * 0.04 / (0.04 + v))) < 1e-12)
        // Nothing but noise: no change at all.
        #expect(FederatedAveraging.combinePrivate([a, b], like: like, key: key, tau: 0).value == exp(0.05))
        // The spread: τ² = mean(c² − v) over the coordinates, floored at 0.
        func number(_ r: SiteUpdate.PrivateRelease) -> SiteUpdate.Number {
            var n = SiteUpdate.Number(adjustment: like, patients: 10)
            n.release = r
            return n
        }
        let quiet = [number(release(0, 0.01, 0.2)), number(release(0, -0.01, 0.2))]
        let spread = FederatedAveraging.changeSpread([[number(a), number(b)], quiet], keys: [key, key])
        let hand = ((c * c - v) + (0 - 0.02)) / 2
        #expect(abs(spread.multipliers - max(0, hand).squareRoot()) < 1e-12)
        #expect(spread.mixes == 0)
    }

    @Test func updatesRoundTripThroughTheirFile() throws {
        let model = try Self.model(method: .precision)
        let update = Self.update("a", model, [Self.number(1.3, patients: 20, log: 0.4, precision: 25)])
        var bytes = try update.encoded()
        #expect(try SiteUpdate.decode(bytes, file: "u") == update)
        bytes[bytes.count / 2] ^= 1
        #expect(throws: FederationError.self) { try SiteUpdate.decode(bytes, file: "u") }
    }
}
