import Foundation
import NeuralNetworks
import Parallelism
import Randomness

/// How a model is trained.
package struct TrainingOptions: Sendable, Codable, Equatable {
    package var epochs = 200
    package var batchSize = 32
    package var learningRate: Float = 3e-3
    package var clipNorm: Float = 5
    /// KL weight rises linearly from 0 to 1 over this many epochs (annealing against posterior collapse).
    package var klWarmupEpochs = 30
    /// Per-dimension KL floor in nats ("free bits").
    package var freeBits: Float = 0.05
    /// The KL weight reached after warm-up (β of a β-VAE; 1 is the ELBO).
    package var klWeight: Float = 1
    /// Stop when validation loss has not improved for this many epochs (keeping the best model).
    package var patience = 25
    package var validationFraction = 0.2
    package var seed: UInt64 = 1
    /// Gradient shards: fixed, so that the thread count does not change the result.
    package var shards = 4
    package var threads = defaultThreadCount

    package init() {}
}

/// One epoch's report.
package struct EpochReport: Sendable, Codable {
    package var epoch: Int
    package var beta: Float
    package var training: LossTerms
    package var validation: LossTerms?
    package var seconds: Double
    package var improved: Bool
}

/// What a training run did.
package struct TrainingSummary: Sendable, Codable {
    package var epochs: [EpochReport]
    package var bestEpoch: Int
    package var trainingSequences: Int
    package var validationSequences: Int
    package var seconds: Double
    package var stoppedEarly: Bool

    package var bestValidationLoss: Double? { epochs.first { $0.epoch == bestEpoch }?.validation?.total }
    /// Training sequences processed per second (forward, backward and update).
    package var sequencesPerSecond: Double {
        Double(trainingSequences * epochs.count) / max(epochs.reduce(0) { $0 + $1.seconds }, 1e-9)
    }
}

