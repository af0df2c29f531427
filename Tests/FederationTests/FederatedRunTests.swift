import DiseaseModeling
import Foundation
@testable import Federation
import Serialization
import Simulation
import TemplateLearning
import Testing
import Timelines
import ZebraTestSupport

/// A federated run end to end in the library: sites with different case mixes, a planted effect
/// only the pooled records show well, the same bytes for a seed whatever the thread count.
@Suite struct FederatedRunTests {
    static func registry(_ template: DiseaseTemplate, patients: Range<Int>, seed: UInt64) -> [PatientSequence] {
        var options = SimulationOptions(seed: seed)
        options.registry = RegistryProtocol()
        let simulator = CohortSimulator(template: template, options: options)
        return simulator.patients(patients, threads: 2).map {
            PatientSequence(timeline: $0.timeline, template: template, concepts: simulator.concepts)
        }
    }

    /// Round-by-round federated learning over `sites`, as `zebra federated simulate` runs it.
    static func federate(_ base: DiseaseTemplate, sites: [[PatientSequence]], rounds: Int, threads: Int)
        throws -> (model: LearnedTemplate, bytes: [UInt8]) {
        var model = try FederatedLearning.initialModel(template: base, start: nil, startLabel: "template", seed: 3)
        var options = LearningOptions()
        options.rounds = 5
        options.threads = threads
        for _ in 0..<rounds {
            let digest = SHA256.hexDigest(of: try model.encoded())
            let updates = try sites.enumerated().map { s, records in
                try FederatedLearning.siteUpdate(model: model, modelDigest: digest, template: base, records: records,
                                                 site: "site\(s + 1)", options: options)
            }
            model = try FederatedAveraging.aggregate(model: model, modelDigest: digest, updates: updates)
        }
        return (model, try model.encoded())
    }

    @Test func federatedLearningFindsAnEffectAndIsDeterministic() throws {
        let gaucher = try TestSupport.shippedTemplate("gaucher")
        let truth = try gaucher.adjusted(by: [
            TemplateAdjustment(target: .mortality, value: 2.5), TemplateAdjustment(target: .sexMix, value: 0.3),
        ])
        let all = Self.registry(truth, patients: 0..<240, seed: 5)
        // Different case mixes: the sites split the registry by age at entry.
        let sorted = all.sorted { ($0.visits.first?.age ?? 0) < ($1.visits.first?.age ?? 0) }
        let sites = [Array(sorted[0..<80]), Array(sorted[80..<160]), Array(sorted[160...])]
        try #require(sites.allSatisfy { $0.count == 80 })
        let one = try Self.federate(gaucher, sites: sites, rounds: 2, threads: 1)
        let two = try Self.federate(gaucher, sites: sites, rounds: 2, threads: 2)
        #expect(one.bytes == two.bytes, "a federated run depends on the thread count")
        for sex in Sex.allCases {
            let m = one.model.adjustments.first { $0.target == .mortality && $0.condition == .init(sex: sex) }?.value
            #expect((m ?? 1) > 1.4, "mortality (\(sex)) ×\(m ?? 1); planted 2.5")
        }
        let male = one.model.adjustments.first { $0.target == .sexMix }?.value ?? gaucher.population.maleProbability
        #expect(abs(male - 0.3) < 0.1, "P(male) \(male); planted 0.3")
        let record = try #require(one.model.federation)
        #expect(record.round == 2)
        #expect(record.sites.map(\.label) == ["site1", "site2", "site3"])
        #expect(record.sites.allSatisfy { $0.rounds == [1, 2] && $0.patients == 80 })
        // The model generates like any learned template.
        let learned = try one.model.apply(to: gaucher)
        #expect(learned.id == gaucher.id)
        // Every multiplier stays within the learner's bounds of the template.
        for a in one.model.adjustments where a.male == nil && a.target != .sexMix {
            #expect(abs(log(a.value)) <= multiplierBound + 1e-12, "\(a.target) ×\(a.value)")
        }
    }
}
