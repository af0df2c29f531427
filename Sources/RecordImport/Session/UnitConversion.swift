import Foundation

/// Unit spellings and conversions for imported quantities.
///
/// A quantity is accepted when its unit is the template's unit, another spelling of it
/// (`mL/min/1.73m2` for `mL/min/{1.73_m2}`, `10^9/L` for `10*9/L`), or a unit of the same
/// dimension in the table below (`g/L` for `g/dL`), converted by a power of ten. Units of another
/// dimension (`nmol/L` for `ng/mL`, `mmol/L` for haemoglobin in `g/dL`) need a molar mass and are
/// rejected. Every factor in the table is a power of ten, so a conversion is one exact
/// multiplication or division (124 g/L → 12.4 g/dL, not 12.400000000000002).
package enum UnitConversion {
    /// Units of one dimension with their size as a power of ten relative to the first, in
    /// normalised spelling (see `normalized(_:)`).
    static let groups: [[(unit: String, exponent: Int)]] = [
        // Mass concentration, relative to g/L (haemoglobin, lyso-Gb3, albumin).
        [("g/l", 0), ("g/dl", 1), ("g/ml", 3), ("mg/ml", 0), ("mg/dl", -2), ("mg/l", -3), ("ug/ml", -3),
         ("ug/dl", -5), ("ug/l", -6), ("ng/ml", -6), ("ng/dl", -8), ("ng/l", -9), ("pg/ml", -9)],
        // Number concentration, relative to 10*9/L (platelets, leukocytes).
        [("10*9/l", 0), ("10*3/ul", 0), ("10*3/mm3", 0), ("k/ul", 0), ("/nl", 0), ("1/nl", 0), ("10*6/ml", 0),
         ("10*12/l", 3), ("10*6/ul", 3), ("10*6/l", -3), ("/ul", -3), ("1/ul", -3), ("/mm3", -3)],
        // Filtration rate per body surface (eGFR); every spelling normalises to one entry.
        [("ml/min/1.73m2", 0)],
        // Mass ratio, relative to g/g (urine protein/creatinine).
        [("g/g", 0), ("mg/mg", 0), ("kg/kg", 0), ("mg/g", -3), ("ug/mg", -3), ("g/kg", -3), ("ug/g", -6)],
        // Enzyme activity per volume, relative to nmol/h/mL (chitotriosidase).
        [("nmol/h/ml", 0), ("nmol/ml/h", 0), ("umol/l/h", 0), ("umol/h/l", 0), ("nmol/h/l", -3), ("nmol/l/h", -3)],
    ]

    private static let groupByUnit: [String: (group: Int, exponent: Int)] = {
        var result: [String: (Int, Int)] = [:]
        for (g, units) in groups.enumerated() {
            for (unit, exponent) in units { result[unit] = (g, exponent) }
        }
        return result
    }()

    /// A unit's spelling reduced for comparison: lower case, no spaces, braces or underscores,
    /// `µ` as `u`, `10^9` as `10*9`, other carets dropped, a leading `x` before `10` dropped,
    /// `/100mL` as `/dL`.
    package static func normalized(_ unit: String) -> String {
        var s = unit.lowercased().replacingAll("µ", "u").replacingAll("μ", "u")
        s.removeAll { $0 == " " || $0 == "{" || $0 == "}" || $0 == "_" }
        s = s.replacingAll("10^", "10*")
        s.removeAll { $0 == "^" }
        if s.hasPrefix("x10") || s.hasPrefix("×10") { s.removeFirst() }
        return s.replacingAll("/100ml", "/dl")
    }

    /// The power of ten that turns a value in `from` into `to`, or nil when the units are not
    /// the same dimension. A missing unit (nil or empty) matches only dimensionless targets
    /// (`1` or a pure annotation such as `{score}`).
    package static func exponent(from: String?, to: String) -> Int? {
        if from == to { return 0 }
        let target = normalized(to)
        let given = normalized(from ?? "")
        if given == target { return 0 }
        let dimensionless = to == "1" || to.isEmpty ||
            (to.hasPrefix("{") && to.hasSuffix("}") && !to.dropFirst().contains("{"))
        if dimensionless && (given.isEmpty || given == "1") { return 0 }
        guard let a = groupByUnit[given], let b = groupByUnit[target], a.group == b.group else { return nil }
        return a.exponent - b.exponent
    }

    /// `value` in `from` expressed in `to`, or nil when the units cannot be converted.
    package static func convert(_ value: Double, from: String?, to: String) -> Double? {
        guard let e = exponent(from: from, to: to) else { return nil }
        return scale(value, byPowerOfTen: e)
    }

    /// `value × 10^e` with one correctly rounded operation (powers of ten up to 10^22 are exact).
    static func scale(_ value: Double, byPowerOfTen e: Int) -> Double {
        if e == 0 { return value }
        var p = 1.0
        for _ in 0..<Swift.min(e.magnitude, 22) { p *= 10 }
        return e > 0 ? value * p : value / p
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
