import DenseKernels
import NeuralNetworks
import Randomness

/// Sequences per second of a full GRU-VAE training step (forward, backward, clipping, Adam).
enum TrainingBench {
    enum Mode: CaseIterable {
        case oneThread, gemmRows, shards

        var label: String {
            switch self {
            case .oneThread: return "1 thread"
            case .gemmRows: return "2 threads, GEMM row blocks"
            case .shards: return "2 threads, 2 batch shards"
            }
        }
    }

    static func run() {
        let (steps, size, features, latent) = (20, 32, 32, 16)
        print("\nGRU-VAE training step: batch \(size), \(steps) steps, input \(features), latent \(latent)")
        print(pad("hidden", 8) + pad("parameters", 12) + pad("mode", 30) + pad("ms/step", 10) + "sequences/s")
        for hidden in [64, 128] {
            var random = RandomStream(seed: 7, stream: UInt64(hidden))
            var store = ParameterStore()
            let model = SequenceVAE(features: features, hidden: hidden, latent: latent, store: &store, random: &random)
            let batch = SequenceVAE.Batch.random(steps: steps, size: size, features: features, random: &random)
            for mode in Mode.allCases {
                var adam = Adam(parameterCount: store.count, learningRate: 1e-3)
                var step: UInt64 = 0
                let seconds = Timing.secondsPerCall {
                    step += 1
                    trainingStep(model, batch, mode: mode, store: &store, adam: &adam, seed: step)
                }
                print(pad("\(hidden)", 8) + pad("\(store.count)", 12) + pad(mode.label, 30)
                    + pad(String(format1: seconds * 1e3), 10) + String(format1: Double(size) / seconds))
            }
            for threads in [1, 2] {
                let seconds = Timing.secondsPerCall { perExampleStep(model, batch, store: &store, threads: threads) }
                print(pad("\(hidden)", 8) + pad("\(store.count)", 12) + pad("per-example (DP), \(threads) thr", 30)
                    + pad(String(format1: seconds * 1e3), 10) + String(format1: Double(size) / seconds))
            }
        }
    }

    static func trainingStep(
        _ model: SequenceVAE, _ batch: SequenceVAE.Batch, mode: Mode, store: inout ParameterStore,
        adam: inout Adam, seed: UInt64
    ) {
        store.zeroGradients()
        let scale = 1 / Float(batch.size)
        switch mode {
        case .oneThread, .gemmRows:
            var random = RandomStream(seed: seed)
            _ = model.lossAndGradient(
                batch, parameters: store.values, gradients: &store.gradients, scale: scale,
                random: &random, threads: mode == .oneThread ? 1 : 2)
        case .shards:
            let parameters = store.values
            let half = batch.size / 2
            _ = DataParallel.sumGradients(shards: 2, threads: 2, parameterCount: store.count, into: &store.gradients) { shard, g in
                var random = RandomStream(seed: seed, stream: UInt64(shard))
                return model.lossAndGradient(
                    batch.subset((shard * half)..<((shard + 1) * half)), parameters: parameters, gradients: &g,
                    scale: scale, random: &random, threads: 1)
            }
        }
        GradientClipping.clipGlobalNorm(&store.gradients, maxNorm: 5)
        adam.update(&store)
    }

    /// DP-SGD's inner loop: per-sequence gradients (batches of one), clipped and summed.
    static func perExampleStep(_ model: SequenceVAE, _ batch: SequenceVAE.Batch, store: inout ParameterStore, threads: Int) {
        let parameters = store.values
        store.zeroGradients()
        _ = DataParallel.clippedPerExampleSum(
            count: batch.size, parameterCount: store.count, clipNorm: 1, shards: 2, threads: threads,
            into: &store.gradients
        ) { i, g in
            var random = RandomStream(seed: 3, stream: UInt64(i))
            _ = model.lossAndGradient(
                batch.subset(i..<(i + 1)), parameters: parameters, gradients: &g, scale: 1, random: &random, threads: 1)
        }
    }
}
