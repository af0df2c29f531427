import Foundation
import Parallelism
import Serialization
import Timelines

/// Counts and sizes of a written cohort.
package struct ExportSummary: Sendable {
    package var patients = 0
    package var resourcesByType = [Int](repeating: 0, count: ResourceType.allCases.count)
    package var bytes = 0
    package var seconds = 0.0

    package var resources: Int { resourcesByType.reduce(0, +) }
}

/// Writes a cohort as FHIR, streaming: patients are generated and serialised in parallel in
/// blocks, and written in index order, so memory stays bounded and output is the same bytes
/// whatever the number of threads.
package struct CohortExport {
    package var format: FHIRFormat
    package var serializer: FHIRSerializer
    package var threads: Int
    /// Patients generated per block (memory grows with it, not with the cohort).
    package var blockSize: Int = 64
    /// The index of the first patient written (a shard's first patient; 0 for a whole cohort).
    package var firstIndex: Int = 0

    package init(format: FHIRFormat, serializer: FHIRSerializer, threads: Int) {
        self.format = format
        self.serializer = serializer
        self.threads = threads
    }

    /// Generates `count` patients with `generate` (called from worker threads, by index, from
    /// `firstIndex` on) and writes them into `directory`. `progress` is called on the calling thread after each batch.
    package func write(count: Int, into directory: StagedDirectory,
                      generate: @escaping @Sendable (Int) -> PatientTimeline,
                      progress: (Int, ExportSummary) -> Void = { _, _ in }) throws(OutputError) -> ExportSummary {
        let start = Date()
        var summary = ExportSummary()
        let files = FileTable()
        let writes = BackgroundWrites()
        let blocksPerBatch = max(1, threads) * 4
        let serializer = self.serializer
        let format = self.format
        let blockSize = self.blockSize
        let firstIndex = self.firstIndex
        var next = 0
        // Each block's buffers reserve what the largest block so far needed per type, plus an eighth.
        var capacities = [Int](repeating: 0, count: ResourceType.allCases.count)
        while next < count {
            let batchStart = next
            let blocks = min(blocksPerBatch, (count - batchStart + blockSize - 1) / blockSize)
            let reserve = capacities
            let results: [Block] = parallelMap(count: blocks, threads: threads) { b in
                let lo = batchStart + b * blockSize
                let hi = min(lo + blockSize, count)
                var block = Block(buffers: ResourceBuffers(capacities: reserve))
                for i in lo..<hi {
                    let timeline = generate(firstIndex + i)
                    switch format {
                    case .ndjson: serializer.appendNDJSON(timeline, to: &block.buffers)
                    case .bundle, .transaction:
                        let (bytes, counts) = serializer.bundle(timeline, transaction: format == .transaction)
                        block.bundles.append((timeline.id, bytes, counts))
                    }
                }
                return block
            }
            for block in results {
                for t in capacities.indices {
                    let used = block.buffers.writers[t].count
                    capacities[t] = max(capacities[t], used + used / 8)
                }
                for t in ResourceType.allCases.indices { summary.resourcesByType[t] += block.buffers.counts[t] }
                for (_, bytes, counts) in block.bundles {
                    summary.bytes += bytes.count
                    for i in counts.indices { summary.resourcesByType[i] += counts[i] }
                }
                summary.bytes += block.buffers.byteCount
            }
            // The batch is written in the background while the workers make the next one.
            let batch = Handed(results)
            do {
                try writes.submit { try Self.write(batch.value, format: format, files: files, into: directory) }
            } catch { throw Self.outputError(error) }
            next = min(count, batchStart + blocks * blockSize)
            summary.patients = next
            summary.seconds = Date().timeIntervalSince(start)
            progress(next, summary)
        }
        do { try writes.wait() } catch { throw Self.outputError(error) }
        for file in files.value { try file?.close() }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    private static func outputError(_ error: any Error) -> OutputError {
        error as? OutputError ?? OutputError("\(error)")
    }

    /// Appends a batch's blocks to the type files (created on first use) or writes its Bundles.
    private static func write(_ blocks: [Block], format: FHIRFormat, files: FileTable,
                              into directory: StagedDirectory) throws(OutputError) {
        for block in blocks {
            switch format {
            case .ndjson:
                for type in ResourceType.allCases where block.buffers.counts[type.rawValue] > 0 {
                    if files.value[type.rawValue] == nil {
                        files.value[type.rawValue] = try ByteFile(creating: directory.path(of: "\(type.name).ndjson"))
                    }
                    try files.value[type.rawValue]!.write(block.buffers.writers[type.rawValue].bytes)
                }
            case .bundle, .transaction:
                for (id, bytes, _) in block.bundles {
                    let file = try ByteFile(creating: directory.path(of: "\(id).json"))
                    try file.write(bytes)
                    try file.close()
                }
            }
        }
    }

    /// The open type files, used by the background writer only (and closed after it is done).
    private final class FileTable: @unchecked Sendable {
        var value: [ByteFile?] = Array(repeating: nil, count: ResourceType.allCases.count)
    }

    private struct Block: Sendable {
        var buffers: ResourceBuffers
        var bundles: [(String, [UInt8], [Int])] = []
    }
}
