import DiseaseModeling
import Statistics
import Timelines

/// Names each patient's subgroup: sex, an attribute's value, or a tertile of a continuous attribute.
struct GroupLabeller {
    let grouping: ProgressionGrouping
    let name: String
    let labels: [String]
    private let attributeID: String
    private let cuts: [Double]

    init(_ grouping: ProgressionGrouping, template: DiseaseTemplate, facts: [PatientFacts]) {
        self.grouping = grouping
        var cuts: [Double] = [], id = ""
        var labels: [String]
        switch grouping {
        case .none:
            name = "all patients"
            labels = ["all"]
        case .sex:
            name = "sex"
            labels = ["female", "male"]
        case .attribute(let a):
            let attribute = template.attributes[a]
            id = attribute.id
            name = attribute.concept.text
            if attribute.isCategorical {
                labels = attribute.categoryValues
            } else {
                let values = facts.compactMap { f -> Double? in
                    if case .number(let x)? = f.attributes.first(where: { $0.name == id })?.value { return x }
                    return nil
                }
                cuts = (try? Descriptive.quantiles(values, [1.0 / 3, 2.0 / 3]))?.map { $0.rounded() } ?? []
                labels = cuts.count == 2
                    ? ["< \(Self.short(cuts[0]))", "\(Self.short(cuts[0]))–\(Self.short(cuts[1]))",
                       "≥ \(Self.short(cuts[1]))"].map { "\(attribute.id) \($0)" }
                    : ["all"]
            }
        }
        attributeID = id
        self.cuts = cuts
        if case .attribute = grouping, facts.contains(where: { f in !f.attributes.contains { $0.name == id } }) {
            labels.append("not recorded")
        }
        self.labels = labels
    }

    func label(_ f: PatientFacts) -> String {
        switch grouping {
        case .none: return "all"
        case .sex: return f.sex.rawValue
        case .attribute:
            guard let value = f.attributes.first(where: { $0.name == attributeID })?.value else {
                return "not recorded"
            }
            switch value {
            case .category(let c): return c
            case .number(let x):
                guard cuts.count == 2 else { return "all" }
                return labels[x < cuts[0] ? 0 : x < cuts[1] ? 1 : 2]
            }
        }
    }

    static func short(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}
