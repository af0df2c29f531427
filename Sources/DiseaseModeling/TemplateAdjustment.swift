import Timelines

/// One number a learned template changes: where it sits in the template, for whom, by how much,
/// and the evidence behind it. A learned template is its base template plus a list of these, so a
/// statistician can read every learned number beside the template's value.
package struct TemplateAdjustment: Sendable, Codable, Equatable {
    /// The template quantity that is changed.
    package enum Target: Sendable, Codable, Equatable, Hashable {
        /// P(male) in the population (`value` replaces it).
        case sexMix
        /// A categorical attribute's value probabilities (`probabilities` replace them, per sex).
        case categoryMix(attribute: String)
        /// The location (median, mean) of a continuous attribute's distribution.
        case attributeLevel(attribute: String)
        /// The median (mean, scale) of the onset-age distribution.
        case onsetAge
        /// The median (mean, scale) of the diagnosis age or delay.
        case diagnosisTiming
        /// A measure's yearly slope.
        case measureSlope(measure: String)
        /// A measure's between-visit noise (SD and CV).
        case measureNoise(measure: String)
        /// The chance that a visit records a measure.
        case measureRecorded(measure: String)
        /// An event's hazard rate or incidence probability.
        case eventRate(event: String)
        /// The size of a treatment's effect on a measure that approaches a target on it (the fall
        /// of a spleen volume, the rise of platelets): 2 doubles the change, 0.5 halves it.
        case treatmentResponse(treatment: String, measure: String)
        /// The chance that an eligible patient starts a treatment.
        case treatmentUptake(treatment: String)
        /// The median (mean, scale) of the delay to a treatment's start.
        case treatmentDelay(treatment: String)
        /// The hazard of death (background ratio and excess together).
        case mortality
        /// Every visit interval.
        case visitInterval
    }

    /// Whom an adjustment applies to; all that are set must hold.
    package struct Condition: Sendable, Codable, Equatable, Hashable {
        package var sex: Sex?
        /// A categorical attribute and the value it must have.
        package var attribute: String?
        package var value: String?
        /// For a continuous attribute: the range `[atLeast, below)` its value must lie in.
        package var atLeast: Double?
        package var below: Double?
        /// A state (event or treatment id) that must be active.
        package var state: String?

        package init(sex: Sex? = nil, attribute: String? = nil, value: String? = nil, atLeast: Double? = nil,
                     below: Double? = nil, state: String? = nil) {
            self.sex = sex
            self.attribute = attribute
            self.value = value
            self.atLeast = atLeast
            self.below = below
            self.state = state
        }

        /// Reads as "men", "phenotype = classic", "after esrd", or "everyone".
        package var description: String {
            var parts: [String] = []
            if let sex { parts.append(sex == .male ? "men" : "women") }
            if let attribute, let value { parts.append("\(attribute) = \(value)") }
            if let attribute, value == nil {
                let lo = atLeast.map { "\($0) ≤ " } ?? "", hi = below.map { " < \($0)" } ?? ""
                parts.append(lo + attribute + hi)
            }
            if let state { parts.append("with \(state)") }
            return parts.isEmpty ? "everyone" : parts.joined(separator: ", ")
        }
    }

    /// What the records showed, for the reader of a learned template.
    package struct Evidence: Sendable, Codable, Equatable {
        /// Seed patients that informed the number.
        package var patients: Int
        /// Events, or patients with a slope, behind it.
        package var observations: Int
        /// The seed records' figure and the template's figure on the same registry windows.
        package var seedFigure: Double
        package var templateFigure: Double
        /// The number the records alone would give (no shrinkage to the template).
        package var unshrunk: Double
        /// The posterior SD of the learned number (on its log scale for multipliers).
        package var posteriorSD: Double

        package init(patients: Int, observations: Int, seedFigure: Double, templateFigure: Double,
                     unshrunk: Double, posteriorSD: Double) {
            self.patients = patients
            self.observations = observations
            self.seedFigure = seedFigure
            self.templateFigure = templateFigure
            self.unshrunk = unshrunk
            self.posteriorSD = posteriorSD
        }
    }

    package var target: Target
    package var condition: Condition
    /// The multiplier (or, for the mixes, the probability of male).
    package var value: Double
    /// For `categoryMix`: probabilities by value, for men and for women.
    package var male: [Double]?
    package var female: [Double]?
    /// The template's value this replaces (1 for multipliers).
    package var prior: Double
    package var evidence: Evidence?

    package init(target: Target, condition: Condition = Condition(), value: Double, prior: Double = 1,
                 male: [Double]? = nil, female: [Double]? = nil, evidence: Evidence? = nil) {
        self.target = target
        self.condition = condition
        self.value = value
        self.prior = prior
        self.male = male
        self.female = female
        self.evidence = evidence
    }
}

