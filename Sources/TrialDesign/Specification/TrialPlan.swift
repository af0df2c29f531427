import DiseaseModeling
import Simulation
import Timelines

/// A trial specification resolved against its disease template: every name checked and turned
/// into an index, the covariate columns laid out, the visit times in years.
package struct TrialPlan: Sendable {
    /// The trial as written.
    package let specification: TrialSpecification
    /// The disease template the trial is resolved against.
    package let template: DiseaseTemplate
    /// The template's concept table, as simulated records use it.
    package let concepts: TemplateConcepts
    let criteria: ResolvedEligibility
    /// The endpoint measure (measure endpoints).
    package let endpointMeasure: Int?
    /// The endpoint event (time-to-event endpoints); nil with `endpointIsDeath`.
    package let endpointEvent: Int?
    /// Whether the time-to-event endpoint is death.
    package let endpointIsDeath: Bool
    /// The covariate columns, in order (a categorical attribute gives one column per value).
    package let covariates: [CovariateColumn]
    /// The template treatment that is the intervention, if any.
    package let interventionTreatment: Int?
    /// Visit times in years after the index date (0 first).
    package let visitYears: [Double]
    /// The visit at the endpoint time (measure endpoints); the last visit otherwise.
    package let endpointVisit: Int
    /// The endpoint time in years.
    package var horizonYears: Double { specification.endpoint.months / 12 }
    /// A trained sequence model (Learning's `ModelGenerator`): when set, simulated patients'
    /// measures at trial visits are the model's (its departures from the template for each
    /// patient, and its recording spread) rather than the template's trajectory plus the
    /// template's noise.
    package var observationModel: (any ScheduledObservationGenerator)?
    /// How patients are generated, for reports: "template", or the model file and its digest.
    package var generatorDescription = "template"

    /// Resolves `specification` against `template`; names that the template lacks are reported
    /// with the line of the trial file they are on.
    package init(specification spec: TrialSpecification, template: DiseaseTemplate) throws(TrialSpecificationError) {
        var problems: [TrialProblem] = []
        func problem(_ path: String, _ message: String) {
            problems.append(TrialProblem(file: spec.file, path: path, line: spec.lines[path] ?? 0, message: message))
        }
        if spec.disease != template.id {
            problem("$.disease", "the trial is for \"\(spec.disease)\" but the template is \"\(template.id)\"")
        }
        let criteria = ResolvedEligibility(spec.eligibility, template: template, path: "$.eligibility",
                                           problem: problem)
        var measure: Int?, event: Int?, death = false
        switch spec.endpoint {
        case .change(let m, _), .slope(let m, _):
            measure = template.measureIndex(m)
            if measure == nil {
                problem("$.endpoint.measure",
                        "no measure \"\(m)\" in \(template.id); measures: "
                            + "\(template.measures.map(\.id).joined(separator: ", "))")
            }
        case .timeToEvent(let e, _):
            if e == "death" { death = true } else {
                event = template.eventIndex(e)
                if event == nil {
                    problem("$.endpoint.event",
                            "no event \"\(e)\" in \(template.id); events: "
                                + "\((template.events.map(\.id) + ["death"]).joined(separator: ", "))")
                }
                if let ev = event, template.events[ev].record == .none {
                    problem("$.endpoint.event",
                            "event \"\(e)\" is not recorded in patient records "
                                + "(record: none), so its date cannot be observed")
                }
            }
        }
        var intervention: Int?
        if let t = spec.intervention.treatment {
            intervention = template.treatmentIndex(t)
            if intervention == nil {
                problem("$.intervention.treatment",
                        "no treatment \"\(t)\" in \(template.id); treatments: "
                            + "\(template.treatments.map(\.id).joined(separator: ", "))")
            }
        }
        let names = spec.covariates ?? Self.defaultCovariates(spec, template: template)
        var columns: [CovariateColumn] = []
        for (i, name) in names.enumerated() {
            guard let c = CovariateColumn.columns(named: name, template: template) else {
                problem("$.covariates[\(i)]",
                        "unknown covariate \"\(name)\"; use age, sex, disease-duration, prior-treatment, or an "
                            + "attribute, measure or event id of \(template.id)")
                continue
            }
            // Levels the eligibility rules out would only add constant columns.
            columns += c.filter { column in
                guard case .category(let a, let v) = column.source,
                      let allowed = spec.eligibility.categories.first(where: {
                          $0.attribute == template.attributes[a].id
                      }) else { return true }
                return allowed.values.contains(template.attributes[a].categoryValues[v])
            }
        }
        if columns.isEmpty && problems.isEmpty {
            problem("$.covariates", "no covariates: the propensity score needs at least one")
        }
        for (path, selection) in spec.simulation.treatedSelection.ranges.map({
            ("$.simulation.treatedSelection.ranges.\($0.id)", $0.id)
        }) + spec.simulation.treatedSelection.logOdds.map({
            ("$.simulation.treatedSelection.logOdds.\($0.covariate)", $0.covariate)
        })
        where !columns.contains(where: { $0.name == selection }) {
            // A selection variable outside the covariates is an unmeasured confounder: recorded
            // for the selection, hidden from every model.
            if let hidden = CovariateColumn.columns(named: selection, template: template), hidden.count == 1 {
                columns += hidden.map { var c = $0; c.isHidden = true; return c }
                continue
            }
            problem(path,
                    "\"\(selection)\" is neither one of the trial's covariate columns "
                        + "(\(columns.map(\.name).joined(separator: ", "))) nor a single-column covariate of "
                        + "\(template.id) to act as an unmeasured confounder")
        }
        for (i, ie) in spec.intercurrentEvents.enumerated() {
            let path = "$.estimand.intercurrentEvents[\(i)]"
            if ie.event != "death" && ie.event != "treatment" && template.eventIndex(ie.event) == nil {
                problem("\(path).event", "\"\(ie.event)\" is not death, treatment or an event of \(template.id) "
                    + "(\(template.events.map(\.id).joined(separator: ", ")))")
            }
            if ie.strategy == .composite && !spec.endpoint.isTimeToEvent {
                problem("\(path).strategy", "a composite strategy needs a time-to-event endpoint")
            }
            if ie.event == "death" && spec.endpoint.isTimeToEvent && ie.strategy == .treatmentPolicy {
                problem("\(path).strategy", "follow-up ends at death: for a time-to-event endpoint choose composite "
                    + "or hypothetical")
            }
            if case .timeToEvent(let endpointEvent, _) = spec.endpoint, ie.event == endpointEvent {
                problem("\(path).event", "\"\(ie.event)\" is the endpoint itself")
            }
        }
        guard problems.isEmpty, let criteria else { throw TrialSpecificationError(file: spec.file, problems: problems) }
        specification = spec
        self.template = template
        concepts = TemplateConcepts(template)
        self.criteria = criteria
        endpointMeasure = measure
        endpointEvent = event
        endpointIsDeath = death
        covariates = columns
        interventionTreatment = intervention
        visitYears = spec.visitMonths.map { $0 / 12 }
        endpointVisit = spec.visitMonths.firstIndex { abs($0 - spec.endpoint.months) < 1e-9 }
            ?? spec.visitMonths.count - 1
    }

    /// Age, sex (unless one sex only), disease duration, every attribute, and the baseline of the
    /// endpoint measure and of every measure in the eligibility criteria.
    static func defaultCovariates(_ spec: TrialSpecification, template: DiseaseTemplate) -> [String] {
        var names = ["age"]
        if spec.eligibility.sexes.map({ Set($0).count > 1 }) ?? true { names.append("sex") }
        names.append("disease-duration")
        for a in template.attributes {
            if let allowed = spec.eligibility.categories.first(where: { $0.attribute == a.id }),
               allowed.values.count < 2 {
                continue
            }
            names.append(a.id)
        }
        var measures: [String] = []
        if let m = spec.endpoint.measure { measures.append(m) }
        for m in spec.eligibility.measures where !measures.contains(m.id) { measures.append(m.id) }
        names += measures
        if spec.eligibility.priorTreatment == .allowed { names.append("prior-treatment") }
        return names
    }

    /// The names of the covariates given by the user (one per categorical attribute).
    package var covariateNames: [String] {
        var seen: [String] = []
        for c in covariates where !seen.contains(c.covariate) { seen.append(c.covariate) }
        return seen
    }
}

