import Foundation
import Parallelism
import Serialization
import Timelines

/// Counts and sizes of a written flat CSV export.
package struct FlatCSVSummary: Sendable {
    package var patients = 0
    package var rowsByTable = [Int](repeating: 0, count: FlatCSVTable.allCases.count)
    package var bytes = 0
    package var seconds = 0.0

    package var rows: Int { rowsByTable.reduce(0, +) }
}

/// Writes a cohort as flat CSV tables with their data dictionary, streaming in patient order:
/// the same bytes whatever the thread count. Every table has its header, so a shard's folder is a
/// complete export of its patients; `zebra merge` drops the later shards' headers.
package struct FlatCSVExport {
    package var writer: FlatCSVWriter
    package var threads: Int
    package var blockSize = 64
    /// The index of the first patient written (a shard's first patient; 0 for a whole cohort).
    package var firstIndex = 0

    package init(writer: FlatCSVWriter, threads: Int) {
        self.writer = writer
        self.threads = threads
    }

    package func write(count: Int, into directory: StagedDirectory,
                      generate: @escaping @Sendable (Int) -> PatientTimeline,
                      progress: (Int, FlatCSVSummary) -> Void = { _, _ in }) throws(OutputError) -> FlatCSVSummary {
        let start = Date()
        var summary = FlatCSVSummary()
        var files: [ByteFile] = []
        for table in FlatCSVTable.allCases {
            let file = try ByteFile(creating: directory.path(of: table.fileName))
            try file.write(table.header)
            files.append(file)
        }
        let (writer, firstIndex) = (self.writer, self.firstIndex)
        do {
            try forEachBlockInOrder(count: count, threads: threads, blockSize: blockSize, make: { range in
                var rows = FlatCSVRows()
                for i in range { writer.append(generate(firstIndex + i), to: &rows) }
                return rows
            }, consume: { rows, done in
                for table in FlatCSVTable.allCases where rows.counts[table.rawValue] > 0 {
                    try files[table.rawValue].write(rows.writers[table.rawValue].bytes)
                    summary.rowsByTable[table.rawValue] += rows.counts[table.rawValue]
                }
                summary.bytes += rows.byteCount
                summary.patients = done
                summary.seconds = Date().timeIntervalSince(start)
                progress(done, summary)
            })
        } catch let error as OutputError { throw error } catch { throw OutputError("\(error)") }
        for file in files { try file.close() }
        try writeFileAtomically(Array(FlatCSVTable.dictionary.utf8),
                                to: directory.path(of: FlatCSVTable.dictionaryFileName))
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }
}