/// Why an adjustment cannot be applied to a template.
package struct AdjustmentError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

extension DiseaseTemplate {
    /// The template with the adjustments applied, in order. The digest stays the base template's:
    /// it names what the adjustments were learned against.
    package func adjusted(by adjustments: [TemplateAdjustment]) throws(AdjustmentError) -> DiseaseTemplate {
        var result = self
        for adjustment in adjustments { try result.apply(adjustment) }
        return result
    }

    private mutating func apply(_ a: TemplateAdjustment) throws(AdjustmentError) {
        let effect = Effect(condition: try effectCondition(a.condition), action: .multiply(a.value))
        switch a.target {
        case .sexMix:
            population.maleProbability = min(max(a.value, 0), 1)
        case .categoryMix(let id):
            let i = try attribute(id)
            guard case .categorical(let values, _, _) = attributes[i].kind, let male = a.male, let female = a.female,
                  male.count == values.count, female.count == values.count else {
                throw AdjustmentError("the mix of attribute '\(id)' needs one probability per value for each sex")
            }
            attributes[i].kind = .categorical(values: values, male: male, female: female)
        case .attributeLevel(let id):
            let i = try attribute(id)
            guard case .continuous(var distribution) = attributes[i].kind else {
                throw AdjustmentError("attribute '\(id)' is not continuous")
            }
            distribution.scaleLocation(by: effect)
            attributes[i].kind = .continuous(distribution)
        case .onsetAge:
            onset.age.scaleLocation(by: effect)
        case .diagnosisTiming:
            switch diagnosis.timing {
            case .delayAfterOnset(var d): d.scaleLocation(by: effect); diagnosis.timing = .delayAfterOnset(d)
            case .age(var d): d.scaleLocation(by: effect); diagnosis.timing = .age(d)
            }
        case .measureSlope(let id):
            measures[try measure(id)].slope.effects.append(effect)
        case .measureNoise(let id):
            let m = try measure(id)
            measures[m].noiseSD *= a.value
            measures[m].noiseCV *= a.value
        case .measureRecorded(let id):
            let m = try measure(id)
            measures[m].observeProbability = min(1, measures[m].observeProbability * a.value)
        case .eventRate(let id):
            let e = try event(id)
            switch events[e].trigger {
            case .hazard(var rate, let clock, let knots):
                rate.effects.append(effect)
                events[e].trigger = .hazard(rate: rate, clockState: clock, knots: knots)
            case .incidence(var probability, let delay, let from):
                probability.effects.append(effect)
                events[e].trigger = .incidence(probability: probability, delay: delay, fromState: from)
            case .threshold:
                throw AdjustmentError("event '\(id)' follows a measure's threshold; its rate cannot be adjusted")
            }
        case .treatmentResponse(let t, let m):
            try scaleResponse(of: try treatment(t), on: try measure(m), by: a.value, condition: effect.condition)
        case .treatmentUptake(let id):
            treatments[try treatment(id)].probability.effects.append(effect)
        case .treatmentDelay(let id):
            treatments[try treatment(id)].delay.scaleLocation(by: effect)
        case .mortality:
            mortality.hazardRatio.effects.append(effect)
            mortality.excess.effects.append(effect)
            for c in mortality.causes.indices { mortality.causes[c].excess.effects.append(effect) }
        case .visitInterval:
            for r in visits.rules.indices { visits.rules[r].intervalYears *= a.value }
        }
    }

