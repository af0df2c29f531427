import DenseKernels
import Dispatch

/// Data-parallel gradient sums over a fixed number of shards, with a result that depends only on
/// the number of shards, never on the number of threads.
///
/// Each shard owns a gradient buffer and a caller-defined workspace (layer traces, activations)
/// that persist from one call to the next, so a training loop allocates nothing per step. A call
/// runs the shards on up to `threads` threads, then adds the shard buffers to the total in shard
/// order. Pick the shard count once (say 2 or 4) and keep it: 1 thread and 2 threads then give
/// bitwise the same model, and the thread count is purely a speed setting.
package struct GradientShards<Workspace: Sendable>: Sendable {
    struct Shard: Sendable {
        var workspace: Workspace
        var gradient: [Float]
        var example: [Float] = []
    }

    /// Number of shards.
    package let count: Int
    package let parameterCount: Int
    var shards: [Shard]

    /// `count` shards for a model of `parameterCount` parameters; `workspace(i)` makes shard i's.
    /// Memory: count × parameterCount floats, twice that after per-example use.
    package init(count: Int, parameterCount: Int, workspace: (Int) -> Workspace) {
        precondition(count > 0, "GradientShards: need at least one shard")
        self.count = count
        self.parameterCount = parameterCount
        shards = (0..<count).map {
            Shard(workspace: workspace($0), gradient: [Float](repeating: 0, count: parameterCount))
        }
    }

    /// Runs `body(shard, &workspace, &gradient)` for every shard with its gradient zeroed first,
    /// adds the shard gradients to `total` in shard order and returns each body's value (a loss).
    package mutating func sum(
        into total: inout [Float], threads: Int,
        body: @Sendable (_ shard: Int, _ workspace: inout Workspace, _ gradient: inout [Float]) -> Float
    ) -> [Float] {
        let parameterCount = parameterCount
        return run(into: &total, threads: threads) { index, shard in
            shard.gradient.resetToZeros(count: parameterCount)
            return body(index, &shard.workspace, &shard.gradient)
        }
    }

    /// DP-SGD's clipped sum over `examples` examples: `gradient(i, &workspace, &g)` fills a zeroed
    /// vector g (typically with a forward and backward pass on a batch of one); g is scaled to norm
    /// at most `clipNorm` and the clipped vectors are added to `total`. Returns each example's norm
    /// before clipping.
    ///
    /// Examples are split into `count` contiguous groups, summed in example order within a group.
    /// Cost: one batch-of-one pass per example, where the matrix products degenerate to
    /// vector–matrix products that fill a quarter of each 4-row register tile and the per-step
    /// overheads do not amortise; nn-bench prints its throughput next to the batched one.
    package mutating func clippedPerExampleSum(
        examples: Int, clipNorm: Float, into total: inout [Float], threads: Int,
        gradient: @Sendable (_ example: Int, _ workspace: inout Workspace, _ gradient: inout [Float]) -> Void
    ) -> [Float] {
        var norms = [Float](repeating: 0, count: examples)
        norms.withUnsafeMutableBufferPointer { norms in
            let normsOut = SendablePointer(norms.baseAddress)
            let (shardCount, parameterCount) = (count, parameterCount)
            _ = run(into: &total, threads: threads) { index, shard in
                shard.gradient.resetToZeros(count: parameterCount)
                for i in (examples * index / shardCount)..<(examples * (index + 1) / shardCount) {
                    shard.example.resetToZeros(count: parameterCount)
                    gradient(i, &shard.workspace, &shard.example)
                    let norm = GradientClipping.globalNorm(shard.example)
                    normsOut.pointer![i] = norm
                    VectorOps.axpy(norm > clipNorm ? clipNorm / norm : 1, shard.example, &shard.gradient)
                }
                return 0
            }
        }
        return norms
    }

    /// Runs `work` on every shard (worker w takes shards w, w + workers, …), then sums.
    private mutating func run(
        into total: inout [Float], threads: Int, work: @Sendable (Int, inout Shard) -> Float
    ) -> [Float] {
        precondition(total.count == parameterCount, "GradientShards: total is not \(parameterCount) long")
        var values = [Float](repeating: 0, count: count)
        let workers = max(1, min(threads, count))
        let shardCount = count
        shards.withUnsafeMutableBufferPointer { shards in
            values.withUnsafeMutableBufferPointer { values in
                let (shardsOut, valuesOut) = (SendablePointer(shards.baseAddress), SendablePointer(values.baseAddress))
                @Sendable func worker(_ w: Int) {
                    for index in stride(from: w, to: shardCount, by: workers) {
                        valuesOut.pointer![index] = work(index, &shardsOut.pointer![index])
                    }
                }
                if workers == 1 {
                    worker(0)
                } else {
                    DispatchQueue.concurrentPerform(iterations: workers, execute: worker)
                }
            }
        }
        for shard in shards { VectorOps.axpy(1, shard.gradient, &total) }
        return values
    }
}

/// A pointer that worker threads use at disjoint indices.
private struct SendablePointer<Pointee>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Pointee>?
    init(_ pointer: UnsafeMutablePointer<Pointee>?) { self.pointer = pointer }
}
