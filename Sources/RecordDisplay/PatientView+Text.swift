import Foundation
import Timelines

extension PatientView {
    /// The header lines: who, the disease and its attributes, the span of the record.
    package var headline: [String] {
        var lines = ["Patient \(id)"]
        var who = "\(sex.rawValue), born \(birth.iso)"
        if let death {
            who += "; died \(death.iso) at \(DisplayNumber.age(age(on: death))) y"
            if let causeOfDeath { who += " (cause: \(causeOfDeath))" }
        } else {
            let end = DisplayNumber.age(age(on: followUpEnd))
            who += "; alive at the end of the record, \(followUpEnd.iso) (age \(end))"
        }
        lines.append(who)
        lines.append(([disease] + attributes.map(\.text)).joined(separator: "; "))
        let visitDays = rows.filter { $0.entry == .visit }.map(\.day)
        if let first = visitDays.first, let last = visitDays.last {
            lines.append("\(visitCount) visit\(visitCount == 1 ? "" : "s"), \(first.iso) to \(last.iso)")
        } else {
            lines.append("no visits recorded")
        }
        return lines
    }

    /// The patient as plain text: the headline, then one line per entry and one per value.
    package func text() -> String {
        var out = headline.enumerated().map { $0.offset == 0 ? $0.element : "  " + $0.element }
        out.append("")
        out.append("  date        age    entry")
        let nameWidth = rows.flatMap(\.values).map(\.name.count).max() ?? 0
        let valueWidth = rows.flatMap(\.values).map { ($0.text + " " + $0.unit).count }.max() ?? 0
        for row in rows {
            var line = "  \(row.day.iso)  \(pad(DisplayNumber.age(row.age), 5, left: true))  \(row.text)"
            if !row.treatments.isEmpty { line += " · on " + row.treatments.joined(separator: ", ") }
            out.append(line)
            for v in row.values {
                let value = (v.text + " " + v.unit).trimmingCharacters(in: .whitespaces)
                var valueLine = "                       " + pad(v.name, nameWidth) + "  " + pad(value, valueWidth)
                valueLine += "  " + pad(v.flag, 1) + (v.range.isEmpty ? "" : "  (\(v.range))")
                out.append(valueLine.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let n = max(0, width - s.count)
        return left ? String(repeating: " ", count: n) + s : s + String(repeating: " ", count: n)
    }
}
