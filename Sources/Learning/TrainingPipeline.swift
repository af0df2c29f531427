import DiseaseModeling
import Foundation
import Parallelism
import Simulation
import Timelines

/// Pre-training on template-simulated registry records, then fine-tuning on the seed records.
public struct TrainingPipeline: Sendable {
    public var template: DiseaseTemplate
    public var configuration: ModelConfiguration
    public var options: TrainingOptions
    /// Template-simulated registry-extract patients to pre-train on (0: no pre-training).
    public var pretrainPatients: Int
    public var pretrainEpochs: Int

    public init(template: DiseaseTemplate, configuration: ModelConfiguration = ModelConfiguration(),
                options: TrainingOptions = TrainingOptions(), pretrainPatients: Int = 1000, pretrainEpochs: Int = 40) {
        self.template = template
        self.configuration = configuration
        self.options = options
        self.pretrainPatients = pretrainPatients
        self.pretrainEpochs = pretrainEpochs
    }

    /// Which phase an epoch report belongs to.
    public enum Phase: String, Sendable { case pretraining, fineTuning = "fine-tuning" }

    public struct Result: Sendable {
        public var checkpoint: ModelCheckpoint
        public var model: SequenceVAE
        public var pretraining: TrainingSummary?
        public var fineTuning: TrainingSummary
    }

    /// Template-simulated registry extracts: the pre-training records.
    public func simulatedRegistry(patients: Int, seed: UInt64) -> [PatientSequence] {
        var options = SimulationOptions(seed: seed)
        options.registry = RegistryProtocol(opened: CalendarDay(year: 1995, month: 1, day: 1), meanFollowUpYears: 8,
                                            enrolmentClosesYearsBeforeExtract: 1)
        let simulator = CohortSimulator(template: template, options: options)
        return simulator.patients(0..<patients, threads: self.options.threads).map {
            PatientSequence(timeline: $0.timeline, template: template, concepts: simulator.concepts)
        }.filter { !$0.visits.isEmpty }
    }

    /// Encodes sequences in parallel (each needs the template's expected course).
    public func encode(_ sequences: [PatientSequence], schema: SequenceSchema) -> [EncodedSequence] {
        let encoder = FeatureEncoder(schema: schema, template: template)
        return parallelMap(count: sequences.count, threads: options.threads) { encoder.encode(sequences[$0]) }
    }

    public func run(seed sequences: [PatientSequence], seedLabel: String,
                    progress: (Phase, EpochReport) -> Void = { _, _ in }) -> Result {
        let schema = SequenceSchema.fit(template: template, sequences: sequences)
        var model = SequenceVAE(schema: schema, configuration: configuration, seed: options.seed)
        var pretraining: TrainingSummary?
        if pretrainPatients > 0 && pretrainEpochs > 0 {
            let simulated = encode(simulatedRegistry(patients: pretrainPatients, seed: options.seed &+ 0x9E37), schema: schema)
            var pretrainOptions = options
            pretrainOptions.epochs = pretrainEpochs
            pretrainOptions.patience = max(5, pretrainEpochs / 4)
            pretrainOptions.klWarmupEpochs = min(options.klWarmupEpochs, max(1, pretrainEpochs / 3))
            let trainer = Trainer(options: pretrainOptions)
            let (train, validation) = trainer.split(simulated)
            pretraining = trainer.train(&model, training: train, validation: validation) { progress(.pretraining, $0) }
        }
        let trainer = Trainer(options: options)
        let (train, validation) = trainer.split(encode(sequences, schema: schema))
        let fineTuning = trainer.train(&model, training: train, validation: validation) { progress(.fineTuning, $0) }
        model.residualScale = model.residualCalibration(train + validation)
        let posterior = model.posterior(train + validation)
        model.latentPrior = LatentPrior.fit(means: posterior.means, logVariances: posterior.logVariances,
                                            dimensions: configuration.latent)
        let header = CheckpointHeader(
            formatVersion: ModelCheckpoint.formatVersion, templateID: template.id, templateVersion: template.version,
            templateDigest: template.digest, schema: schema, configuration: configuration,
            parameterCount: model.parameterCount,
            training: TrainingRecord(seedRecords: seedLabel, sequences: train.count, validationSequences: validation.count,
                                     epochs: fineTuning.epochs.count, bestEpoch: fineTuning.bestEpoch,
                                     bestValidationLoss: fineTuning.bestValidationLoss, seed: options.seed,
                                     pretrainedOn: pretraining.map { _ in "\(pretrainPatients) template-simulated registry patients" }),
            latentPrior: model.latentPrior, residualScale: model.residualScale, privacy: nil)
        return Result(checkpoint: ModelCheckpoint(header: header, parameters: model.store.values), model: model,
                      pretraining: pretraining, fineTuning: fineTuning)
    }
}
