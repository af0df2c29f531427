import Foundation
import Serialization
import Timelines
import ZebraSupport

/// Turns a template's JSON into a validated `DiseaseTemplate`, collecting every problem.
final class TemplateDecoder {
    let reader: JSONDocumentReader
    var symbols = TemplateSymbols()

    static let formatName = "zebra-disease-template"
    static let formatVersion = 1

    static let topKeys: Set<String> = [
        "$schema", "format", "formatVersion", "id", "name", "description", "version", "sources", "condition",
        "population", "attributes", "randomEffects", "correlations", "onset", "diagnosis", "measures",
        "events", "treatments", "visits", "mortality", "rules", "notes",
    ]

    init(file: String) { reader = JSONDocumentReader(file: file) }

    func decode(_ root: JSONNode) -> DiseaseTemplate? {
        guard let top = reader.object(root, "$", allowed: Self.topKeys) else { return nil }
        func need(_ key: String) -> JSONNode? { reader.required(top, key, "$", parent: root) }
        if let format = reader.string(need("format"), "$.format"), format != Self.formatName {
            reader.report("$.format", top["format"], "expected \"\(Self.formatName)\", found \"\(format)\"")
        }
        if let v = reader.integer(need("formatVersion"), "$.formatVersion"), v != Self.formatVersion {
            reader.report("$.formatVersion", top["formatVersion"],
                          "this Zebra reads format version \(Self.formatVersion), found \(v)")
        }
        let id = reader.string(need("id"), "$.id") ?? ""
        if !id.isEmpty, !id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) {
            reader.report("$.id", top["id"], "an id uses lowercase letters, digits and '-' only")
        }
        declareSymbols(top)
        var template = DiseaseTemplate(
            id: id,
            name: reader.string(need("name"), "$.name") ?? id,
            description: reader.string(need("description"), "$.description") ?? "",
            version: reader.string(need("version"), "$.version") ?? "0",
            sources: decodeSources(top["sources"]),
            condition: concept(need("condition"), "$.condition", key: "condition:\(id)", kind: .disease),
            population: population(need("population"), "$.population"),
            attributes: [], randomEffects: [], randomEffectCholesky: [],
            onset: Onset(probability: Predictor(1), age: Distribution(.fixed(Predictor(0)))),
            diagnosis: Diagnosis(probability: Predictor(1),
                                 timing: .delayAfterOnset(Distribution(.fixed(Predictor(0))))),
            measures: [], events: [], treatments: [],
            visits: VisitSchedule(fromState: DiseaseTemplate.diagnosisState, rules: [], jitterDays: 0,
                                  missProbability: 0),
            mortality: Mortality(male: .init(a: 0, b: 0, c: 0), female: .init(a: 0, b: 0, c: 0),
                                 hazardRatio: Predictor(1), excess: Predictor(0), excessAgeKnots: []),
            stateNames: [], stateEffects: [], digest: "")
        template.attributes = (reader.array(top["attributes"], "$.attributes") ?? []).enumerated().compactMap {
            attribute($1, "$.attributes[\($0)]")
        }
        template.population.variants = populationVariants(top["population"], attributes: template.attributes)
        (template.randomEffects, template.randomEffectCholesky) = randomEffects(top["randomEffects"],
                                                                                top["correlations"])
        template.onset = onset(need("onset"), "$.onset")
        template.diagnosis = diagnosis(need("diagnosis"), "$.diagnosis")
        template.measures = (reader.array(need("measures"), "$.measures") ?? []).enumerated().map {
            measure($1, "$.measures[\($0)]")
        }
        template.events = (reader.array(top["events"], "$.events") ?? []).enumerated().map {
            event($1, "$.events[\($0)]")
        }
        template.treatments = (reader.array(top["treatments"], "$.treatments") ?? []).enumerated().map {
            treatment($1, "$.treatments[\($0)]")
        }
        template.visits = visits(need("visits"), "$.visits")
        template.mortality = mortality(need("mortality"), "$.mortality")
        template.rules = rules(top["rules"], template: template)
        template.stateNames = symbols.states.sorted { $0.value < $1.value }.map(\.key)
        template.stateEffects = Array(repeating: [], count: template.stateNames.count)
        if template.stateNames.count == 2 + template.events.count + template.treatments.count {
            for (i, event) in template.events.enumerated() {
                template.stateEffects[template.stateIndex(ofEvent: i)] = event.effects
            }
            for (i, t) in template.treatments.enumerated() {
                template.stateEffects[template.stateIndex(ofTreatment: i)] = t.effects
            }
        }
        return template
    }

    /// First pass: every id that other parts may refer to, with duplicate checks.
    private func declareSymbols(_ top: [String: JSONNode]) {
        if let m = top["sources"]?.objectValue { symbols.sources = Set(m.map(\.key)) }
        func ids(_ key: String) -> [(String, JSONNode)] {
            guard let items = top[key]?.arrayValue else { return [] }
            return items.compactMap { item in item["id"]?.stringValue.map { ($0, item) } }
        }
        var seenStates: [String: Int] = ["onset": 0, "diagnosis": 1]
        func declare(_ key: String, into table: inout [String: Int], isState: Bool) {
            for (i, (name, node)) in ids(key).enumerated() {
                if table[name] != nil {
                    reader.report("$.\(key)[\(i)].id", node["id"], "duplicate id \"\(name)\"")
                    continue
                }
                table[name] = table.count
                if isState {
                    if seenStates[name] != nil || name == "birth" || name == "death" {
                        reader.report("$.\(key)[\(i)].id", node["id"], "\"\(name)\" is already a state name")
                    } else {
                        seenStates[name] = seenStates.count
                    }
                }
            }
        }
        var attributeTable: [String: Int] = [:]
        declare("attributes", into: &attributeTable, isState: false)
        symbols.attributes = attributeTable
        for (name, node) in ids("attributes") {
            if node["type"]?.stringValue == "categorical", let index = attributeTable[name] {
                symbols.categoryValues[index] = (node["values"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            }
        }
        if let items = top["randomEffects"]?.arrayValue {
            for (i, item) in items.enumerated() {
                guard let name = item["id"]?.stringValue else { continue }
                if symbols.randomEffects[name] != nil {
                    reader.report("$.randomEffects[\(i)].id", item["id"], "duplicate random effect \"\(name)\"")
                } else {
                    symbols.randomEffects[name] = symbols.randomEffects.count
                }
            }
        }
        declare("measures", into: &symbols.measures, isState: false)
        declare("events", into: &symbols.events, isState: true)
        declare("treatments", into: &symbols.treatments, isState: true)
        symbols.states = seenStates
        if seenStates.count > 63 {
            reader.report("$", nil, "at most 63 states (onset, diagnosis, events and treatments) are supported")
        }
    }

    private func decodeSources(_ node: JSONNode?) -> [String: String] {
        guard let node else { return [:] }
        guard let members = node.objectValue else {
            reader.report("$.sources", node, "expected an object of citation key → reference")
            return [:]
        }
        var result: [String: String] = [:]
        for member in members {
            if let s = reader.string(member.node, "$.sources.\(member.key)") { result[member.key] = s }
        }
        return result
    }

    func concept(_ node: JSONNode?, _ path: String, key: String, kind: ConceptKind,
                 extraKeys: Set<String> = []) -> Concept {
        let fallback = Concept(key: key, kind: kind, text: key, codes: [])
        guard let m = reader.object(node, path,
                                    allowed: Set(["text", "codes", "source", "note"]).union(extraKeys)) else {
            return fallback
        }
        let text = reader.string(reader.required(m, "text", path, parent: node), "\(path).text") ?? key
        return Concept(key: key, kind: kind, text: text,
                       codes: codes(reader.required(m, "codes", path, parent: node), "\(path).codes"))
    }

    private func population(_ node: JSONNode?, _ path: String) -> Population {
        var result = Population(birthFrom: CalendarDay(year: 1950, month: 1, day: 1),
                                birthTo: CalendarDay(year: 2010, month: 12, day: 31), maleProbability: 0.5)
        guard let m = reader.object(node, path, allowed: ["birthDates", "sex", "variants", "source", "note"]) else { return result }
        if let b = reader.object(reader.required(m, "birthDates", path, parent: node), "\(path).birthDates",
                                 allowed: ["from", "to"]) {
            for (key, isFrom) in [("from", true), ("to", false)] {
                guard let text = reader.string(reader.required(b, key, "\(path).birthDates", parent: m["birthDates"]),
                                               "\(path).birthDates.\(key)") else {
                    continue
                }
                if let day = CalendarDay(iso: text) {
                    if isFrom { result.birthFrom = day } else { result.birthTo = day }
                } else {
                    reader.report("\(path).birthDates.\(key)", b[key], "\"\(text)\" is not a valid YYYY-MM-DD date")
                }
            }
            if result.birthTo < result.birthFrom {
                reader.report("\(path).birthDates", m["birthDates"], "\"to\" is before \"from\"")
            }
        }
        if let s = reader.object(reader.required(m, "sex", path, parent: node), "\(path).sex",
                                 allowed: ["male", "female"]) {
            let male = probability(reader.required(s, "male", "\(path).sex", parent: m["sex"]), "\(path).sex.male")
                ?? 0.5
            let female = probability(reader.required(s, "female", "\(path).sex", parent: m["sex"]),
                                     "\(path).sex.female") ?? 0.5
            if abs(male + female - 1) > 1e-6 {
                reader.report("\(path).sex", m["sex"], "probabilities sum to \(male + female), not 1")
            }
            result.maleProbability = male
        }
        return result
    }

    private func attribute(_ node: JSONNode, _ path: String) -> AttributeDefinition? {
        let allowed: Set<String> = ["id", "text", "codes", "type", "unit", "decimals", "distribution", "values",
                                    "probabilities", "record", "availableFrom", "source", "note"]
        guard let m = reader.object(node, path, allowed: allowed) else { return nil }
        let availableFrom = day(m["availableFrom"], "\(path).availableFrom")
        checkSource(m["source"], "\(path).source")
        let id = reader.string(reader.required(m, "id", path, parent: node), "\(path).id") ?? ""
        let type = reader.choice(reader.required(m, "type", path, parent: node), "\(path).type",
                                 ["continuous", "categorical"])
        let text = reader.string(reader.required(m, "text", path, parent: node), "\(path).text") ?? id
        var concept = Concept(key: "attribute:\(id)", kind: .attribute, text: text,
                              codes: codes(reader.required(m, "codes", path, parent: node), "\(path).codes"))
        let record = reader.choice(m["record"], "\(path).record", ["firstVisit", "none"]) ?? "firstVisit"
        if type == "continuous" {
            concept.unit = reader.string(reader.required(m, "unit", path, parent: node), "\(path).unit")
            concept.decimals = reader.integer(m["decimals"], "\(path).decimals") ?? 0
            for key in ["values", "probabilities"] where m[key] != nil {
                reader.report("\(path).\(key)", m[key], "\"\(key)\" belongs to categorical attributes")
            }
            let d = distribution(reader.required(m, "distribution", path, parent: node), "\(path).distribution")
            return AttributeDefinition(id: id, concept: concept, kind: .continuous(d), valueConcepts: [],
                                       recordedAtFirstVisit: record == "firstVisit", availableFrom: availableFrom)
        }
        if m["distribution"] != nil {
            reader.report("\(path).distribution", m["distribution"],
                          "categorical attributes take \"probabilities\", not a distribution")
        }
        var values: [String] = []
        var valueConcepts: [Concept] = []
        for (i, item) in (reader.array(reader.required(m, "values", path, parent: node), "\(path).values")
                          ?? []).enumerated() {
            let p = "\(path).values[\(i)]"
            guard let v = reader.object(item, p, allowed: ["id", "text", "codes"]) else { continue }
            let vid = reader.string(reader.required(v, "id", p, parent: item), "\(p).id") ?? "?"
            values.append(vid)
            valueConcepts.append(Concept(key: "value:\(id):\(vid)", kind: .attributeValue,
                                         text: reader.string(v["text"], "\(p).text") ?? vid,
                                         codes: codes(reader.required(v, "codes", p, parent: item), "\(p).codes")))
        }
        let (male, female) = categoryProbabilities(reader.required(m, "probabilities", path, parent: node),
                                                   "\(path).probabilities", values: values)
        return AttributeDefinition(id: id, concept: concept,
                                   kind: .categorical(values: values, male: male, female: female),
                                   valueConcepts: valueConcepts, recordedAtFirstVisit: record == "firstVisit",
                                   availableFrom: availableFrom)
    }

    /// `{"all": {value: p}}` or `{"male": {…}, "female": {…}}`, each summing to 1.
    private func categoryProbabilities(_ node: JSONNode?, _ path: String, values: [String]) -> ([Double], [Double]) {
        let uniform = [Double](repeating: 1 / Double(max(values.count, 1)), count: values.count)
        guard let m = reader.object(node, path, allowed: ["all", "male", "female"]) else { return (uniform, uniform) }
        func table(_ key: String) -> [Double]? {
            guard let t = m[key] else { return nil }
            let p = "\(path).\(key)"
            guard let entries = reader.object(t, p, allowed: Set(values)) else { return uniform }
            var probs = [Double](repeating: 0, count: values.count)
            for (i, v) in values.enumerated() {
                if let e = entries[v] { probs[i] = probability(e, "\(p).\(v)") ?? 0 } else {
                    reader.report(p, t, "no probability for value \"\(v)\"")
                }
            }
            let total = probs.reduce(0, +)
            if abs(total - 1) > 1e-6 { reader.report(p, t, "probabilities sum to \(total), not 1") }
            return probs
        }
        if let all = table("all") {
            if m["male"] != nil || m["female"] != nil {
                reader.report(path, node, "give \"all\" or \"male\"/\"female\", not both")
            }
            return (all, all)
        }
        guard let male = table("male"), let female = table("female") else {
            reader.report(path, node, "give \"all\", or both \"male\" and \"female\"")
            return (uniform, uniform)
        }
        return (male, female)
    }

    private func randomEffects(_ node: JSONNode?, _ correlations: JSONNode?) -> ([String], [Double]) {
        var names: [String] = []
        for (i, item) in (reader.array(node, "$.randomEffects") ?? []).enumerated() {
            let p = "$.randomEffects[\(i)]"
            guard let m = reader.object(item, p, allowed: ["id", "description", "source"]) else { continue }
            checkSource(m["source"], "\(p).source")
            if let name = reader.string(reader.required(m, "id", p, parent: item), "\(p).id") { names.append(name) }
        }
        let n = names.count
        var matrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n { matrix[i * n + i] = 1 }
        for (k, item) in (reader.array(correlations, "$.correlations") ?? []).enumerated() {
            let p = "$.correlations[\(k)]"
            guard let m = reader.object(item, p, allowed: ["between", "r", "source", "note"]) else { continue }
            checkSource(m["source"], "\(p).source")
            let pair = reader.strings(reader.required(m, "between", p, parent: item), "\(p).between") ?? []
            guard let r = reader.number(reader.required(m, "r", p, parent: item), "\(p).r", in: -0.999...0.999) else {
                continue
            }
            guard pair.count == 2 else {
                reader.report("\(p).between", m["between"], "name exactly two random effects"); continue
            }
            guard let a = symbols.randomEffects[pair[0]], let b = symbols.randomEffects[pair[1]], a < n, b < n else {
                reader.report("\(p).between", m["between"], "both names must be declared in \"randomEffects\"")
                continue
            }
            if a == b {
                reader.report("\(p).between", m["between"], "a random effect cannot correlate with itself"); continue
            }
            matrix[a * n + b] = r
            matrix[b * n + a] = r
        }
        guard case .success(let factor) = choleskyLower(matrix, dimension: n, minimumPivot: 1e-12) else {
            reader.report("$.correlations", correlations,
                          "the correlations do not form a valid (positive definite) correlation matrix")
            return (names, matrix)
        }
        return (names, factor)
    }

    private func onset(_ node: JSONNode?, _ path: String) -> Onset {
        guard let m = reader.object(node, path, allowed: ["probability", "age", "source", "note"]) else {
            return Onset(probability: Predictor(1), age: Distribution(.fixed(Predictor(0))))
        }
        checkSource(m["source"], "\(path).source")
        return Onset(probability: m["probability"].map { predictor($0, "\(path).probability") } ?? Predictor(1),
                     age: distribution(reader.required(m, "age", path, parent: node), "\(path).age"))
    }

    private func diagnosis(_ node: JSONNode?, _ path: String) -> Diagnosis {
        let fallback = Diagnosis(probability: Predictor(1),
                                 timing: .delayAfterOnset(Distribution(.fixed(Predictor(0)))))
        guard let m = reader.object(node, path, allowed: ["probability", "delay", "age", "source", "note"]) else {
            return fallback
        }
        checkSource(m["source"], "\(path).source")
        let probability = m["probability"].map { predictor($0, "\(path).probability") } ?? Predictor(1)
        switch (m["delay"], m["age"]) {
        case (let d?, nil):
            return Diagnosis(probability: probability, timing: .delayAfterOnset(distribution(d, "\(path).delay")))
        case (nil, let a?): return Diagnosis(probability: probability, timing: .age(distribution(a, "\(path).age")))
        default:
            reader.report(path, node, "give either \"delay\" (after onset) or \"age\", exactly one")
            return fallback
        }
    }
}
