/// A CSV field, quoted when it needs to be (RFC 4180: commas, quotes, line breaks).
package func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}

/// One CSV line of fields, each quoted when it needs to be.
package func csvLine(_ fields: [String]) -> String { fields.map(csvField).joined(separator: ",") }
