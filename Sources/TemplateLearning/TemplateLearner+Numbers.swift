import DiseaseModeling

extension TemplateLearner {
    /// Every number learning can change, whatever the records, at the template's values: the sex
    /// and categorical mixes, continuous attributes' levels, and each figure's levels. Needs
    /// `options.attributeEdges` for continuous attributes to have fixed bins (without them, their
    /// bins would come from the records, and so would the list). A release with differential
    /// privacy must not let the records choose which numbers it contains: this is that list.
    package func learnableNumbers() -> [TemplateAdjustment] {
        var result = [TemplateAdjustment(target: .sexMix, value: template.population.maleProbability,
                                         prior: template.population.maleProbability)]
        for attribute in template.attributes {
            switch attribute.kind {
            case .categorical(_, let male, let female):
                result.append(TemplateAdjustment(target: .categoryMix(attribute: attribute.id), value: 1,
                                                 male: male, female: female))
            case .continuous:
                result.append(TemplateAdjustment(target: .attributeLevel(attribute: attribute.id), value: 1))
            }
        }
        var seen = Set<String>()
        for spec in FigureSpecification.all(for: template, attributeFactors: attributeFactors([])) {
            var conditions: [TemplateAdjustment.Condition] = []
            for (f, factor) in spec.factors.enumerated() {
                for l in (f == 0 ? 0 : 1)..<factor.levels(in: template) {
                    conditions.append(factor.condition(l, in: template))
                }
            }
            if spec.factors.isEmpty { conditions.append(TemplateAdjustment.Condition()) }
            for var condition in conditions {
                condition.state = spec.state
                let a = TemplateAdjustment(target: spec.target, condition: condition, value: 1)
                if seen.insert("\(a.target)|\(a.condition)").inserted { result.append(a) }
            }
        }
        return result
    }
}
