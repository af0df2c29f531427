/// One thing wrong in the seed records: where it is, whose record it is, and what is wrong.
///
/// Every problem makes the importer skip something (the record, or the whole patient when the
/// patient's own details are unusable); `reason` is the short category the report counts skips by.
package struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file the record came from.
    package var file: String
    /// The 1-based line of the record (or of the offending JSON value); 0 when unknown.
    package var line: Int
    /// The JSON path (`$.valueQuantity.unit`, `$.entry[3].resource.subject`) or CSV column name.
    package var path: String
    /// The patient the record belongs to, when known.
    package var patientID: String?
    /// A short category such as "unknown code" or "observation before birth".
    package var reason: String
    /// What is wrong, in a sentence that names the offending values.
    package var message: String

    /// A problem at `file:line` (`path` within the record) with the given category and message.
    package init(file: String, line: Int, path: String, patientID: String?, reason: String, message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.patientID = patientID
        self.reason = reason
        self.message = message
    }

    /// `file:line: path: message (patient ID)`.
    package var description: String {
        var text = line > 0 ? "\(file):\(line)" : file
        if !path.isEmpty { text += ": \(path)" }
        text += ": \(message)"
        if let patientID { text += " (patient \(patientID))" }
        return text
    }
}

/// The import failed: nothing could be read, or strict mode found problems (all of them listed).
package struct RecordImportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong overall.
    package var headline: String
    /// Every problem found (in strict mode, all of them, not only the first few).
    package var problems: [ImportProblem]

    /// An error with a headline and the problems behind it.
    package init(headline: String, problems: [ImportProblem] = []) {
        self.headline = headline
        self.problems = problems
    }

    /// The headline followed by one problem per line.
    package var description: String {
        ([headline] + problems.map { "  " + $0.description }).joined(separator: "\n")
    }
}

/// Where a record came from: enough to build a problem, and the record type to count it under.
struct RecordSource: Sendable {
    var type: String
    var file: String
    /// Added to a JSON node's own line (ndjson: the line number minus one; bundles: zero).
    var lineOffset: Int
    var line: Int
    /// The JSON path of the record itself (`$`, `$.entry[2].resource`), or "" for CSV rows.
    var path: String

    func at(_ field: String, line nodeLine: Int? = nil) -> (line: Int, path: String) {
        let l = nodeLine.map { lineOffset + $0 } ?? line
        if path.isEmpty { return (l, field) }
        return (l, field.isEmpty ? path : "\(path).\(field)")
    }
}
