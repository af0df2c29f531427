import Foundation

/// UCUM units as a reader writes them: `mL/min/{1.73_m2}` → `mL/min/1.73 m²`, `10*9/L` → `×10⁹/L`.
package enum DisplayUnit {
    /// Annotations whose words say more than the braces.
    static let words: [String: String] = ["{score}": "", "{MN}": "× normal", "{repeats}": "repeats"]

    package static func text(_ ucum: String?) -> String {
        guard var u = ucum, !u.isEmpty else { return "" }
        if let word = words[u] { return word }
        u = u.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
            .replacingOccurrences(of: "_", with: " ")
        u = u.replacingOccurrences(of: "10*9", with: "×10⁹").replacingOccurrences(of: "10*12", with: "×10¹²")
        u = u.replacingOccurrences(of: "m2.7", with: "m^2.7").replacingOccurrences(of: "m2", with: "m²")
        return u
    }

    /// The unit after a value: a counted thing in the singular after exactly one ("1 copy", "2 copies").
    package static func text(_ ucum: String?, after value: Double?) -> String {
        let plural = text(ucum)
        guard value == 1, ucum?.hasPrefix("{") == true, !plural.contains(" ") else { return plural }
        if plural.hasSuffix("ies") { return String(plural.dropLast(3)) + "y" }
        if plural.hasSuffix("s") && !plural.hasSuffix("ss") { return String(plural.dropLast()) }
        return plural
    }
}

/// Numbers at the decimals a record keeps, and reference ranges.
package enum DisplayNumber {
    package static func text(_ x: Double, decimals: Int) -> String {
        String(format: "%.\(max(0, min(decimals, 6)))f", x)
    }

    /// "150–400", "≥ 90", "≤ 0.15".
    package static func range(low: Double?, high: Double?) -> String {
        switch (low, high) {
        case let (l?, h?): "\(short(l))–\(short(h))"
        case let (l?, nil): "≥ \(short(l))"
        case let (nil, h?): "≤ \(short(h))"
        case (nil, nil): ""
        }
    }

    /// The shortest text of a bound (90, 0.15, 12.5).
    static func short(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%g", x)
    }

    /// An age as "48.6".
    package static func age(_ years: Double) -> String { String(format: "%.1f", years) }
}
