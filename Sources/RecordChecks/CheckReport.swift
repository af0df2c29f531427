import DiseaseModeling
import Foundation
import ZebraSupport

/// What one rule found over all records.
package struct RuleResult: Sendable {
    package let rule: CheckedRule
    /// Contradictions found (for a plausibility rule: the excess events, e.g. falls).
    package private(set) var occurrences = 0
    package private(set) var patients = 0
    /// Up to a few patients, each with what was found.
    package private(set) var examples: [(patient: String, finding: String)] = []
    /// Plausibility rules: pairs examined and the falls noise alone explains (mean, variance).
    package private(set) var pairs = 0
    package private(set) var expected = 0.0
    package private(set) var variance = 0.0

    init(rule: CheckedRule) { self.rule = rule }

    mutating func add(_ found: Findings, patient: String, keepExamples: Int) {
        pairs += found.pairs
        expected += found.expected
        variance += found.variance
        let count = rule.isContradiction ? found.violations.count : found.falls
        guard count > 0 else { return }
        occurrences += count
        patients += 1
        if examples.count < keepExamples, let first = found.violations.first { examples.append((patient, first)) }
    }

    /// The most occurrences noise alone makes plausible: the mean plus three SDs (and one event).
    package var tolerated: Double { expected + 3 * variance.squareRoot() + 1 }

    /// Whether the rule holds: no contradiction at all, or no more falls than noise explains.
    package var holds: Bool { rule.isContradiction ? occurrences == 0 : Double(occurrences) <= tolerated }
}

/// The result of checking a set of records.
package struct CheckReport: Sendable {
    package let template: DiseaseTemplate
    package let patients: Int
    package let results: [RuleResult]

    /// Contradictions over all rules.
    package var contradictions: Int { results.filter(\.rule.isContradiction).reduce(0) { $0 + $1.occurrences } }

    package var allHold: Bool { results.allSatisfy(\.holds) }

    /// The report as a table, a line per rule, then an example per broken rule.
    package func text() -> String {
        var lines = ["\(template.name) (\(template.id)): \(formatCount(patients)) patients, \(results.count) rules"]
        let width = results.map(\.rule.id.count).max() ?? 0
        for r in results {
            let id = r.rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
            let status = r.holds ? "ok  " : "FAIL"
            if r.rule.isContradiction {
                lines.append("  \(status) \(id)  \(counted(r.occurrences, "violation")) in "
                    + "\(counted(r.patients, "patient")) — \(r.rule.text)")
            } else {
                let share = r.pairs > 0 ? 100 * Double(r.occurrences) / Double(r.pairs) : 0
                let noise = r.pairs > 0 ? 100 * r.expected / Double(r.pairs) : 0
                lines.append("  \(status) \(id)  \(formatCount(r.occurrences)) of \(formatCount(r.pairs)) visit pairs "
                    + String(format: "(%.2f %%; noise alone %.2f %%, up to %.0f tolerated)", share, noise, r.tolerated)
                    + " — \(r.rule.text)")
            }
            if !r.holds {
                for e in r.examples { lines.append("       patient \(e.patient): \(e.finding)") }
            }
        }
        let broken = results.filter { !$0.holds }.count
        lines.append(broken == 0 ? "every rule holds" : "\(broken) of \(results.count) rules broken, "
            + "\(formatCount(contradictions)) contradictions")
        return lines.joined(separator: "\n")
    }

    private func counted(_ n: Int, _ noun: String) -> String { "\(formatCount(n)) \(noun)\(n == 1 ? "" : "s")" }
}
