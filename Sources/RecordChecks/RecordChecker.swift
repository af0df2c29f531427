import DiseaseModeling
import Foundation
import Timelines

/// Checks patient records, real or synthetic, against the rules of their disease: the ones every
/// template implies and the ones its template states (`RecordRule`).
package struct RecordChecker: Sendable {
    package let template: DiseaseTemplate
    package let concepts: TemplateConcepts
    /// Example patients kept per rule.
    package var examplesPerRule = 3

    package init(template: DiseaseTemplate, concepts: TemplateConcepts) {
        self.template = template
        self.concepts = concepts
    }

    /// Every rule checked, in report order.
    package var rules: [CheckedRule] {
        var result = BuiltInRule.allCases.map { CheckedRule.builtIn($0) }
        result += template.rules.map { CheckedRule.template($0) }
        return result
    }

    /// Checks every record; the counts do not depend on the records' order.
    package func check(_ timelines: [PatientTimeline]) -> CheckReport {
        let rules = self.rules
        var results = rules.map { RuleResult(rule: $0) }
        let map = RecordView.ConceptMap(concepts)
        for timeline in timelines {
            let record = RecordView(timeline, template: template, map: map)
            for (r, rule) in rules.enumerated() {
                let found = findings(rule, in: record)
                results[r].add(found, patient: timeline.id, keepExamples: examplesPerRule)
            }
        }
        return CheckReport(template: template, patients: timelines.count, results: results)
    }

    func findings(_ rule: CheckedRule, in record: RecordView) -> Findings {
        switch rule {
        case .builtIn(let r): return builtIn(r, record)
        case .template(let r): return templateRule(r, record)
        }
    }
}

/// What one rule found in one record.
struct Findings {
    /// A description of each contradiction (for plausibility rules: of the first excess found).
    var violations: [String] = []
    /// For plausibility rules: the falls seen, the pairs examined, and the falls noise alone would
    /// give (mean and variance over the pairs).
    var falls = 0
    var pairs = 0
    var expected = 0.0
    var variance = 0.0
}

/// The rules that hold for every template.
package enum BuiltInRule: String, CaseIterable, Sendable {
    case beforeBirth = "recorded-before-birth"
    case afterDeath = "recorded-after-death"
    case outsideBounds = "value-outside-bounds"
    case measuredAfterItEnds = "measured-after-it-ends"
    case oneTimeEventRepeated = "one-time-event-repeated"
    case drugBeforeAvailable = "drug-before-available"
    case testBeforeAvailable = "test-before-available"
    case testBelowMinimumAge = "test-below-minimum-age"
    case causeWithoutCondition = "death-cause-without-its-condition"
    case stopBeforeStart = "drug-stopped-before-start"

    var text: String {
        switch self {
        case .beforeBirth: "nothing is recorded before the patient's birth"
        case .afterDeath: "nothing is recorded after the patient's death"
        case .outsideBounds: "a recorded value lies within its measure's floor and ceiling"
        case .measuredAfterItEnds: "a measure is not recorded after the event that ends it (observe.unless)"
        case .oneTimeEventRepeated: "a one-time event (not recurrent) is recorded on one date only"
        case .drugBeforeAvailable: "no treatment starts before it was available (availableFrom)"
        case .testBeforeAvailable: "no measure or attribute is recorded before its test existed (availableFrom)"
        case .testBelowMinimumAge: "no measure is recorded below the age its test is valid from (observe.fromAge)"
        case .causeWithoutCondition:
            "a cause of death is dated on the death, after the condition it requires (mortality.causes.requires)"
        case .stopBeforeStart: "no treatment stops before it started"
        }
    }
}

/// A rule as checked: one of the built-in rules or one the template states.
package enum CheckedRule: Sendable {
    case builtIn(BuiltInRule)
    case template(RecordRule)

    package var id: String {
        switch self {
        case .builtIn(let r): r.rawValue
        case .template(let r): r.id
        }
    }

    package var text: String {
        switch self {
        case .builtIn(let r): r.text
        case .template(let r): r.text
        }
    }

    package var isContradiction: Bool {
        if case .template(let r) = self { return r.isContradiction }
        return true
    }
}
