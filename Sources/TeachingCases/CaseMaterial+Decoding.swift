import DiseaseModeling
import Foundation
import Serialization
import Timelines

/// Problems found in a teaching-material file, each with its line and JSON path.
package struct CaseMaterialError: Error, Sendable, CustomStringConvertible {
    package var file: String
    package var problems: [DocumentProblem]

    package var description: String {
        "\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s")\n"
            + problems.map { "  " + $0.description }.joined(separator: "\n")
    }
}

extension CaseMaterial {
    /// The `format` value a material file carries.
    package static let formatName = "zebra-cases"

    /// Where the material of `template` lives, beside the templates: `cases/<id>.json`.
    package static func path(for templateID: String, in library: TemplateLibrary) -> String {
        (library.directory as NSString).appendingPathComponent("cases/\(templateID).json")
    }

    /// Loads and checks a material file against the template it belongs to: every id it names
    /// must be the template's, and every placeholder one a record can fill.
    package static func load(from path: String, template: DiseaseTemplate) throws(CaseMaterialError)
        -> CaseMaterial {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path) } catch {
            throw CaseMaterialError(file: path, problems: [.init(file: path, path: "$", line: 0,
                                                                 message: error.message)])
        }
        return try decode(bytes, file: path, template: template)
    }

    /// Decodes material from JSON bytes; `file` names it in messages.
    package static func decode(_ bytes: [UInt8], file: String, template: DiseaseTemplate)
        throws(CaseMaterialError) -> CaseMaterial {
        let root: JSONNode
        do { root = try JSONParser.parse(bytes) } catch {
            throw CaseMaterialError(file: file, problems: [.init(
                file: file, path: "$", line: error.line,
                message: "not valid JSON: \(error.message) (column \(error.column))")])
        }
        let reader = JSONDocumentReader(file: file)
        let decoder = MaterialDecoder(reader: reader, template: template)
        let material = decoder.decode(root)
        guard let material, reader.problems.isEmpty else {
            throw CaseMaterialError(file: file, problems: reader.problems)
        }
        return material
    }
}

/// Decodes the sections of a material file, checking names against the template.
private struct MaterialDecoder {
    let reader: JSONDocumentReader
    let template: DiseaseTemplate

    func decode(_ root: JSONNode) -> CaseMaterial? {
        let keys: Set<String> = ["$schema", "format", "formatVersion", "disease", "description", "sources",
                                 "inheritance", "family", "features", "presentations", "examination",
                                 "differentials", "confirmation", "plan", "decisions", "questions", "errors"]
        guard let top = reader.object(root, "$", allowed: keys) else { return nil }
        if let format = reader.string(top["format"], "$.format"), format != CaseMaterial.formatName {
            reader.report("$.format", top["format"], "expected \"\(CaseMaterial.formatName)\", found \"\(format)\"")
        }
        if let v = reader.integer(top["formatVersion"], "$.formatVersion", in: 0...1_000), v != 1 {
            reader.report("$.formatVersion", top["formatVersion"], "unsupported format version \(v) (this Zebra reads 1)")
        }
        let disease = reader.string(required(top, "disease", "$", root), "$.disease") ?? ""
        if !disease.isEmpty, disease != template.id {
            reader.report("$.disease", top["disease"], "material for \"\(disease)\", not for template \"\(template.id)\"")
        }
        var sources: [String: String] = [:]
        for m in reader.members(top["sources"], "$.sources") {
            sources[m.key] = reader.string(m.node, "$.sources.\(m.key)")
        }
        let decisions = reader.members(top["decisions"], "$.decisions").reduce(into: [String: Passage]()) { r, m in
            let path = "$.decisions.\(m.key)"
            let known = template.events.map(\.id) + template.treatments.map(\.id)
            if !known.contains(m.key) {
                reader.report(path, m.node, "\"\(m.key)\" is not an event or treatment of \(template.id)")
            }
            r[m.key] = passage(m.node, path, sources)
        }
        let material = CaseMaterial(
            disease: disease, sources: sources,
            inheritance: reader.string(required(top, "inheritance", "$", root), "$.inheritance") ?? "",
            family: list(top["family"], "$.family") { passage($0, $1, sources) },
            features: list(top["features"], "$.features", feature),
            presentations: list(required(top, "presentations", "$", root), "$.presentations", presentation),
            examination: list(top["examination"], "$.examination") { passage($0, $1, sources) },
            differentials: list(top["differentials"], "$.differentials", differential),
            confirmation: list(top["confirmation"], "$.confirmation") { passage($0, $1, sources) },
            plan: list(top["plan"], "$.plan") { passage($0, $1, sources) },
            decisions: decisions,
            questions: list(required(top, "questions", "$", root), "$.questions") { question($0, $1, sources) },
            errors: list(top["errors"], "$.errors") { error($0, $1, sources) })
        if material.presentations.last.map({ !$0.when.isEmpty }) ?? false {
            reader.report("$.presentations", top["presentations"],
                          "the last presentation must have no \"when\", so that every patient has one")
        }
        return material
    }

