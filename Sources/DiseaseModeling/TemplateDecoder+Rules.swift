import Serialization

extension TemplateDecoder {
    private static let ruleKeys: Set<String> = [
        "id", "text", "after", "measure", "atLeast", "below", "maxFall", "untreated", "source", "note",
    ]

    /// `rules`: what no record of the disease may show (see `RecordRule`).
    func rules(_ node: JSONNode?, template: DiseaseTemplate) -> [RecordRule] {
        guard let node else { return [] }
        return (reader.array(node, "$.rules") ?? []).enumerated().compactMap { index, item in
            rule(item, "$.rules[\(index)]", template: template)
        }
    }

    private func rule(_ node: JSONNode, _ path: String, template: DiseaseTemplate) -> RecordRule? {
        guard let m = reader.object(node, path, allowed: Self.ruleKeys) else { return nil }
        let id = reader.string(reader.required(m, "id", path, parent: node), "\(path).id") ?? ""
        let text = reader.string(reader.required(m, "text", path, parent: node), "\(path).text") ?? id
        checkSource(m["source"], "\(path).source")
        let source = m["source"]?.stringValue
        let measureNode = reader.required(m, "measure", path, parent: node)
        guard let measureName = reader.string(measureNode, "\(path).measure") else { return nil }
        guard let measure = template.measureIndex(measureName) else {
            reader.report("\(path).measure", m["measure"], "no measure named \"\(measureName)\"")
            return nil
        }
        if let fall = m["maxFall"] {
            guard m["after"] == nil, m["atLeast"] == nil, m["below"] == nil else {
                reader.report(path, node,
                              "a rule has either \"maxFall\" or \"after\" with \"atLeast\"/\"below\", not both")
                return nil
            }
            guard let points = reader.number(fall, "\(path).maxFall", in: 1e-9...1e9) else { return nil }
            let untreated = m["untreated"].map { reader.bool($0, "\(path).untreated") ?? true } ?? true
            return RecordRule(id: id, text: text, kind: .fallBetweenVisits(measure: measure, points: points,
                                                                           untreatedOnly: untreated), source: source)
        }
        guard let eventName = reader.string(reader.required(m, "after", path, parent: node), "\(path).after") else {
            return nil
        }
        guard let event = template.eventIndex(eventName) else {
            reader.report("\(path).after", m["after"], "no event named \"\(eventName)\"")
            return nil
        }
        guard template.events[event].record != .none else {
            reader.report("\(path).after", m["after"],
                          "event \"\(eventName)\" is not recorded, so no record can show it")
            return nil
        }
        let atLeast = reader.number(m["atLeast"], "\(path).atLeast")
        let below = reader.number(m["below"], "\(path).below")
        guard atLeast != nil || below != nil else {
            reader.report(path, node, "a rule with \"after\" needs \"atLeast\" or \"below\"")
            return nil
        }
        return RecordRule(id: id, text: text,
                          kind: .valueAfterEvent(event: event, measure: measure, atLeast: atLeast, below: below),
                          source: source)
    }
}