    /// Scales the change an approach effect makes: a target fraction f becomes 1 − m·(1 − f) (as a
    /// multiplier of the fraction, from its base value), an added amount is multiplied by m, and a
    /// one-way target is multiplied by m if it rises (platelets on ERT) or divided by m if it falls.
    private mutating func scaleResponse(of t: Int, on m: Int, by factor: Double, condition: EffectCondition)
        throws(AdjustmentError) {
        let state = stateIndex(ofTreatment: t)
        guard let i = stateEffects[state].firstIndex(where: {
            if case .measureApproach(let measure, _, _, _) = $0 { return measure == m }
            return false
        }), case .measureApproach(_, let target, let halfLife, let wearsOff) = stateEffects[state][i] else {
            throw AdjustmentError("treatment '\(treatments[t].id)' does not move '\(measures[m].id)' toward a target")
        }
        switch target {
        case .fraction(var p):
            let f = p.base
            guard f > 0 else { throw AdjustmentError("the target fraction of '\(measures[m].id)' is not positive") }
            let k = max(1 - factor * (1 - f), 0.01) / f
            p.effects.append(Effect(condition: condition, action: .multiply(k)))
            stateEffects[state][i] = .measureApproach(measure: m, target: .fraction(p), halfLifeYears: halfLife,
                                                      wearsOff: wearsOff)
        case .add(var p):
            p.effects.append(Effect(condition: condition, action: .multiply(factor)))
            stateEffects[state][i] = .measureApproach(measure: m, target: .add(p), halfLifeYears: halfLife,
                                                      wearsOff: wearsOff)
        case .toward(var p, let direction) where direction != .either:
            // A one-way target: the level reached is what responds, higher for a larger rise, lower for a larger fall.
            let multiplier = direction == .rising ? factor : 1 / factor
            p.effects.append(Effect(condition: condition, action: .multiply(multiplier)))
            stateEffects[state][i] = .measureApproach(measure: m, target: .toward(p, direction),
                                                      halfLifeYears: halfLife, wearsOff: wearsOff)
        case .toward:
            throw AdjustmentError("'\(measures[m].id)' approaches a value on '\(treatments[t].id)' from either side; "
                + "the size of that change is not adjustable")
        }
    }

    private func effectCondition(_ c: TemplateAdjustment.Condition) throws(AdjustmentError) -> EffectCondition {
        var result = EffectCondition()
        result.sex = c.sex
        if let id = c.attribute {
            let i = try attribute(id)
            if attributes[i].isCategorical {
                guard let value = c.value, let v = attributes[i].categoryValues.firstIndex(of: value) else {
                    throw AdjustmentError("attribute '\(id)' has no value '\(c.value ?? "")'")
                }
                result.category = (i, v)
            } else {
                result.range = (.attribute(i), c.atLeast ?? -.infinity, c.below ?? .infinity)
            }
        }
        if let state = c.state {
            guard let s = stateIndex(state) else { throw AdjustmentError("the template has no state '\(state)'") }
            result.requiredStates = 1 << UInt64(s)
        }
        return result
    }

    private func attribute(_ id: String) throws(AdjustmentError) -> Int {
        try index(attributeIndex(id), "attribute", id)
    }

    private func measure(_ id: String) throws(AdjustmentError) -> Int { try index(measureIndex(id), "measure", id) }
    private func event(_ id: String) throws(AdjustmentError) -> Int { try index(eventIndex(id), "event", id) }

    private func treatment(_ id: String) throws(AdjustmentError) -> Int {
        try index(treatmentIndex(id), "treatment", id)
    }

    /// A looked-up index, or the error naming what the template lacks.
    private func index(_ found: Int?, _ kind: String, _ id: String) throws(AdjustmentError) -> Int {
        guard let found else { throw AdjustmentError("the template has no \(kind) '\(id)'") }
        return found
    }
}

extension Distribution {
    /// Adds an effect to the predictor that sets the distribution's location (median, mean or
    /// scale), so that a multiplier scales the drawn value while keeping the spread's shape.
    mutating func scaleLocation(by effect: Effect) {
        switch family {
        case .fixed(var p): p.effects.append(effect); family = .fixed(p)
        case .normal(var mean, let sd): mean.effects.append(effect); family = .normal(mean: mean, sd: sd)
        case .lognormal(var median, let sigma):
            median.effects.append(effect); family = .lognormal(median: median, sigma: sigma)
        case .gamma(var mean, var sd):
            // Scaling a gamma variable scales its mean and SD together.
            mean.effects.append(effect); sd.effects.append(effect); family = .gamma(mean: mean, sd: sd)
        case .weibull(var scale, let shape):
            scale.effects.append(effect); family = .weibull(scale: scale, shape: shape)
        case .exponential(var mean): mean.effects.append(effect); family = .exponential(mean: mean)
        case .logistic(var mean, var variance):
            // Scaling a logistic variable scales its mean, and its variance by the square.
            mean.effects.append(effect)
            if case .multiply(let f) = effect.action {
                variance.effects.append(Effect(condition: effect.condition, action: .multiply(f * f)))
            }
            family = .logistic(mean: mean, variance: variance)
        case .uniform(var lo, var hi):
            lo.effects.append(effect); hi.effects.append(effect); family = .uniform(min: lo, max: hi)
        }
    }
}
