import Foundation
import Parallelism
import Serialization
import Timelines

/// Counts and sizes of a written OMOP export.
package struct OMOPSummary: Sendable {
    package var patients = 0
    package var rowsByTable = [Int](repeating: 0, count: OMOPTable.allCases.count)
    package var bytes = 0
    package var seconds = 0.0

    package var rows: Int { rowsByTable.reduce(0, +) }
}

/// Writes a cohort as OMOP CDM v5.4 tables, streaming: patients are generated in parallel in
/// blocks, numbered, written as rows in parallel, and appended in index order, so memory stays
/// bounded and the files are the same bytes whatever the number of threads.
///
/// `person_id` (and `observation_period_id`) is the patient's index + 1. Every other row id counts
/// from 1 in patient order within the files written: a shard's files number from 1 too, and
/// `zebra merge` adds the earlier shards' counts, which gives the unsharded files byte for byte.
package struct OMOPExport {
    package var writer: OMOPRowWriter
    package var threads: Int
    /// Patients generated per block.
    package var blockSize: Int = 64
    /// The index of the first patient written (a shard's first patient; 0 for a whole cohort).
    package var firstIndex: Int = 0

    package init(writer: OMOPRowWriter, threads: Int) {
        self.writer = writer
        self.threads = threads
    }

    /// Generates `count` patients with `generate` (called from worker threads, by index from
    /// `firstIndex`) and writes their rows into `directory`, with a header on every file.
    package func write(count: Int, into directory: StagedDirectory,
                      generate: @escaping @Sendable (Int) -> PatientTimeline,
                      progress: (Int, OMOPSummary) -> Void = { _, _ in }) throws(OutputError) -> OMOPSummary {
        let start = Date()
        var summary = OMOPSummary()
        var files: [ByteFile] = []
        for table in OMOPTable.recordTables {
            let file = try ByteFile(creating: directory.path(of: table.fileName))
            try file.write(table.header)
            files.append(file)
        }
        var nextIDs = [Int](repeating: 1, count: OMOPTable.allCases.count)
        let blocksPerBatch = max(1, threads) * 4
        let (writer, blockSize, firstIndex) = (self.writer, self.blockSize, self.firstIndex)
        var next = 0
        while next < count {
            let batchStart = next
            let blocks = min(blocksPerBatch, (count - batchStart + blockSize - 1) / blockSize)
            // First the patients and how many rows each block adds, then the rows with their ids.
            let generated: [[PatientTimeline]] = parallelMap(count: blocks, threads: threads) { b in
                let lo = batchStart + b * blockSize
                return (lo..<min(lo + blockSize, count)).map { generate(firstIndex + $0) }
            }
            var starts: [[Int]] = []
            for block in generated {
                starts.append(nextIDs)
                for timeline in block {
                    for (t, n) in writer.rowCounts(timeline).enumerated() { nextIDs[t] += n }
                }
            }
            let firstIDs = starts
            let written: [OMOPRows] = parallelMap(count: blocks, threads: threads) { b in
                var rows = OMOPRows()
                var ids = firstIDs[b]
                for (i, timeline) in generated[b].enumerated() {
                    let person = firstIndex + batchStart + b * blockSize + i + 1
                    writer.append(timeline, personID: person, nextIDs: &ids, to: &rows)
                }
                return rows
            }
            for rows in written {
                for (f, table) in OMOPTable.recordTables.enumerated() where rows.counts[table.rawValue] > 0 {
                    try files[f].write(rows.writers[table.rawValue].bytes)
                    summary.rowsByTable[table.rawValue] += rows.counts[table.rawValue]
                }
                summary.bytes += rows.byteCount
            }
            next = min(count, batchStart + blocks * blockSize)
            summary.patients = next
            summary.seconds = Date().timeIntervalSince(start)
            progress(next, summary)
        }
        for file in files { try file.close() }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }
}
