import DifferentialPrivacy
import Foundation
import NeuralNetworks
import Randomness

/// The privacy target of DP-SGD training.
package struct PrivacyTarget: Sendable, Codable, Equatable {
    package var epsilon: Double
    package var delta: Double
    /// Per-example gradient norm bound C.
    package var clipNorm: Double

    package init(epsilon: Double, delta: Double, clipNorm: Double = 1) {
        self.epsilon = epsilon
        self.delta = delta
        self.clipNorm = clipNorm
    }
}

/// A DP training problem that cannot be run as asked.
package struct PrivacyTrainingError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

extension Trainer {
    /// The noise multiplier and the guarantee for `records` examples trained for the planned
    /// epochs (Poisson sampling at q = batch / records, steps = epochs / q).
    package func privacyPlan(records: Int, target: PrivacyTarget) throws(PrivacyTrainingError) -> PrivacyGuarantee {
        guard records >= 2 else { throw PrivacyTrainingError(message: "DP-SGD needs at least 2 training records") }
        let q = min(1, Double(options.batchSize) / Double(records))
        let steps = max(1, Int((Double(options.epochs) / q).rounded()))
        do {
            let budget = try PrivacyBudget(epsilon: target.epsilon, delta: target.delta)
            return try NoiseCalibration.noiseMultiplier(budget: budget, sampleRate: q, steps: steps)
        } catch let error as PrivacyAccountingError {
            throw PrivacyTrainingError(message: "differential privacy target (ε = \(target.epsilon), δ = "
                + "\(target.delta)) for \(records) records, batch \(options.batchSize), \(options.epochs) epochs: "
                + "\(error.message)")
        } catch {
            throw PrivacyTrainingError(message: "\(error)")
        }
    }

    /// DP-SGD (Abadi et al. 2016): each step draws a Poisson batch (every record independently
    /// with probability q), clips each record's gradient to norm C, adds N(0, σ²C²) noise to the
    /// sum and divides by the expected batch size qN before the Adam update. σ is chosen by the
    /// Rényi-DP accountant so that the planned steps meet (ε, δ). No validation split, no early
    /// stopping and no model selection: they would look at the data outside the mechanism.
    @discardableResult
    package func trainPrivately(_ model: inout SequenceVAE, data: [EncodedSequence], guarantee: PrivacyGuarantee,
                               clipNorm: Double, progress: (EpochReport) -> Void = { _ in }) -> TrainingSummary {
        let start = Date()
        var adam = Adam(parameterCount: model.parameterCount, learningRate: options.learningRate)
        var shards = GradientShards<PassWorkspace>(count: options.shards, parameterCount: model.parameterCount) { _ in
            PassWorkspace()
        }
        let latent = model.configuration.latent
        let q = guarantee.sampleRate
        let stepsPerEpoch = max(1, Int((1 / q).rounded()))
        var reports: [EpochReport] = []
        var step = 0
        var epoch = 0
        // Exactly the accounted number of steps, reported in epochs of about 1/q steps.
        while step < guarantee.steps {
            epoch += 1
            let epochStart = Date()
            let ramp = options.klWarmupEpochs > 0 ? min(1, Float(epoch - 1) / Float(options.klWarmupEpochs)) : 1
            let beta = ramp * options.klWeight
            var terms = LossTerms(), counted = 0
            for _ in 0..<stepsPerEpoch where step < guarantee.steps {
                var random = RandomStream(seed: options.seed ^ 0xD9_5C, stream: UInt64(step))
                let chosen = DPSGD.poissonSample(count: data.count, rate: q, using: &random)
                let noise = (0..<(chosen.count * latent)).map { _ in Float(random.nextNormal()) }
                var total = [Float](repeating: 0, count: model.parameterCount)
                let frozen = model
                let freeBits = options.freeBits
                let collected = IndexedTerms(count: chosen.count)
                _ = shards.clippedPerExampleSum(examples: chosen.count, clipNorm: Float(clipNorm), into: &total,
                                                threads: options.threads) { i, workspace, gradient in
                    let eps = Array(noise[(i * latent)..<((i + 1) * latent)])
                    let t = frozen.pass([data[chosen[i]]], noise: eps, beta: beta, freeBits: freeBits,
                                        parameters: frozen.store.values, gradients: &gradient, workspace: &workspace)
                    collected.set(i, t)
                }
                for i in 0..<chosen.count { terms = terms + collected.get(i) }
                counted += chosen.count
                DPSGD.addNoise(to: &total, noiseMultiplier: guarantee.noiseMultiplier, clipNorm: clipNorm,
                               using: &random)
                let scale = 1 / Float(q * Double(data.count))
                for i in total.indices { total[i] *= scale }
                adam.update(&model.store.values, gradients: total)
                step += 1
            }
            let report = EpochReport(epoch: epoch, beta: beta, training: terms.scaled(1 / Double(max(counted, 1))),
                                     validation: nil, seconds: Date().timeIntervalSince(epochStart), improved: false)
            reports.append(report)
            progress(report)
        }
        return TrainingSummary(epochs: reports, bestEpoch: reports.last?.epoch ?? 0, trainingSequences: data.count,
                               validationSequences: 0, seconds: Date().timeIntervalSince(start), stoppedEarly: false)
    }
}
