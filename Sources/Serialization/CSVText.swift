/// A CSV field, quoted when it needs to be (RFC 4180: commas, quotes, line breaks).
package func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}

/// One CSV line of fields, each quoted when it needs to be.
package func csvLine(_ fields: [String]) -> String { fields.map(csvField).joined(separator: ",") }

/// One CSV line, field by field: each call writes one field; an empty field is NULL to PostgreSQL's
/// `COPY` and NA to R and pandas.
package struct CSVLine {
    package var w: ByteWriter
    private var started = false

    package init(capacity: Int = 128) { w = ByteWriter(capacity: capacity) }

    private mutating func separate() {
        if started { w.byte(UInt8(ascii: ",")) } else { started = true }
    }

    package mutating func int(_ value: Int?) {
        separate()
        if let value { w.integer(value) }
    }

    /// A date field (`YYYY-MM-DD`), empty when any part is nil.
    package mutating func date(year: Int?, month: Int?, day: Int?) {
        separate()
        if let year, let month, let day { w.isoDate(year: year, month: month, day: day) }
    }

    package mutating func decimal(_ value: Double, decimals: Int) {
        separate()
        w.decimal(value, decimals: decimals)
    }

    package mutating func number(_ value: Double?) {
        separate()
        if let value { w.number(value) }
    }

    /// A text field cut to the column's width, quoted when it holds a comma, quote or line break.
    package mutating func text(_ value: String?, width: Int = .max) {
        separate()
        guard let value, !value.isEmpty else { return }
        let cut = value.count > width ? String(value.prefix(width)) : value
        w.rawString(csvField(cut))
    }

    package mutating func null(_ count: Int = 1) {
        for _ in 0..<count { separate() }
    }

    /// Ends the line and appends it to `out`.
    package mutating func finish(into out: inout ByteWriter) {
        w.byte(0x0A)
        out.raw(w.bytes)
    }
}

