import DiseaseModeling
import Foundation
import Parallelism
import Simulation
import Timelines

/// Pre-training on template-simulated registry records, then fine-tuning on the seed records.
package struct TrainingPipeline: Sendable {
    package var template: DiseaseTemplate
    package var configuration: ModelConfiguration
    package var options: TrainingOptions
    /// Template-simulated registry-extract patients to pre-train on (0: no pre-training).
    package var pretrainPatients: Int
    package var pretrainEpochs: Int

    package init(template: DiseaseTemplate, configuration: ModelConfiguration = ModelConfiguration(),
                options: TrainingOptions = TrainingOptions(), pretrainPatients: Int = 1000, pretrainEpochs: Int = 40) {
        self.template = template
        self.configuration = configuration
        self.options = options
        self.pretrainPatients = pretrainPatients
        self.pretrainEpochs = pretrainEpochs
    }

    /// Which phase an epoch report belongs to.
    package enum Phase: String, Sendable { case pretraining, fineTuning = "fine-tuning" }

    package struct Result: Sendable {
        package var checkpoint: ModelCheckpoint
        package var model: SequenceVAE
        package var pretraining: TrainingSummary?
        package var fineTuning: TrainingSummary
    }

    /// Template-simulated registry extracts: the pre-training records.
    package func simulatedRegistry(patients: Int, seed: UInt64) -> [PatientSequence] {
        var options = SimulationOptions(seed: seed)
        options.registry = RegistryProtocol(opened: CalendarDay(year: 1995, month: 1, day: 1), meanFollowUpYears: 8,
                                            enrolmentClosesYearsBeforeExtract: 1)
        let simulator = CohortSimulator(template: template, options: options)
        return simulator.patients(0..<patients, threads: self.options.threads).map {
            PatientSequence(timeline: $0.timeline, template: template, concepts: simulator.concepts)
        }.filter { !$0.visits.isEmpty }
    }

    /// Encodes sequences in parallel (each needs the template's expected course).
    package func encode(_ sequences: [PatientSequence], schema: SequenceSchema) -> [EncodedSequence] {
        let encoder = FeatureEncoder(schema: schema, template: template)
        return parallelMap(count: sequences.count, threads: options.threads) { encoder.encode(sequences[$0]) }
    }

    package func run(seed sequences: [PatientSequence], seedLabel: String,
                    progress: (Phase, EpochReport) -> Void = { _, _ in }) -> Result {
        // Without a privacy target nothing can throw.
        try! run(seed: sequences, seedLabel: seedLabel, privacy: nil, progress: progress)
    }

    /// Trains on the seed records; with a privacy target, fine-tuning is DP-SGD and nothing else
    /// touches the seed records: normalisation, the latent prior and the residual calibration
    /// come from template-simulated records, and there is no validation split or model selection.
    package func run(seed sequences: [PatientSequence], seedLabel: String, privacy: PrivacyTarget?,
                    progress: (Phase, EpochReport) -> Void = { _, _ in }) throws(PrivacyTrainingError) -> Result {
        let simulatedSequences = privacy != nil || pretrainPatients > 0
            ? simulatedRegistry(patients: max(pretrainPatients, privacy != nil ? 300 : 0), seed: options.seed &+ 0x9E37)
            : []
        let schema = SequenceSchema.fit(template: template, sequences: privacy != nil ? simulatedSequences : sequences,
                                        threads: options.threads)
        var model = SequenceVAE(schema: schema, configuration: configuration, seed: options.seed)
        let simulated = encode(simulatedSequences, schema: schema)
        var pretraining: TrainingSummary?
        if pretrainPatients > 0 && pretrainEpochs > 0 {
            var pretrainOptions = options
            pretrainOptions.epochs = pretrainEpochs
            pretrainOptions.patience = max(5, pretrainEpochs / 4)
            pretrainOptions.klWarmupEpochs = min(options.klWarmupEpochs, max(1, pretrainEpochs / 3))
            let trainer = Trainer(options: pretrainOptions)
            let (train, validation) = trainer.split(simulated)
            pretraining = trainer.train(&model, training: train, validation: validation) { progress(.pretraining, $0) }
        }
        let trainer = Trainer(options: options)
        let fineTuning: TrainingSummary
        let train: [EncodedSequence], validation: [EncodedSequence]
        var privacyRecord: PrivacyRecord?
        if let privacy {
            train = encode(sequences, schema: schema)
            validation = []
            let guarantee = try trainer.privacyPlan(records: train.count, target: privacy)
            fineTuning = trainer.trainPrivately(&model, data: train, guarantee: guarantee, clipNorm: privacy.clipNorm) {
                progress(.fineTuning, $0)
            }
            privacyRecord = PrivacyRecord(epsilon: guarantee.epsilon, delta: guarantee.delta,
                                          noiseMultiplier: guarantee.noiseMultiplier, clipNorm: privacy.clipNorm,
                                          sampleRate: guarantee.sampleRate, steps: guarantee.steps)
        } else {
            (train, validation) = trainer.split(encode(sequences, schema: schema))
            fineTuning = trainer.train(&model, training: train, validation: validation) { progress(.fineTuning, $0) }
        }
        // Calibrations read records through the trained model: the seed records, or with a
        // privacy target the template-simulated ones (post-processing of the DP model only).
        let calibration = privacy != nil ? simulated : train + validation
        model.residualScale = model.residualCalibration(calibration)
        let posterior = model.posterior(calibration)
        model.latentPrior = LatentPrior.fit(means: posterior.means, logVariances: posterior.logVariances,
                                            dimensions: configuration.latent)
        let header = CheckpointHeader(
            formatVersion: ModelCheckpoint.formatVersion, templateID: template.id, templateVersion: template.version,
            templateDigest: template.digest, schema: schema, configuration: configuration,
            parameterCount: model.parameterCount,
            training: TrainingRecord(seedRecords: seedLabel, sequences: train.count,
                                     validationSequences: validation.count, epochs: fineTuning.epochs.count,
                                     bestEpoch: fineTuning.bestEpoch, bestValidationLoss: fineTuning.bestValidationLoss,
                                     seed: options.seed,
                                     pretrainedOn: pretraining.map { _ in
                                         "\(pretrainPatients) template-simulated registry patients"
                                     }),
            latentPrior: model.latentPrior, residualScale: model.residualScale, privacy: privacyRecord)
        return Result(checkpoint: ModelCheckpoint(header: header, parameters: model.store.values), model: model,
                      pretraining: pretraining, fineTuning: fineTuning)
    }
}
