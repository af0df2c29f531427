import DiseaseModeling
import Foundation
@testable import Federation
import Serialization
import Simulation
import TemplateLearning
import Testing
import Timelines
import ZebraTestSupport

/// Differential privacy per site: the accounting over rounds against an independent computation,
/// the refusal past a budget, and a release whose list of numbers the records do not choose.
@Suite struct SitePrivacyTests {
    /// ε of R Gaussian releases with noise multiplier z, from the closed form of their RDP,
    /// R·α/(2z²), converted as Balle et al. (2020) do, over a fine grid of orders.
    static func independentEpsilon(z: Double, rounds: Int, delta: Double) -> Double {
        var best = Double.infinity
        var alpha = 1.01
        while alpha < 200 {
            let rdp = Double(rounds) * alpha / (2 * z * z)
            best = min(best, rdp - (log(delta) + log(alpha)) / (alpha - 1) + log((alpha - 1) / alpha))
            alpha += 0.01
        }
        return max(best, 0)
    }

    @Test(arguments: [(0.8, 1), (1.5, 3), (3.0, 10)])
    func roundsComposeAsTheAccountantSays(z: Double, rounds: Int) throws {
        let composed = try SitePrivacyRecord.composedEpsilon(Array(repeating: z, count: rounds), delta: 1e-5)
        let independent = Self.independentEpsilon(z: z, rounds: rounds, delta: 1e-5)
        // The accountant's orders are coarser than the grid here: never below, and within 3 %.
        #expect(composed >= independent - 1e-9 && composed <= independent * 1.03,
                "accountant \(composed), closed form \(independent)")
        if rounds > 1 {
            let fewer = try SitePrivacyRecord.composedEpsilon(Array(repeating: z, count: rounds - 1), delta: 1e-5)
            #expect(fewer < composed)
        }
    }

    @Test func theNoiseMeetsThePlannedBudgetExactly() throws {
        let settings = SitePrivacySettings(epsilon: 4, delta: 1e-5, plannedRounds: 3)
        let z = try settings.noiseMultiplier()
        let spent = try SitePrivacyRecord.composedEpsilon([z, z, z], delta: 1e-5)
        #expect(spent <= 4 && spent > 3.99, "3 rounds at z = \(z) spend ε = \(spent) of 4")
    }

    static func registry(_ template: DiseaseTemplate, _ patients: Range<Int>, seed: UInt64) -> [PatientSequence] {
        var options = SimulationOptions(seed: seed)
        options.registry = RegistryProtocol()
        let simulator = CohortSimulator(template: template, options: options)
        return simulator.patients(patients, threads: 2).map {
            PatientSequence(timeline: $0.timeline, template: template, concepts: simulator.concepts)
        }
    }

    @Test func aPrivateRoundReleasesAFixedListAndARoundPastTheBudgetIsRefused() throws {
        let gaucher = try TestSupport.shippedTemplate("gaucher")
        let model = try FederatedLearning.initialModel(template: gaucher, start: nil, startLabel: "t", seed: 2)
        let digest = SHA256.hexDigest(of: try model.encoded())
        var options = LearningOptions()
        options.rounds = 3
        options.twinsPerPatient = 2
        var privacy = SitePrivacySettings(epsilon: 3, delta: 1e-5, plannedRounds: 2)
        privacy.groupSize = 30
        let a = try FederatedLearning.privateSiteUpdate(
            model: model, modelDigest: digest, template: gaucher, records: Self.registry(gaucher, 0..<90, seed: 1),
            site: "a", options: options, privacy: privacy, spent: [])
        let b = try FederatedLearning.privateSiteUpdate(
            model: model, modelDigest: digest, template: gaucher, records: Self.registry(gaucher, 90..<150, seed: 2),
            site: "b", options: options, privacy: privacy, spent: [])
        // The same numbers, in the same order, whatever the records: their list discloses nothing.
        try #require(a.numbers.count > 10)
        #expect(a.numbers.map { AdjustmentKey($0.adjustment) } == b.numbers.map { AdjustmentKey($0.adjustment) })
        #expect(a.numbers.allSatisfy { $0.patients == 90 && $0.adjustment.evidence == nil })
        let record = try #require(a.privacy)
        #expect(record.groups == 3 && record.noiseMultipliers.count == 1 && record.epsilon < 3)
        // Same inputs and seed: the same noisy release.
        let again = try FederatedLearning.privateSiteUpdate(
            model: model, modelDigest: digest, template: gaucher, records: Self.registry(gaucher, 0..<90, seed: 1),
            site: "a", options: options, privacy: privacy, spent: [])
        #expect(again == a)
        // Two rounds spend the budget; a third is refused.
        let z = record.noiseMultipliers[0]
        do {
            _ = try FederatedLearning.privateSiteUpdate(
                model: model, modelDigest: digest, template: gaucher, records: Self.registry(gaucher, 0..<90, seed: 1),
                site: "a", options: options, privacy: privacy, spent: [z, z])
            Issue.record("a round past the budget was not refused")
        } catch {
            #expect(error.isBudgetRefusal && error.message.contains("past its budget"), "\(error.message)")
        }
        // The coordinator records the site's guarantee, and refuses an update that forgets it.
        let next = try FederatedAveraging.aggregate(model: model, modelDigest: digest, updates: [a, b])
        #expect(next.federation?.sites.first { $0.label == "a" }?.privacy == record)
        let nextDigest = SHA256.hexDigest(of: try next.encoded())
        var forgetful = try FederatedLearning.siteUpdate(
            model: next, modelDigest: nextDigest, template: gaucher, records: Self.registry(gaucher, 0..<90, seed: 1),
            site: "a", options: options)
        forgetful.privacy = nil
        #expect(throws: FederationError.self) {
            try FederatedAveraging.aggregate(model: next, modelDigest: nextDigest, updates: [forgetful])
        }
    }
}
