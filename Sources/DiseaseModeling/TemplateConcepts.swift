import Timelines

/// A template's concepts in one table, with the index of each part's concept.
public struct TemplateConcepts: Sendable {
    public var table = ConceptTable()
    public var condition: Int32 = 0
    public var measures: [Int32] = []
    public var attributes: [Int32] = []
    /// Per attribute, the concept of each categorical value.
    public var attributeValues: [[Int32]] = []
    public var events: [Int32] = []
    public var treatments: [Int32] = []

    public init(_ template: DiseaseTemplate) {
        condition = table.add(template.condition)
        measures = template.measures.map { table.add($0.concept) }
        attributes = template.attributes.map { table.add($0.concept) }
        attributeValues = template.attributes.map { $0.valueConcepts.map { table.add($0) } }
        events = template.events.map { table.add($0.concept) }
        treatments = template.treatments.map { table.add($0.concept) }
    }
}