/// Trains a `SequenceVAE` with Adam, global-norm clipping, KL annealing and free bits, early
/// stopping on a validation split. Deterministic for a seed: batches, noise and the gradient
/// reduction order depend on the seed and the shard count only.
package struct Trainer {
    package var options: TrainingOptions

    package init(options: TrainingOptions) { self.options = options }

    /// Splits sequences into training and validation sets (by patient, seeded).
    package func split(_ data: [EncodedSequence]) -> (training: [EncodedSequence], validation: [EncodedSequence]) {
        var random = RandomStream(seed: options.seed, stream: 0xDA7A)
        let order = random.shuffledIndices(data.count)
        let nValidation = data.count >= 10 ? Int((Double(data.count) * options.validationFraction).rounded()) : 0
        let validation = order.prefix(nValidation).sorted().map { data[$0] }
        let training = order.dropFirst(nValidation).sorted().map { data[$0] }
        return (training, validation)
    }

    /// Trains `model` in place; `progress` is called after every epoch.
    @discardableResult
    package func train(_ model: inout SequenceVAE, training: [EncodedSequence], validation: [EncodedSequence],
                      progress: (EpochReport) -> Void = { _ in }) -> TrainingSummary {
        let start = Date()
        var adam = Adam(parameterCount: model.parameterCount, learningRate: options.learningRate)
        var shards = GradientShards<PassWorkspace>(count: options.shards, parameterCount: model.parameterCount) { _ in
            PassWorkspace()
        }
        var best = model.store.values
        var bestLoss = Double.infinity, bestEpoch = 0
        var reports: [EpochReport] = []
        var stale = 0
        let latent = model.configuration.latent
        for epoch in 1...max(1, options.epochs) {
            let epochStart = Date()
            let ramp = options.klWarmupEpochs > 0 ? min(1, Float(epoch - 1) / Float(options.klWarmupEpochs)) : 1
            let beta = ramp * options.klWeight
            var random = RandomStream(seed: options.seed, stream: UInt64(epoch))
            let order = random.shuffledIndices(training.count)
            var terms = LossTerms()
            var batches = 0
            for start in stride(from: 0, to: order.count, by: options.batchSize) {
                let batch = order[start..<min(start + options.batchSize, order.count)].map { training[$0] }
                let noise = (0..<(batch.count * latent)).map { _ in Float(random.nextNormal()) }
                var total = [Float](repeating: 0, count: model.parameterCount)
                let frozen = model
                let (shardCount, freeBits) = (options.shards, options.freeBits)
                var shardTerms = [LossTerms](repeating: LossTerms(), count: shardCount)
                let collected = IndexedTerms(count: shardCount)
                _ = shards.sum(into: &total, threads: options.threads) { shard, workspace, gradient in
                    let lo = batch.count * shard / shardCount, hi = batch.count * (shard + 1) / shardCount
                    guard hi > lo else { return 0 }
                    let part = Array(batch[lo..<hi])
                    let eps = Array(noise[(lo * latent)..<(hi * latent)])
                    var t = frozen.pass(part, noise: eps, beta: beta, freeBits: freeBits,
                                        parameters: frozen.store.values, gradients: &gradient, workspace: &workspace)
                    // Each shard averaged over its own part: reweight to the batch mean.
                    let weight = Float(part.count) / Float(batch.count)
                    for i in gradient.indices { gradient[i] *= weight }
                    t = t.scaled(Double(weight))
                    collected.set(shard, t)
                    return 0
                }
                for s in 0..<shardCount { shardTerms[s] = collected.get(s) }
                terms = terms + shardTerms.reduce(LossTerms(), +)
                _ = GradientClipping.clipGlobalNorm(&total, maxNorm: options.clipNorm)
                adam.update(&model.store.values, gradients: total)
                batches += 1
            }
            let trainingTerms = terms.scaled(1 / Double(max(batches, 1)))
            let validationTerms = validation.isEmpty ? nil : evaluate(model, validation)
            let monitored = validationTerms?.total ?? trainingTerms.total
            // Only models trained with the full KL weight compete for "best".
            let improved = ramp >= 1 && monitored < bestLoss - 1e-4
            if improved {
                bestLoss = monitored
                bestEpoch = epoch
                best = model.store.values
                stale = 0
            } else if ramp >= 1 {
                stale += 1
            }
            let report = EpochReport(epoch: epoch, beta: beta, training: trainingTerms, validation: validationTerms,
                                     seconds: Date().timeIntervalSince(epochStart), improved: improved)
            reports.append(report)
            progress(report)
            if stale >= options.patience { break }
        }
        if bestEpoch > 0 { model.store.values = best } else { bestEpoch = reports.last?.epoch ?? 0 }
        return TrainingSummary(epochs: reports, bestEpoch: bestEpoch, trainingSequences: training.count,
                               validationSequences: validation.count, seconds: Date().timeIntervalSince(start),
                               stoppedEarly: reports.count < options.epochs)
    }

    /// Mean objective on `data` with the posterior mean (deterministic).
    package func evaluate(_ model: SequenceVAE, _ data: [EncodedSequence]) -> LossTerms {
        let latent = model.configuration.latent
        let chunks = stride(from: 0, to: data.count, by: 64).map { Array(data[$0..<min($0 + 64, data.count)]) }
        let results: [LossTerms] = parallelMap(count: chunks.count, threads: options.threads) { i in
            var workspace = PassWorkspace()
            let chunk = chunks[i]
            return model.loss(chunk, noise: [Float](repeating: 0, count: chunk.count * latent),
                              parameters: model.store.values, workspace: &workspace).scaled(Double(chunk.count))
        }
        return results.reduce(LossTerms(), +).scaled(1 / Double(max(data.count, 1)))
    }
}

/// Loss terms written by shard index from worker threads.
final class IndexedTerms: @unchecked Sendable {
    private var values: [LossTerms]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: LossTerms(), count: count) }
    func set(_ i: Int, _ t: LossTerms) { lock.lock(); values[i] = t; lock.unlock() }
    func get(_ i: Int) -> LossTerms { lock.lock(); defer { lock.unlock() }; return values[i] }
}
