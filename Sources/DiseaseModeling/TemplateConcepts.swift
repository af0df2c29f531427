import Timelines

/// A template's concepts in one table, with the index of each part's concept.
package struct TemplateConcepts: Sendable {
    package var table = ConceptTable()
    package var condition: Int32 = 0
    package var measures: [Int32] = []
    package var attributes: [Int32] = []
    /// Per attribute, the concept of each categorical value.
    package var attributeValues: [[Int32]] = []
    package var events: [Int32] = []
    package var treatments: [Int32] = []
    /// The cause-of-death Observation's concept (-1 when the template names no causes) and each cause's.
    package var causeOfDeath: Int32 = -1
    package var deathCauses: [Int32] = []

    package init(_ template: DiseaseTemplate) {
        condition = table.add(template.condition)
        measures = template.measures.map { table.add($0.concept) }
        attributes = template.attributes.map { table.add($0.concept) }
        attributeValues = template.attributes.map { $0.valueConcepts.map { table.add($0) } }
        events = template.events.map { table.add($0.concept) }
        treatments = template.treatments.map { table.add($0.concept) }
        if !template.mortality.causes.isEmpty {
            causeOfDeath = table.add(Mortality.causeOfDeathConcept)
            deathCauses = template.mortality.causes.map { table.add($0.concept) }
        }
    }
}
