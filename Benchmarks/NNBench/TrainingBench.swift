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
                var shards = GradientShards(count: mode == .shards ? 2 : 1, parameterCount: store.count) { _ in
                    SequenceVAE.Workspace()
                }
                var step: UInt64 = 0
                let seconds = Timing.secondsPerCall {
                    step += 1
                    trainingStep(model, batch, mode: mode, store: &store, shards: &shards, adam: &adam, seed: step)
                }
                print(pad("\(hidden)", 8) + pad("\(store.count)", 12) + pad(mode.label, 30)
                    + pad(String(format1: seconds * 1e3), 10) + String(format1: Double(size) / seconds))
            }
            var shards = GradientShards(count: 2, parameterCount: store.count) { _ in SequenceVAE.Workspace() }
            for threads in [1, 2] {
                let seconds = Timing.secondsPerCall {
                    perExampleStep(model, batch, store: &store, shards: &shards, threads: threads)
                }
                print(pad("\(hidden)", 8) + pad("\(store.count)", 12) + pad("per-example (DP), \(threads) thr", 30)
                    + pad(String(format1: seconds * 1e3), 10) + String(format1: Double(size) / seconds))
            }
        }
    }

    /// One Adam step; the batch is split over the shards (one shard: the whole batch).
    static func trainingStep(
        _ model: SequenceVAE, _ batch: SequenceVAE.Batch, mode: Mode, store: inout ParameterStore,
        shards: inout GradientShards<SequenceVAE.Workspace>, adam: inout Adam, seed: UInt64
    ) {
        store.zeroGradients()
        let scale = 1 / Float(batch.size)
        let parameters = store.values
        let parts = shards.count
        let kernelThreads = mode == .gemmRows ? 2 : 1
        _ = shards.sum(into: &store.gradients, threads: mode == .shards ? 2 : 1) { shard, workspace, g in
            var random = RandomStream(seed: seed, stream: UInt64(shard))
            let part = parts == 1 ? batch
                : batch.subset((shard * batch.size / parts)..<((shard + 1) * batch.size / parts))
            return model.lossAndGradient(
                part, parameters: parameters, gradients: &g, scale: scale, random: &random,
                threads: kernelThreads, workspace: &workspace)
        }
        GradientClipping.clipGlobalNorm(&store.gradients, maxNorm: 5)
        adam.update(&store)
    }

    /// DP-SGD's inner loop: per-sequence gradients (batches of one), clipped and summed.
    static func perExampleStep(
        _ model: SequenceVAE, _ batch: SequenceVAE.Batch, store: inout ParameterStore,
        shards: inout GradientShards<SequenceVAE.Workspace>, threads: Int
    ) {
        let parameters = store.values
        store.zeroGradients()
        _ = shards.clippedPerExampleSum(examples: batch.size, clipNorm: 1, into: &store.gradients, threads: threads) {
            i, workspace, g in
            var random = RandomStream(seed: 3, stream: UInt64(i))
            _ = model.lossAndGradient(
                batch.subset(i..<(i + 1)), parameters: parameters, gradients: &g, scale: 1, random: &random,
                threads: 1, workspace: &workspace)
        }
    }
}
