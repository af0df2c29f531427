/// One CSV record: its fields and the line it starts on.
struct CSVRow {
    var line: Int
    var fields: [String]
    /// What is malformed in the row (stray quote, unterminated quoted field), if anything.
    var error: String?
}

/// RFC 4180 CSV: comma-separated fields, fields in double quotes may hold commas, line breaks
/// and doubled quotes (`""`). CRLF, LF and CR line ends; a UTF-8 byte-order mark is skipped;
/// blank lines are skipped. A malformed row is returned with its error so the reader can name
/// its line and go on.
enum CSVParser {
    static func parse(_ bytes: [UInt8]) -> [CSVRow] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        let n = bytes.count
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var rows: [CSVRow] = []
        var field: [UInt8] = []
        while i < n {
            let rowLine = line
            var fields: [String] = []
            var error: String?
            while true {
                field.removeAll(keepingCapacity: true)
                if i < n && bytes[i] == quote {
                    i += 1
                    var closed = false
                    while i < n {
                        let b = bytes[i]
                        if b == quote {
                            if i + 1 < n && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        if b == lf || (b == cr && (i + 1 >= n || bytes[i + 1] != lf)) { line += 1 }
                        field.append(b)
                        i += 1
                    }
                    if !closed { error = error ?? "unterminated quoted field \(fields.count + 1)" }
                    if i < n && bytes[i] != comma && bytes[i] != lf && bytes[i] != cr {
                        error = error ?? "text after the closing quote of field \(fields.count + 1)"
                        while i < n && bytes[i] != comma && bytes[i] != lf && bytes[i] != cr { i += 1 }
                    }
                } else {
                    while i < n && bytes[i] != comma && bytes[i] != lf && bytes[i] != cr {
                        if bytes[i] == quote { error = error ?? "a quote inside unquoted field \(fields.count + 1)" }
                        field.append(bytes[i])
                        i += 1
                    }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if i >= n { break }
                if bytes[i] == comma { i += 1; continue }
                if bytes[i] == cr && i + 1 < n && bytes[i + 1] == lf { i += 1 }
                i += 1
                line += 1
                break
            }
            if fields.count == 1 && fields[0].isEmpty && error == nil { continue }
            rows.append(CSVRow(line: rowLine, fields: fields, error: error))
        }
        return rows
    }
}
