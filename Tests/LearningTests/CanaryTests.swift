import DiseaseModeling
import Foundation
import Parallelism
import Simulation
import Testing
import Timelines
@testable import Learning

/// Canaries: a few unmistakable patients planted in the seed records — every score 40 points
/// (about 40 noise SDs) above what the template expects for them. A DP-trained model must not give
/// one back in 10,000 generated patients; a deliberately overfitted model must, or the check could
/// never fail.
@Suite(.serialized) struct CanaryTests {
    static let offset = 40.0

    /// Seed records with `canaries` planted among `normal` registry patients.
    func seeds(base: DiseaseTemplate, normal: Int, canaries: Int) -> [PatientSequence] {
        var options = PlantedTemplates.registry
        options.seed = 31
        let simulator = CohortSimulator(template: base, options: options)
        let people = simulator.patients(0..<(normal + 40 * canaries), threads: 2)
        var sequences = PlantedTemplates.sequences(Array(people.prefix(normal)), base: base)
        // Canaries: patients with at least 5 visits, every score moved to expected + 40.
        let candidates = PlantedTemplates.sequences(Array(people.dropFirst(normal)), base: base).filter {
            $0.visits.count >= 5
        }
        for var canary in candidates.prefix(canaries) {
            let course = ExpectedCourse.compute(template: base, history: canary.history(),
                                                until: canary.visits.last!.age)
            for v in canary.visits.indices {
                canary.visits[v].values[0] = course.value(ofMeasure: 0, atAge: canary.visits[v].age) + Self.offset
            }
            sequences.append(canary)
        }
        return sequences
    }

    /// Generated records with at least 4 consecutive scores 30–50 above their expectation.
    func canariesBack(_ generator: ModelGenerator, patients: Int) -> Int {
        let template = generator.simulator.template
        let concepts = generator.simulator.concepts
        let hits: [Int] = parallelMap(count: patients, threads: 2) { i in
            let p = generator.patient(i)
            let s = PatientSequence(timeline: p.timeline, template: template, concepts: concepts)
            guard let last = s.visits.last else { return 0 }
            let course = ExpectedCourse.compute(template: template, history: s.history(), until: last.age)
            var run = 0, longest = 0
            for v in s.visits {
                let value = v.values[0]
                let near = !value.isNaN && abs(value - course.value(ofMeasure: 0, atAge: v.age) - Self.offset) <= 10
                run = near ? run + 1 : (value.isNaN ? run : 0)
                longest = max(longest, run)
            }
            return longest >= 4 ? 1 : 0
        }
        return hits.reduce(0, +)
    }

    func generator(_ model: SequenceVAE, base: DiseaseTemplate) -> ModelGenerator {
        var options = PlantedTemplates.registry
        options.seed = 77
        return ModelGenerator(simulator: CohortSimulator(template: base, options: options), model: model)
    }

    @Test func dpModelDoesNotGiveCanariesBack() throws {
        let (base, _) = try PlantedTemplates.pair(hidden: false, plant: "")
        let records = seeds(base: base, normal: 400, canaries: 3)
        var options = TrainingOptions()
        options.epochs = 30
        let result = try TrainingPipeline(template: base, configuration: ModelConfiguration(hidden: 32, latent: 4),
                                          options: options, pretrainPatients: 300, pretrainEpochs: 20)
            .run(seed: records, seedLabel: "canaries", privacy: PrivacyTarget(epsilon: 3, delta: 1e-5))
        let privacy = try #require(result.checkpoint.header.privacy)
        #expect(privacy.epsilon <= 3 && privacy.epsilon > 2.97)
        #expect(privacy.steps == Int((30 * Double(records.count) / 32).rounded()))
        let back = canariesBack(generator(result.model, base: base), patients: 10_000)
        print("canaries back from the DP model (ε = \(privacy.epsilon)): \(back) of 10,000")
        #expect(back == 0)
    }

    @Test func overfittedModelGivesCanariesBack() throws {
        let (base, _) = try PlantedTemplates.pair(hidden: false, plant: "")
        let records = seeds(base: base, normal: 12, canaries: 3)
        var options = TrainingOptions()
        options.epochs = 400
        options.patience = 10_000
        options.validationFraction = 0
        options.klWeight = 0.01
        let result = TrainingPipeline(template: base, configuration: ModelConfiguration(hidden: 32, latent: 4),
                                      options: options, pretrainPatients: 0, pretrainEpochs: 0)
            .run(seed: records, seedLabel: "canaries")
        let back = canariesBack(generator(result.model, base: base), patients: 10_000)
        print("canaries back from the overfitted model: \(back) of 10,000")
        #expect(back > 50)
    }
}
