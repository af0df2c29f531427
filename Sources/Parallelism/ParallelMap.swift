import Dispatch
import Foundation

/// The number of worker threads to use by default: the machine's active processors.
package var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

/// Results written by index from several threads; each slot is written by exactly one worker.
final class IndexedSlots<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element?>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: nil, count: max(count, 1))
    }

    deinit {
        pointer.deinitialize(count: max(count, 1))
        pointer.deallocate()
    }
}

/// Maps `0..<count` through `body` on up to `threads` threads, returning results in index order.
///
/// Work is handed out in contiguous blocks by an atomic-free static split (worker w takes indices
/// w, w + threads, …), so which thread computes an element never affects its value: with one
/// random stream per index, the output is identical whatever the thread count.
package func parallelMap<T>(count: Int, threads: Int = defaultThreadCount,
                           _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let workers = max(1, min(threads, count))
    if workers == 1 { return (0..<count).map(body) }
    let slots = IndexedSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        var i = w
        while i < count {
            (slots.pointer + i).pointee = body(i)
            i += workers
        }
    }
    return (0..<count).map { (slots.pointer + $0).pointee! }
}

/// Like `parallelMap`, for bodies that may throw: the error of the lowest failing index is thrown.
package func parallelMapThrowing<T>(count: Int, threads: Int = defaultThreadCount,
                                   _ body: @Sendable (Int) throws -> T) throws -> [T] {
    let results: [Result<T, any Error>] = parallelMap(count: count, threads: threads) { i in
        Result { try body(i) }
    }
    return try results.map { try $0.get() }
}

/// Streams `0..<count` in blocks: up to `4 × threads` blocks at a time are made in parallel by
/// `make` (given each block's index range), then handed to `consume` on the calling thread in
/// index order, so memory stays bounded and what is consumed never depends on the thread count.
/// `consume` gets the number of indices done so far with each block.
package func forEachBlockInOrder<Block>(count: Int, threads: Int, blockSize: Int,
                                        make: @Sendable (Range<Int>) -> Block,
                                        consume: (Block, Int) throws -> Void) rethrows {
    let blocksPerBatch = max(1, threads) * 4
    var next = 0
    while next < count {
        let batchStart = next
        let blocks = min(blocksPerBatch, (count - batchStart + blockSize - 1) / blockSize)
        let made: [Block] = parallelMap(count: blocks, threads: threads) { b in
            let lo = batchStart + b * blockSize
            return make(lo..<min(lo + blockSize, count))
        }
        for (b, block) in made.enumerated() { try consume(block, min(count, batchStart + (b + 1) * blockSize)) }
        next = min(count, batchStart + blocks * blockSize)
    }
}
