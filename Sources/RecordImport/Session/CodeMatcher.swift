import DiseaseModeling
import Timelines

/// Finds which part of a template a record's codes stand for.
///
/// A record matches a concept when any of its codings (system and code) equals any of the
/// concept's codings. Systems are compared after `canonicalSystem(_:)`, so the OID or `https`
/// spelling of LOINC or SNOMED CT matches too.
struct CodeMatcher: Sendable {
    enum Target: Sendable, Equatable {
        case disease
        case measure(Int)
        case attribute(Int)
        case event(Int)
        case treatment(Int)
        /// The cause-of-death Observation (LOINC 69453-9), when the template names causes.
        case causeOfDeath
    }

    let templateID: String
    private var targets: [String: Target] = [:]
    /// Per categorical attribute: value index by coding, and by lower-cased code, id or text.
    private var valuesByCoding: [[String: Int]] = []
    private var valuesByText: [[String: Int]] = []
    private var causesByCoding: [String: Int] = [:]
    private var causesByText: [String: Int] = [:]

    init(template: DiseaseTemplate) {
        templateID = template.id
        func add(_ concept: Concept, _ target: Target) {
            for code in concept.codes where targets[Self.key(code.system, code.code)] == nil {
                targets[Self.key(code.system, code.code)] = target
            }
        }
        add(template.condition, .disease)
        for (i, m) in template.measures.enumerated() { add(m.concept, .measure(i)) }
        for (i, a) in template.attributes.enumerated() { add(a.concept, .attribute(i)) }
        for (i, e) in template.events.enumerated() { add(e.concept, .event(i)) }
        for (i, t) in template.treatments.enumerated() { add(t.concept, .treatment(i)) }
        if !template.mortality.causes.isEmpty { add(Mortality.causeOfDeathConcept, .causeOfDeath) }
        for (c, cause) in template.mortality.causes.enumerated() {
            for code in cause.concept.codes { causesByCoding[Self.key(code.system, code.code)] = c }
            causesByText[cause.id.lowercased()] = c
            causesByText[cause.concept.text.lowercased()] = c
        }
        for attribute in template.attributes {
            var byCoding: [String: Int] = [:]
            var byText: [String: Int] = [:]
            for (v, concept) in attribute.valueConcepts.enumerated() {
                for code in concept.codes {
                    byCoding[Self.key(code.system, code.code)] = v
                    byText[code.code.lowercased()] = byText[code.code.lowercased()] ?? v
                }
                byText[concept.text.lowercased()] = byText[concept.text.lowercased()] ?? v
                byText[attribute.categoryValues[v].lowercased()] = byText[attribute.categoryValues[v].lowercased()] ?? v
            }
            valuesByCoding.append(byCoding)
            valuesByText.append(byText)
        }
    }

    /// The template part the first matching coding stands for.
    func match(_ codings: [ClinicalCode]) -> Target? {
        for c in codings {
            if let t = targets[Self.key(c.system, c.code)] { return t }
        }
        return nil
    }

    /// The value of a categorical attribute given as codings and/or text (a code or the value's name).
    func value(ofAttribute a: Int, codings: [ClinicalCode], text: String?) -> Int? {
        for c in codings {
            if let v = valuesByCoding[a][Self.key(c.system, c.code)] { return v }
        }
        for c in codings {
            if let v = valuesByText[a][c.code.lowercased()] { return v }
        }
        if let text, let v = valuesByText[a][text.lowercased()] { return v }
        return nil
    }

    /// The template's cause of death given as codings and/or text (a code, the cause's id or text).
    func cause(codings: [ClinicalCode], text: String?) -> Int? {
        for c in codings {
            if let v = causesByCoding[Self.key(c.system, c.code)] { return v }
        }
        for c in codings {
            if let v = causesByText[c.code.lowercased()] { return v }
        }
        return text.flatMap { causesByText[$0.lowercased()] }
    }

    /// "unknown code http://loinc.org|1234-5 (not in template gaucher)".
    func unknownMessage(_ codings: [ClinicalCode], text: String?) -> String {
        if codings.isEmpty {
            return "no coding\(text.map { " (text \"\($0)\")" } ?? "") to match against template \(templateID)"
        }
        let list = codings.map { "\($0.system)|\($0.code)" }.joined(separator: ", ")
        return "unknown code \(list) (not in template \(templateID))"
    }

    static func key(_ system: String, _ code: String) -> String { canonicalSystem(system) + "|" + code }

    /// A code system URI in one spelling: HL7 OIDs of the common systems and `https` or
    /// trailing-slash variants map to the URIs of `CodeSystems`.
    static func canonicalSystem(_ system: String) -> String {
        var s = system
        if s.hasPrefix("https://") { s = "http://" + s.dropFirst(8) }
        while s.hasSuffix("/") { s.removeLast() }
        switch s {
        case "urn:oid:2.16.840.1.113883.6.1": return CodeSystems.loinc
        case "urn:oid:2.16.840.1.113883.6.96": return CodeSystems.snomed
        case "urn:oid:2.16.840.1.113883.6.90": return CodeSystems.icd10cm
        case "urn:oid:2.16.840.1.113883.6.88": return CodeSystems.rxnorm
        case "urn:oid:2.16.840.1.113883.6.8": return CodeSystems.ucum
        default: return s
        }
    }
}
