import DiseaseModeling
import Foundation
import Simulation
import Testing
import Timelines
@testable import Learning

@Suite struct TrainingTests {
    func data() throws -> (DiseaseTemplate, [PatientSequence]) {
        let (base, _) = try PlantedTemplates.pair(hidden: false, plant: "")
        let people = CohortSimulator(template: base, options: PlantedTemplates.registry).patients(0..<120, threads: 2)
        return (base, PlantedTemplates.sequences(people, base: base))
    }

    /// Same seed, same model; and the thread count is only a speed setting.
    @Test func trainingIsDeterministicWhateverTheThreads() throws {
        let (base, sequences) = try data()
        func train(threads: Int) -> [Float] {
            var options = TrainingOptions()
            options.epochs = 6
            options.threads = threads
            return TrainingPipeline(template: base, configuration: ModelConfiguration(hidden: 12, latent: 3),
                                    options: options, pretrainPatients: 60, pretrainEpochs: 2)
                .run(seed: sequences, seedLabel: "t").checkpoint.parameters
        }
        let one = train(threads: 1)
        #expect(one == train(threads: 1))
        #expect(one == train(threads: 2))
    }

    @Test func lossFallsAndEarlyStoppingKeepsTheBest() throws {
        let (base, sequences) = try data()
        var options = TrainingOptions()
        options.epochs = 120
        options.patience = 8
        let result = TrainingPipeline(template: base, configuration: ModelConfiguration(hidden: 16, latent: 3),
                                      options: options, pretrainPatients: 0, pretrainEpochs: 0)
            .run(seed: sequences, seedLabel: "t")
        let epochs = result.fineTuning.epochs
        let first = epochs.first!.validation!.total, best = result.fineTuning.bestValidationLoss!
        #expect(best < first - 1, "validation loss \(first) → \(best)")
        #expect(epochs.contains { $0.epoch == result.fineTuning.bestEpoch && $0.improved })
        if result.fineTuning.stoppedEarly { #expect(epochs.count - result.fineTuning.bestEpoch >= options.patience) }
        #expect(result.checkpoint.header.training.bestEpoch == result.fineTuning.bestEpoch)
    }
}

@Suite struct FeatureEncoderTests {
    /// Targets line up with the visits: gaps, the end flag, events since the previous visit.
    @Test func encodesTargetsOfAKnownRecord() throws {
        let (base, _) = try PlantedTemplates.pair(hidden: false, plant: "")
        let birth = CalendarDay(year: 1970, month: 1, day: 1)
        let sequence = PatientSequence(
            id: "p", sex: .female, birth: birth, categories: [nil], numbers: [0.5], onsetAge: 20, diagnosisAge: 21,
            eventAges: [33.5], treatmentPeriods: [], deathAge: nil,
            visits: [.init(age: 30, values: [31]), .init(age: 31, values: [.nan]), .init(age: 34, values: [35])])
        let schema = SequenceSchema(templateID: "planted", measureIDs: ["score"], eventIndices: [0],
                                    eventIDs: ["milestone"], treatmentIDs: [],
                                    attributes: [.init(id: "marker", categories: 0, mean: 0, sd: 1)],
                                    logScale: [false], measureMean: [30], measureSD: [10],
                                    eventHazards: EventHazards(
                                        hazards: [[Double](repeating: 0.1, count: EventHazards.bands)]))
        let encoded = FeatureEncoder(schema: schema, template: base).encode(sequence)
        #expect(encoded.steps == 3)
        #expect(encoded.observed == [1, 0, 1])
        // Expected score at 30 is 10 + 1 × (30 − 20) = 20: residual (31 − 20) / 10.
        #expect(abs(encoded.residualTarget[0] - 1.1) < 1e-6)
        #expect(abs(encoded.gapTarget[0] - 0) < 1e-6 && abs(encoded.gapTarget[1] - Float(log(3.0))) < 1e-6)
        #expect(encoded.gapWeight == [1, 1, 0] && encoded.endTarget == [0, 0, 1])
        #expect(encoded.eventWeight == [0, 1, 1] && encoded.eventTarget == [0, 0, 1])
        // Template offset: log-odds of 1 − e^(−0.1 × years between visits).
        let p3 = 1 - exp(-0.3)
        #expect(abs(encoded.eventOffset[2] - Float(log(p3 / (1 - p3)))) < 1e-5)
        #expect(encoded.staticFeatures == [0, 0.5, 1, 0.4, 1, 0.42, 0])
        #expect(encoded.context.count == 3 * schema.contextWidth)
        // On the log scale the residual is the log-ratio over the log-scale SD.
        var logSchema = schema
        logSchema.logScale = [true]
        logSchema.measureMean = [log(30)]
        logSchema.measureSD = [0.5]
        let logEncoded = FeatureEncoder(schema: logSchema, template: base).encode(sequence)
        #expect(abs(Double(logEncoded.residualTarget[0]) - log(31.0 / 20.0) / 0.5) < 1e-5)
        #expect(SequenceSchema.prefersLogScale((1...100).map { exp(Double($0) / 20) }, floor: 0.1))
        #expect(!SequenceSchema.prefersLogScale((1...100).map { Double($0) }, floor: 0.1))
        #expect(!SequenceSchema.prefersLogScale((1...100).map { exp(Double($0) / 20) }, floor: 0))
    }
}