    private func required(_ members: [String: JSONNode], _ key: String, _ path: String, _ parent: JSONNode?)
        -> JSONNode? {
        reader.required(members, key, path, parent: parent)
    }

    private func list<T>(_ node: JSONNode?, _ path: String, _ item: (JSONNode, String) -> T?) -> [T] {
        (reader.array(node, path) ?? []).enumerated().compactMap { item($1, "\(path)[\($0)]") }
    }

    /// A text whose placeholders must be ones a record can fill.
    private func text(_ node: JSONNode?, _ path: String) -> String? {
        guard let s = reader.string(node, path) else { return nil }
        for name in Placeholders.names(in: s) where !Placeholders.isKnown(name, template: template) {
            reader.report(path, node, "unknown placeholder {\(name)}; see DiseaseModels/cases/README.md")
        }
        return s
    }

    private func source(_ node: JSONNode?, _ path: String, _ sources: [String: String]) -> String? {
        guard let key = reader.string(node, path) else { return nil }
        if sources[key] == nil { reader.report(path, node, "no source \"\(key)\" in $.sources") }
        return key
    }

    private func passage(_ node: JSONNode, _ path: String, _ sources: [String: String]) -> Passage? {
        guard let o = reader.object(node, path, allowed: ["when", "text", "source"]) else { return nil }
        guard let t = text(reader.required(o, "text", path, parent: node), "\(path).text") else { return nil }
        return Passage(when: condition(o["when"], "\(path).when"), text: t,
                       source: source(o["source"], "\(path).source", sources))
    }

    private func feature(_ node: JSONNode, _ path: String) -> CaseFeature? {
        guard let o = reader.object(node, path, allowed: ["id", "label", "atypical", "when"]) else { return nil }
        guard let id = reader.string(reader.required(o, "id", path, parent: node), "\(path).id"),
              let label = reader.string(reader.required(o, "label", path, parent: node), "\(path).label") else {
            return nil
        }
        return CaseFeature(id: id, label: label, atypical: reader.bool(o["atypical"], "\(path).atypical") ?? false,
                           when: condition(o["when"], "\(path).when"))
    }

    private func presentation(_ node: JSONNode, _ path: String) -> Presentation? {
        guard let o = reader.object(node, path, allowed: ["id", "when", "seenBy", "complaint", "history"]) else {
            return nil
        }
        guard let id = reader.string(reader.required(o, "id", path, parent: node), "\(path).id"),
              let seenBy = text(reader.required(o, "seenBy", path, parent: node), "\(path).seenBy"),
              let complaint = text(reader.required(o, "complaint", path, parent: node), "\(path).complaint") else {
            return nil
        }
        return Presentation(id: id, when: condition(o["when"], "\(path).when"), seenBy: seenBy, complaint: complaint,
                            history: text(o["history"], "\(path).history") ?? "")
    }

    private func differential(_ node: JSONNode, _ path: String) -> Differential? {
        guard let o = reader.object(node, path, allowed: ["diagnosis", "when", "for", "against"]) else { return nil }
        guard let d = reader.string(reader.required(o, "diagnosis", path, parent: node), "\(path).diagnosis") else {
            return nil
        }
        let supporting = (reader.array(o["for"], "\(path).for") ?? []).enumerated()
            .compactMap { text($1, "\(path).for[\($0)]") }
        let against = (reader.array(reader.required(o, "against", path, parent: node), "\(path).against") ?? [])
            .enumerated().compactMap { text($1, "\(path).against[\($0)]") }
        return Differential(diagnosis: d, when: condition(o["when"], "\(path).when"), supporting: supporting,
                            against: against)
    }

