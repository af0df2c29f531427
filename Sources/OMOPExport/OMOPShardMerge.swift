import Serialization

/// Joins the OMOP tables of a run's shards into the unsharded run's tables, byte for byte.
///
/// Each shard numbers its rows from 1; the unsharded run numbers them on through the cohort in
/// patient order. So a shard's row ids (and the visit ids its rows refer to) move up by the rows
/// the earlier shards wrote to that table, and its header line goes. person_id is the patient's
/// index in every shard already.
package struct OMOPShardMerge {
    /// Rows the earlier shards wrote, per table.
    private var rowsBefore = [Int](repeating: 0, count: OMOPTable.allCases.count)
    /// Rows of the shard being read, per table (added to `rowsBefore` when it is finished).
    private var rowsOfShard = [Int](repeating: 0, count: OMOPTable.allCases.count)

    package init() {}

    /// A file of `table` from the current shard, as the merged file continues it. `first` keeps the
    /// header (the first shard's file).
    package mutating func append(_ bytes: [UInt8], table: OMOPTable, first: Bool) throws(OutputError) -> [UInt8] {
        let idOffset = rowsBefore[table.rawValue]
        let visitOffset = rowsBefore[OMOPTable.visitOccurrence.rawValue]
        var columns: [(column: Int, offset: Int)] = table.hasRowID ? [(0, idOffset)] : []
        columns += table.visitReferenceColumns.map { ($0, visitOffset) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        var lineStart = 0
        var lineNumber = 0
        var rows = 0
        while lineStart < bytes.count {
            let lineEnd = Self.endOfLine(bytes, from: lineStart)
            defer { lineStart = lineEnd + 1; lineNumber += 1 }
            if lineNumber == 0 {
                guard bytes[lineStart..<lineEnd].elementsEqual(table.header.dropLast()) else {
                    throw OutputError("\(table.fileName) does not start with the CDM header of \(table.name)")
                }
                if first { out += bytes[lineStart...min(lineEnd, bytes.count - 1)] }
                continue
            }
            rows += 1
            if columns.isEmpty || columns.allSatisfy({ $0.offset == 0 }) {
                out += bytes[lineStart..<lineEnd]
            } else {
                try Self.shift(bytes[lineStart..<lineEnd], columns: columns, into: &out, table: table, line: lineNumber)
            }
            out.append(0x0A)
        }
        rowsOfShard[table.rawValue] += rows
        return out
    }

    /// Moves on to the next shard: its ids continue after every row read so far.
    package mutating func finishShard() {
        for t in rowsBefore.indices { rowsBefore[t] += rowsOfShard[t] }
        rowsOfShard = [Int](repeating: 0, count: OMOPTable.allCases.count)
    }

    /// The index of the line feed ending the line from `start` (outside quotes), or the end.
    static func endOfLine(_ bytes: [UInt8], from start: Int) -> Int {
        var i = start
        var quoted = false
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { quoted.toggle() } else if b == 0x0A && !quoted { return i }
            i += 1
        }
        return bytes.count
    }

    /// Copies one line, adding `offset` to the integer in each listed column (empty stays empty).
    static func shift(_ line: ArraySlice<UInt8>, columns: [(column: Int, offset: Int)], into out: inout [UInt8],
                      table: OMOPTable, line number: Int) throws(OutputError) {
        var column = 0
        var fieldStart = line.startIndex
        var quoted = false
        var i = line.startIndex
        while i <= line.endIndex {
            let atEnd = i == line.endIndex
            if !atEnd && line[i] == UInt8(ascii: "\"") { quoted.toggle() }
            if atEnd || (line[i] == UInt8(ascii: ",") && !quoted) {
                let field = line[fieldStart..<i]
                if let shift = columns.first(where: { $0.column == column }), !field.isEmpty {
                    guard let value = Int(String(decoding: field, as: UTF8.self)) else {
                        throw OutputError("\(table.fileName) line \(number + 1): column \(table.columns[column]) "
                            + "is not an integer id")
                    }
                    out += Array(String(value + shift.offset).utf8)
                } else {
                    out += field
                }
                if !atEnd { out.append(UInt8(ascii: ",")) }
                column += 1
                fieldStart = i + 1
            }
            i += 1
        }
    }
}
