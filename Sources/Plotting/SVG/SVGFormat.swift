/// Locale-free text for SVG: fixed-decimal numbers and XML-escaped strings.
///
/// Foundation's formatters consult the locale (a decimal comma would corrupt path data), so
/// numbers are built from integer arithmetic; the same input always gives the same bytes.
package enum SVGFormat {
    private static let powersOfTen: [Double] = (0...12).map { p in
        var v = 1.0
        for _ in 0..<p { v *= 10 }
        return v
    }

    /// `value` rounded half away from zero to `decimals` places (0…12), e.g. `fixed(-1.5, 2)` is
    /// "-1.50". Never prints "-0"; non-finite values print as "0" so a stray NaN cannot break
    /// path syntax. Magnitudes beyond 9e15 after scaling fall back to Swift's own (locale-free)
    /// shortest representation.
    package static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        let d = Swift.min(Swift.max(decimals, 0), 12)
        let scale = powersOfTen[d]
        let scaled = (Swift.abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return "\(value)" }
        let n = UInt64(scaled)
        if n == 0 { return d == 0 ? "0" : "0." + String(repeating: "0", count: d) }
        let unit = UInt64(scale)
        let whole = String(n / unit)
        let sign = value < 0 ? "-" : ""
        if d == 0 { return sign + whole }
        let fraction = String(n % unit)
        return sign + whole + "." + String(repeating: "0", count: d - fraction.count) + fraction
    }

    /// A pixel coordinate: two decimals, plenty below a pixel and short in the file.
    static func px(_ value: Double) -> String { fixed(value, decimals: 2) }

    /// An SVG document without its XML prolog, to inline in an HTML page.
    package static func inlined(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
        return String(svg[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `text` made safe for XML character data and attribute values: the five markup
    /// characters become entities and characters XML 1.0 forbids (most C0 controls) are dropped.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
