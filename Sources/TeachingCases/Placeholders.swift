import DiseaseModeling
import Foundation
import RecordDisplay
import Timelines

/// The `{placeholders}` of teaching material: which names exist, and their values for a record.
///
/// Names: `pronoun` `Pronoun` `possessive` `Possessive` `object` `person` `Person`;
/// `onset.age|year`, `diagnosis.age|year`, `delay`; `attribute.<id>[.year]`;
/// `event.<id>.age|year|afterOnset`; `treatment.<id>.age|year`;
/// `measure.<id>.first|last|firstYear|lastYear`; `available.<id>` (the year a test or treatment
/// first existed); `death.age|cause`; and, in an error's text, `finding.fromYear|toYear|years|from|to`.
package enum Placeholders {
    static let personal: Set<String> = ["pronoun", "Pronoun", "possessive", "Possessive", "object", "person", "Person"]

    /// The placeholder names in `text`, in order.
    package static func names(in text: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return result
    }

    /// Whether a record of `template` can fill `name`.
    package static func isKnown(_ name: String, template: DiseaseTemplate) -> Bool {
        if personal.contains(name) { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let events = template.events.map(\.id), treatments = template.treatments.map(\.id)
        let measures = template.measures.map(\.id), attributes = template.attributes.map(\.id)
        switch (parts.first ?? "", parts.count) {
        case ("onset", 2), ("diagnosis", 2): return ["age", "year"].contains(parts[1])
        case ("delay", 1): return true
        case ("attribute", 2): return attributes.contains(parts[1])
        case ("attribute", 3): return attributes.contains(parts[1]) && parts[2] == "year"
        case ("event", 3): return events.contains(parts[1]) && ["age", "year", "afterOnset"].contains(parts[2])
        case ("treatment", 3): return treatments.contains(parts[1]) && ["age", "year"].contains(parts[2])
        case ("measure", 3):
            return measures.contains(parts[1]) && ["first", "last", "firstYear", "lastYear"].contains(parts[2])
        case ("available", 2): return (treatments + measures + attributes).contains(parts[1])
        case ("death", 2): return ["age", "cause"].contains(parts[1])
        case ("finding", 2): return ["fromYear", "toYear", "years", "from", "to"].contains(parts[1])
        default: return false
        }
    }

    /// Whole years, as clinicians give ages ("14"); under two, whole months ("5 months"), as paediatricians do.
    static func age(_ years: Double) -> String {
        guard let months = infantMonths(years) else { return String(Int(years.rounded(.down))) }
        return months == 0 ? "under a month" : months == 1 ? "1 month" : "\(months) months"
    }

    /// An age before a noun: "14-year-old", "5-month-old", "newborn".
    static func ageAdjective(_ years: Double) -> String {
        guard let months = infantMonths(years) else { return "\(Int(years.rounded(.down)))-year-old" }
        return months == 0 ? "newborn" : "\(months)-month-old"
    }

    /// Whole months of age under two years, when paediatricians count in months; nil from two on.
    private static func infantMonths(_ years: Double) -> Int? {
        years < 2 ? Int(max(0, years * 12).rounded(.down)) : nil
    }

    /// A duration in words: "8 months", "1 year", "12 years".
    static func duration(_ years: Double) -> String {
        if years < 1 {
            let months = max(1, Int((years * 12).rounded()))
            return "\(months) month\(months == 1 ? "" : "s")"
        }
        let y = Int(years.rounded())
        return "\(y) year\(y == 1 ? "" : "s")"
    }
}

/// The span of visits an error's finding covers.
package struct FindingSpan: Sendable {
    package var from: CalendarDay
    package var to: CalendarDay
    /// The values at the first and last visit of the span, when the finding is about a measure.
    package var measure: Int?
    package var firstValue: Double?
    package var lastValue: Double?
}

extension CaseRecord {
    /// `text` with every placeholder filled, and the facts behind them; nil when the record cannot
    /// fill one (the passage does not apply to this patient).
    package func fill(_ text: String, finding: FindingSpan? = nil) -> (text: String, facts: [CaseFact])? {
        var out = "", facts: [CaseFact] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            guard let fact = value(of: name, finding: finding) else { return nil }
            out += fact.text
            if !facts.contains(where: { $0.key == fact.key }) { facts.append(fact) }
            rest = rest[rest.index(after: close)...]
        }
        return (out + rest, facts)
    }

    /// One placeholder's value for this record.
    package func value(of name: String, finding: FindingSpan? = nil) -> CaseFact? {
        if Placeholders.personal.contains(name) { return personal(name) }
        let parts = name.split(separator: ".").map(String.init)
        guard parts.count >= 2 || name == "delay" else { return nil }
        func dated(_ day: CalendarDay?, _ what: String) -> CaseFact? {
            guard let day else { return nil }
            switch what {
            case "age": return CaseFact(key: name, text: Placeholders.age(age(on: day)), value: age(on: day), day: day)
            case "year":
                let y = day.components.year
                return CaseFact(key: name, text: String(y), value: Double(y), day: day)
            case "afterOnset":
                guard let onset else { return nil }
                let years = onset.years(to: day)
                return CaseFact(key: name, text: Placeholders.duration(years), value: years, day: day)
            default: return nil
            }
        }
        switch parts[0] {
        case "onset": return dated(onset, parts[1])
        case "diagnosis": return dated(diagnosis, parts[1])
        case "delay":
            guard let delay else { return nil }
            return CaseFact(key: name, text: Placeholders.duration(delay), value: delay, day: diagnosis)
        case "attribute":
            guard let a = attributes[parts[1]] else { return nil }
            if parts.count == 3 { return dated(a.day, parts[2]) }
            return CaseFact(key: name, text: a.text, value: a.number, day: a.day)
        case "event": return dated(events[parts[1]], parts[2])
        case "treatment": return dated(treatmentStarts[parts[1]]?.first, parts[2])
        case "measure": return measureFact(name, parts[1], parts[2])
        case "available":
            guard let day = availability(parts[1]) else { return nil }
            return CaseFact(key: name, text: String(day.components.year), value: Double(day.components.year), day: day)
        case "death":
            guard let death = timeline.death else { return nil }
            if parts[1] == "cause" {
                return causeOfDeath.map { CaseFact(key: name, text: $0.lowercased(), value: nil, day: death) }
            }
            return dated(death, parts[1])
        case "finding": return finding.flatMap { findingFact(name, parts[1], $0) }
        default: return nil
        }
    }

    private func personal(_ name: String) -> CaseFact {
        let male = timeline.sex == .male
        let child = diagnosis.map { age(on: $0) < 18 } ?? false
        let word: String
        switch name {
        case "pronoun": word = male ? "he" : "she"
        case "Pronoun": word = male ? "He" : "She"
        case "possessive": word = male ? "his" : "her"
        case "Possessive": word = male ? "His" : "Her"
        case "object": word = male ? "him" : "her"
        case "person": word = child ? (male ? "boy" : "girl") : (male ? "man" : "woman")
        default: word = child ? (male ? "Boy" : "Girl") : (male ? "Man" : "Woman")
        }
        return CaseFact(key: "sex", text: word, value: nil, day: nil)
    }

    private func measureFact(_ name: String, _ id: String, _ what: String) -> CaseFact? {
        guard let m = template.measures.firstIndex(where: { $0.id == id }) else { return nil }
        let series = values(of: m)
        guard let point = what.hasPrefix("first") ? series.first : series.last else { return nil }
        if what.hasSuffix("Year") {
            let y = point.day.components.year
            return CaseFact(key: name, text: String(y), value: Double(y), day: point.day)
        }
        return CaseFact(key: name, text: shown(point.value, m), value: point.value, day: point.day)
    }

    private func findingFact(_ name: String, _ what: String, _ f: FindingSpan) -> CaseFact? {
        switch what {
        case "fromYear": return CaseFact(key: name, text: String(f.from.components.year),
                                         value: Double(f.from.components.year), day: f.from)
        case "toYear": return CaseFact(key: name, text: String(f.to.components.year),
                                       value: Double(f.to.components.year), day: f.to)
        case "years":
            let y = f.from.years(to: f.to)
            return CaseFact(key: name, text: Placeholders.duration(y), value: y, day: f.to)
        case "from":
            return zip(f.measure, f.firstValue).map { CaseFact(key: name, text: shown($1, $0), value: $1, day: f.from) }
        case "to":
            return zip(f.measure, f.lastValue).map { CaseFact(key: name, text: shown($1, $0), value: $1, day: f.to) }
        default: return nil
        }
    }

    /// A value with its unit, at the decimals the record keeps: "52.3 mL/min/1.73 m²".
    package func shown(_ value: Double, _ m: Int) -> String {
        let c = template.measures[m].concept
        let number = DisplayNumber.text(value, decimals: c.decimals)
        let unit = DisplayUnit.text(c.unit, after: Double(number))
        return unit.isEmpty ? number : "\(number) \(unit)"
    }

    /// The day a test or treatment first existed, per the template.
    package func availability(_ id: String) -> CalendarDay? {
        template.treatments.first { $0.id == id }?.availableFrom
            ?? template.measures.first { $0.id == id }?.availableFrom
            ?? template.attributes.first { $0.id == id }?.availableFrom
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
