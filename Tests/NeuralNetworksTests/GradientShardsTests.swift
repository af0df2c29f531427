import Randomness
import Testing

@testable import NeuralNetworks

@Suite struct GradientShardsTests {
    @Test func shardedSumDependsOnShardsNotThreads() {
        let count = 1000
        var shards = GradientShards(count: 4, parameterCount: count) { UInt64($0) }
        func run(threads: Int) -> ([Float], [Float]) {
            var sum = [Float](repeating: 1, count: count)
            let values = shards.sum(into: &sum, threads: threads) { shard, seed, g in
                var random = RandomStream(seed: 61, stream: seed)
                for i in g.indices { g[i] += Float(random.nextUnit()) }
                return Float(shard)
            }
            return (sum, values)
        }
        let (one, values) = run(threads: 1)
        #expect(values == [0, 1, 2, 3])
        #expect(run(threads: 2).0 == one && run(threads: 3).0 == one)
        var expected = [Float](repeating: 1, count: count)
        for shard in 0..<4 {
            var random = RandomStream(seed: 61, stream: UInt64(shard))
            for i in expected.indices { expected[i] += Float(random.nextUnit()) }
        }
        #expect(one == expected)
    }

    @Test func perExampleClippingBoundsEachContribution() {
        // Example i's gradient is (i+1)·(1, 0, 0): norms 1…4, clipped to 2.5.
        var shards = GradientShards(count: 2, parameterCount: 3) { _ in 0 }
        var sum = [Float](repeating: 0, count: 3)
        let norms = shards.clippedPerExampleSum(examples: 4, clipNorm: 2.5, into: &sum, threads: 2) { i, calls, g in
            g[0] += Float(i + 1)
            calls += 1
        }
        #expect(norms == [1, 2, 3, 4])
        #expect(sum == [1 + 2 + 2.5 + 2.5, 0, 0])
        #expect(shards.shards.map(\.workspace) == [2, 2])
    }

    /// Without clipping, the sum of batch-of-one GRU gradients is the batch gradient.
    @Test func perExampleGradientsSumToBatchGradient() {
        var random = RandomStream(seed: 62)
        var store = ParameterStore()
        let gru = GRU(inputSize: 3, hiddenSize: 8, name: "gru", store: &store, random: &random)
        let (steps, batch) = (5, 4)
        let lengths = [5, 3, 4, 1]
        let inputs = GradientCheck.values(steps * batch * 3, &random).floats
        let weights = GradientCheck.values(batch * 8, &random).floats
        var trace = gru.forward(inputs: inputs, lengths: lengths, steps: steps, parameters: store.values)
        _ = gru.backward(&trace, outputGradients: nil, finalStateGradient: weights, parameters: store.values,
                         gradients: &store.gradients, computeInputGradients: false)
        let parameters = store.values
        var sum = [Float](repeating: 0, count: store.count)
        var shards = GradientShards(count: 2, parameterCount: store.count) { _ in GRUTrace() }
        _ = shards.clippedPerExampleSum(examples: batch, clipNorm: .infinity, into: &sum, threads: 2) { b, trace, g in
            var x: [Float] = []
            for t in 0..<steps {
                let row = t * batch + b
                x += inputs[(row * 3)..<(row * 3 + 3)]
            }
            gru.forward(inputs: x, lengths: [lengths[b]], steps: steps, parameters: parameters, into: &trace)
            _ = gru.backward(&trace, outputGradients: nil, finalStateGradient: Array(weights[(b * 8)..<((b + 1) * 8)]),
                             parameters: parameters, gradients: &g, computeInputGradients: false)
        }
        #expect(sum.count == store.count && store.gradients.count == store.count)
        #expect(zip(sum, store.gradients).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
    }
}
