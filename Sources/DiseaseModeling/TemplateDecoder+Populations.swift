import Serialization

extension TemplateDecoder {
    /// `population.variants`: named populations with their own sex ratio and categorical mixes,
    /// read after the attributes they name.
    func populationVariants(_ population: JSONNode?, attributes: [AttributeDefinition]) -> [PopulationVariant] {
        guard let members = population?.objectValue,
              let node = members.first(where: { $0.key == "variants" })?.node else { return [] }
        var result: [PopulationVariant] = []
        for (i, item) in (reader.array(node, "$.population.variants") ?? []).enumerated() {
            let path = "$.population.variants[\(i)]"
            guard let variant = populationVariant(item, path, attributes: attributes) else { continue }
            if result.contains(where: { $0.id == variant.id }) {
                reader.report("\(path).id", item, "population \"\(variant.id)\" is defined twice")
            }
            result.append(variant)
        }
        return result
    }

    private func populationVariant(_ node: JSONNode, _ path: String,
                                   attributes: [AttributeDefinition]) -> PopulationVariant? {
        let allowed: Set<String> = ["id", "text", "sex", "attributes", "source", "note"]
        guard let m = reader.object(node, path, allowed: allowed) else { return nil }
        let id = reader.string(reader.required(m, "id", path, parent: node), "\(path).id") ?? ""
        if !id.isEmpty, !id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) {
            reader.report("\(path).id", m["id"], "an id uses lowercase letters, digits and '-' only")
        }
        let sourceNode = reader.required(m, "source", path, parent: node)
        checkSource(sourceNode, "\(path).source")
        var variant = PopulationVariant(
            id: id, text: reader.string(reader.required(m, "text", path, parent: node), "\(path).text") ?? id,
            maleProbability: nil, mixes: [], source: reader.string(sourceNode, "\(path).source") ?? "")
        if let s = reader.object(m["sex"], "\(path).sex", allowed: ["male", "female"]) {
            let male = probability(reader.required(s, "male", "\(path).sex", parent: m["sex"]), "\(path).sex.male")
            let female = probability(reader.required(s, "female", "\(path).sex", parent: m["sex"]),
                                     "\(path).sex.female")
            if let male, let female, abs(male + female - 1) > 1e-6 {
                reader.report("\(path).sex", m["sex"], "probabilities sum to \(male + female), not 1")
            }
            variant.maleProbability = male
        }
        for member in reader.members(m["attributes"], "\(path).attributes") {
            let p = "\(path).attributes.\(member.key)"
            guard let a = attributes.firstIndex(where: { $0.id == member.key }) else {
                reader.report(p, member.node, "no attribute \"\(member.key)\" is defined")
                continue
            }
            let values = attributes[a].categoryValues
            guard !values.isEmpty else {
                reader.report(p, member.node, "\"\(member.key)\" is continuous; a population sets categorical mixes")
                continue
            }
            guard let entries = reader.object(member.node, p, allowed: Set(values)) else { continue }
            var shares = [Double](repeating: 0, count: values.count)
            for (v, value) in values.enumerated() {
                if let e = entries[value] { shares[v] = probability(e, "\(p).\(value)") ?? 0 } else {
                    reader.report(p, member.node, "no share for value \"\(value)\"")
                }
            }
            let total = shares.reduce(0, +)
            if abs(total - 1) > 1e-6 { reader.report(p, member.node, "shares sum to \(total), not 1") }
            variant.mixes.append(.init(attribute: a, shares: shares))
        }
        if variant.maleProbability == nil && variant.mixes.isEmpty {
            reader.report(path, node, "a population sets \"sex\", \"attributes\" or both")
        }
        return variant
    }
}