    private func question(_ node: JSONNode, _ path: String, _ sources: [String: String]) -> Question? {
        let keys: Set<String> = ["id", "when", "question", "answer", "teachingPoint", "source"]
        guard let o = reader.object(node, path, allowed: keys) else { return nil }
        guard let id = reader.string(reader.required(o, "id", path, parent: node), "\(path).id"),
              let q = text(reader.required(o, "question", path, parent: node), "\(path).question"),
              let a = text(reader.required(o, "answer", path, parent: node), "\(path).answer"),
              let t = text(reader.required(o, "teachingPoint", path, parent: node), "\(path).teachingPoint") else {
            return nil
        }
        return Question(id: id, when: condition(o["when"], "\(path).when"), question: q, answer: a, teachingPoint: t,
                        source: source(o["source"], "\(path).source", sources))
    }

    private func error(_ node: JSONNode, _ path: String, _ sources: [String: String]) -> ErrorRule? {
        let keys: Set<String> = ["id", "finding", "question", "answer", "teachingPoint", "source"]
        guard let o = reader.object(node, path, allowed: keys) else { return nil }
        guard let id = reader.string(reader.required(o, "id", path, parent: node), "\(path).id"),
              let f = finding(reader.required(o, "finding", path, parent: node), "\(path).finding"),
              let q = text(reader.required(o, "question", path, parent: node), "\(path).question"),
              let a = text(reader.required(o, "answer", path, parent: node), "\(path).answer"),
              let t = text(reader.required(o, "teachingPoint", path, parent: node), "\(path).teachingPoint") else {
            return nil
        }
        return ErrorRule(id: id, finding: f, question: q, answer: a, teachingPoint: t,
                         source: source(o["source"], "\(path).source", sources))
    }

    private func finding(_ node: JSONNode?, _ path: String) -> Finding? {
        let keys: Set<String> = ["kind", "atLeastYears", "measure", "above", "below", "years", "treatment", "event",
                                 "before"]
        guard let o = reader.object(node, path, allowed: keys) else { return nil }
        let kinds = ["delay", "untreated", "eventBeforeAvailableTreatment"]
        switch reader.choice(reader.required(o, "kind", path, parent: node), "\(path).kind", kinds) {
        case "delay":
            return reader.number(reader.required(o, "atLeastYears", path, parent: node), "\(path).atLeastYears",
                                 in: 0...100).map { .delay(atLeastYears: $0) }
        case "untreated":
            guard let m = name(o["measure"], "\(path).measure", template.measures.map(\.id), "measure"),
                  let t = name(o["treatment"], "\(path).treatment", template.treatments.map(\.id), "treatment"),
                  let years = reader.number(reader.required(o, "years", path, parent: node), "\(path).years",
                                            in: 0...100) else { return nil }
            let above = reader.number(o["above"], "\(path).above"), below = reader.number(o["below"], "\(path).below")
            if (above == nil) == (below == nil) { reader.report(path, node, "give exactly one of \"above\", \"below\"") }
            let before = o["before"].flatMap { name($0, "\(path).before", template.events.map(\.id), "event") }
            return .untreated(measure: m, above: above, below: below, years: years, treatment: t, before: before)
        case "eventBeforeAvailableTreatment":
            guard let e = name(o["event"], "\(path).event", template.events.map(\.id), "event"),
                  let t = name(o["treatment"], "\(path).treatment", template.treatments.map(\.id), "treatment") else {
                return nil
            }
            return .eventBeforeAvailableTreatment(event: e, treatment: t)
        default:
            return nil
        }
    }

    /// An id that must be one of the template's `kind`s.
    private func name(_ node: JSONNode?, _ path: String, _ known: [String], _ kind: String) -> String? {
        guard let node else { reader.report(path, nil, "missing \(kind) id"); return nil }
        guard let s = reader.string(node, path) else { return nil }
        guard known.contains(s) else {
            let article = kind.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            reader.report(path, node,
                          "\"\(s)\" is not \(article) \(kind) of \(template.id) (\(known.joined(separator: ", ")))")
            return nil
        }
        return s
    }