/// One column of the baseline covariate table.
package struct CovariateColumn: Sendable, Hashable {
    /// Where a column's value comes from in the record.
    package enum Source: Sendable, Hashable {
        case age, sex, diseaseDuration, priorTreatment
        case attribute(Int)
        /// 1 when the categorical attribute has this value.
        case category(attribute: Int, value: Int)
        /// The last value of the measure in the baseline window.
        case measure(Int)
        /// 1 when the event happened by the index date.
        case event(Int)
    }

    /// The column name in tables (e.g. `age`, `sex=male`, `phenotype=classic`, `mfars`).
    package var name: String
    /// The covariate it belongs to, as the user names it (`phenotype` for `phenotype=classic`).
    package var covariate: String
    package var source: Source
    package var isBinary: Bool
    /// A confounder trial-sim selects on but no model is told about (not in the propensity score,
    /// the endpoint model or the prognostic score): the scenario of unmeasured confounding.
    package var isHidden = false

    static func columns(named name: String, template: DiseaseTemplate) -> [CovariateColumn]? {
        func one(_ source: Source, binary: Bool, column: String? = nil) -> [CovariateColumn] {
            [CovariateColumn(name: column ?? name, covariate: name, source: source, isBinary: binary)]
        }
        switch name {
        case "age": return one(.age, binary: false)
        case "sex": return one(.sex, binary: true, column: "sex=male")
        case "disease-duration": return one(.diseaseDuration, binary: false)
        case "prior-treatment": return one(.priorTreatment, binary: true)
        default: break
        }
        if let a = template.attributeIndex(name) {
            let attribute = template.attributes[a]
            guard attribute.isCategorical else { return one(.attribute(a), binary: false) }
            return attribute.categoryValues.enumerated().map { v, value in
                CovariateColumn(name: "\(name)=\(value)", covariate: name, source: .category(attribute: a, value: v),
                                isBinary: true)
            }
        }
        if let m = template.measureIndex(name) { return one(.measure(m), binary: false) }
        if let e = template.eventIndex(name) { return one(.event(e), binary: true) }
        return nil
    }
}
