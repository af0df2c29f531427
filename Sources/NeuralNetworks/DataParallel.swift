import DenseKernels
import Dispatch

/// Gradient sums over shards of a batch on several threads, with a result that depends only on
/// the number of shards, never on the number of threads.
///
/// Each shard's gradient goes to its own buffer; the buffers are added in shard order at the end.
/// Choose `shards` once (say 2 or 4) and keep it: then 1 thread and 2 threads give bitwise the
/// same model, and the thread count is purely a speed setting.
public enum DataParallel {
    /// Runs `body(shard, &gradient)` for every shard in 0..<shards, each into a zeroed vector of
    /// `parameterCount`, adds the vectors to `sum` in shard order and returns each body's value
    /// (a loss, say). Memory: shards × parameterCount floats.
    public static func sumGradients(
        shards: Int, threads: Int, parameterCount: Int, into sum: inout [Float],
        body: @Sendable (Int, inout [Float]) -> Float
    ) -> [Float] {
        precondition(shards > 0 && sum.count == parameterCount, "DataParallel: sum is not \(parameterCount) long")
        var buffers = [Float](repeating: 0, count: shards * parameterCount)
        var values = [Float](repeating: 0, count: shards)
        withMutableBuffers(&buffers, &values) { buffers, values in
            let (gradients, results) = (SendableBuffer(buffers), SendableBuffer(values))
            let workers = max(1, min(threads, shards))
            @Sendable func work(_ worker: Int) {
                for shard in stride(from: worker, to: shards, by: workers) {
                    var local = [Float](repeating: 0, count: parameterCount)
                    results.buffer[shard] = body(shard, &local)
                    gradients.write(local, at: shard * parameterCount)
                }
            }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        }
        buffers.withUnsafeBufferPointer { buffers in
            sum.withUnsafeMutableBufferPointer { sum in
                for shard in 0..<shards {
                    VectorOps.add(buffers.rows(shard..<(shard + 1), columns: parameterCount), to: sum)
                }
            }
        }
        return values
    }

    /// DP-SGD's clipped sum: for each example i in 0..<count, `gradient(i, &g)` fills a zeroed
    /// vector (typically a forward and backward pass on a batch of one), g is scaled to norm at
    /// most `clipNorm`, and the clipped vectors are added to `sum`. Returns the norms before
    /// clipping, per example.
    ///
    /// Examples are split into `shards` contiguous groups summed in example order, the groups in
    /// shard order. Cost: one batch-of-one pass per example, so the products degenerate to
    /// vector–matrix products that use a quarter of each 4-row register tile, and per-step
    /// overheads do not amortise; nn-bench reports the throughput next to the batched one.
    public static func clippedPerExampleSum(
        count: Int, parameterCount: Int, clipNorm: Float, shards: Int = 1, threads: Int = 1,
        into sum: inout [Float], gradient: @Sendable (Int, inout [Float]) -> Void
    ) -> [Float] {
        let shardCount = max(1, min(shards, count))
        var norms = [Float](repeating: 0, count: count)
        norms.withUnsafeMutableBufferPointer { norms in
            let shared = SendableBuffer(norms)
            _ = sumGradients(shards: shardCount, threads: threads, parameterCount: parameterCount, into: &sum) { shard, shardSum in
                var example = [Float](repeating: 0, count: parameterCount)
                for i in (count * shard / shardCount)..<(count * (shard + 1) / shardCount) {
                    example.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                    gradient(i, &example)
                    let norm = GradientClipping.globalNorm(example)
                    shared.buffer[i] = norm
                    VectorOps.axpy(norm > clipNorm ? clipNorm / norm : 1, example, &shardSum)
                }
                return 0
            }
        }
        return norms
    }
}

/// A buffer that worker threads write at disjoint positions.
private struct SendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Float>

    init(_ buffer: UnsafeMutableBufferPointer<Float>) { self.buffer = buffer }

    func write(_ values: [Float], at offset: Int) {
        values.withUnsafeBufferPointer { buffer.baseAddress!.advanced(by: offset).update(from: $0.baseAddress!, count: $0.count) }
    }
}