    private func condition(_ node: JSONNode?, _ path: String) -> CaseCondition {
        var c = CaseCondition()
        let keys: Set<String> = ["sex", "attribute", "result", "equals", "atLeast", "below", "onsetAge", "diagnosisAge",
                                 "delay", "presentingWith", "notPresentingWith", "event", "noEvent", "treated",
                                 "untreated", "diagnosedFrom",
                                 "diagnosedBefore", "recordedAtDiagnosis", "recordedLater", "notRecorded", "measured",
                                 "died"]
        guard let o = reader.object(node, path, allowed: keys) else { return c }
        let events = template.events.map(\.id), treatments = template.treatments.map(\.id)
        let attributes = template.attributes.map(\.id), measures = template.measures.map(\.id)
        c.sex = reader.choice(o["sex"], "\(path).sex", ["male", "female"]).flatMap(Sex.init(rawValue:))
        if let a = o["attribute"] {
            let id = name(a, "\(path).attribute", attributes, "attribute")
            let range = (o["atLeast"] != nil || o["below"] != nil)
                ? CaseCondition.Range(atLeast: reader.number(o["atLeast"], "\(path).atLeast"),
                                      below: reader.number(o["below"], "\(path).below")) : nil
            c.attribute = id.map { .init(id: $0, equals: reader.string(o["equals"], "\(path).equals"), range: range) }
        }
        c.result = resultTest(o["result"], "\(path).result")
        c.onsetAge = range(o["onsetAge"], "\(path).onsetAge")
        c.diagnosisAge = range(o["diagnosisAge"], "\(path).diagnosisAge")
        c.delay = range(o["delay"], "\(path).delay")
        c.presentingWith = o["presentingWith"].flatMap { name($0, "\(path).presentingWith", events, "event") }
        c.notPresentingWith = (reader.array(o["notPresentingWith"], "\(path).notPresentingWith") ?? []).enumerated()
            .compactMap { name($1, "\(path).notPresentingWith[\($0)]", events, "event") }
        c.event = o["event"].flatMap { name($0, "\(path).event", events, "event") }
        c.noEvent = o["noEvent"].flatMap { name($0, "\(path).noEvent", events, "event") }
        c.treated = o["treated"].flatMap { name($0, "\(path).treated", treatments, "treatment") }
        c.untreated = o["untreated"].flatMap { name($0, "\(path).untreated", treatments, "treatment") }
        c.diagnosedFrom = day(o["diagnosedFrom"], "\(path).diagnosedFrom")
        c.diagnosedBefore = day(o["diagnosedBefore"], "\(path).diagnosedBefore")
        c.recordedAtDiagnosis = o["recordedAtDiagnosis"]
            .flatMap { name($0, "\(path).recordedAtDiagnosis", attributes, "attribute") }
        c.recordedLater = o["recordedLater"].flatMap { name($0, "\(path).recordedLater", attributes, "attribute") }
        c.notRecorded = o["notRecorded"].flatMap { name($0, "\(path).notRecorded", attributes, "attribute") }
        c.measured = o["measured"].flatMap { name($0, "\(path).measured", measures, "measure") }
        c.died = reader.bool(o["died"], "\(path).died")
        return c
    }

    private func resultTest(_ node: JSONNode?, _ path: String) -> CaseCondition.ResultTest? {
        guard let o = reader.object(node, path, allowed: ["measure", "atLeast", "below", "orMissing"]) else { return nil }
        guard let m = name(o["measure"], "\(path).measure", template.measures.map(\.id), "measure") else { return nil }
        return .init(measure: m, range: .init(atLeast: reader.number(o["atLeast"], "\(path).atLeast"),
                                              below: reader.number(o["below"], "\(path).below")),
                     orMissing: reader.bool(o["orMissing"], "\(path).orMissing") ?? false)
    }

    private func range(_ node: JSONNode?, _ path: String) -> CaseCondition.Range? {
        guard let o = reader.object(node, path, allowed: ["atLeast", "below"]) else { return nil }
        return .init(atLeast: reader.number(o["atLeast"], "\(path).atLeast"),
                     below: reader.number(o["below"], "\(path).below"))
    }

    private func day(_ node: JSONNode?, _ path: String) -> CalendarDay? {
        guard let s = reader.string(node, path) else { return nil }
        guard let d = CalendarDay(iso: s) else { reader.report(path, node, "expected a date YYYY-MM-DD"); return nil }
        return d
    }
}

extension CaseCondition {
    /// Whether the condition tests nothing.
    var isEmpty: Bool {
        sex == nil && attribute == nil && result == nil && onsetAge == nil && diagnosisAge == nil && delay == nil
            && presentingWith == nil && notPresentingWith.isEmpty && event == nil && noEvent == nil && treated == nil
            && untreated == nil
            && diagnosedFrom == nil && diagnosedBefore == nil && recordedAtDiagnosis == nil && recordedLater == nil
            && notRecorded == nil && measured == nil && died == nil
    }
}
