import Foundation

/// One published figure compared with the same figure computed on a simulated cohort.
package struct CalibrationCheck: Sendable {
    package var name: String
    package var source: String
    package var target: Double
    package var simulated: Double
    /// Allowed absolute difference, with the reason it is this wide.
    package var tolerance: Double
    package var toleranceReason: String
    /// Patients (or observations) the simulated figure rests on.
    package var sampleSize: Int

    package var difference: Double { simulated - target }
    package var passed: Bool { simulated.isFinite && abs(difference) <= tolerance }
}

/// All checks for one template, printable as a table.
package struct CalibrationReport: Sendable {
    package var disease: String
    package var templateVersion: String
    package var patients: Int
    package var seed: UInt64
    package var checks: [CalibrationCheck]

    package var allPassed: Bool { checks.allSatisfy(\.passed) }

    /// A fixed-width table: figure, source, target, simulated, tolerance, n, verdict.
    package func table() -> String {
        func fmt(_ x: Double) -> String {
            guard x.isFinite else { return "n/a" }
            let magnitude = abs(x)
            let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
            return String(format: "%.\(decimals)f", x)
        }
        let headers = ["figure", "source", "target", "simulated", "tolerance", "n", "result"]
        var rows = checks.map { c in
            [c.name, c.source, fmt(c.target), fmt(c.simulated), "±" + fmt(c.tolerance), String(c.sampleSize),
             c.passed ? "ok" : "FAIL"]
        }
        rows.insert(headers, at: 0)
        let widths = (0..<headers.count).map { col in rows.map { $0[col].count }.max() ?? 0 }
        var lines = ["Calibration of \(disease) (template \(templateVersion)), "
            + "\(patients) simulated patients, seed \(seed)"]
        for (i, row) in rows.enumerated() {
            let cells = row.enumerated().map { col, cell in
                col >= 2 && col <= 5 ? String(repeating: " ", count: widths[col] - cell.count) + cell
                    : cell + String(repeating: " ", count: widths[col] - cell.count)
            }
            lines.append(cells.joined(separator: "  "))
            if i == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        lines.append("")
        lines.append("Tolerances:")
        for c in checks { lines.append("  \(c.name): \(c.toleranceReason)") }
        return lines.joined(separator: "\n")
    }
}

/// A template id with no calibration targets defined.
package struct CalibrationError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

/// A check in the order a calibration table reads: name, source, target, simulated, tolerance, its reason, n.
func check(_ name: String, _ source: String, _ target: Double, _ simulated: Double, _ tolerance: Double,
           _ reason: String, _ n: Int) -> CalibrationCheck {
    CalibrationCheck(name: name, source: source, target: target, simulated: simulated, tolerance: tolerance,
                     toleranceReason: reason, sampleSize: n)
}
