import DiseaseModeling
import Foundation
import Simulation

extension FigureSpecification {
    /// Prior SDs of log multipliers, by kind (docs/coherent-generator.md): covariate effects on
    /// slopes and timings are rarely more than 1.5-fold, rates and uptake up to 2-fold.
    static let effectPriorSD = log(1.5)
    static let ratePriorSD = log(2.0)

    /// Whether treatment `t` moves measure `m` by an approach to a target: its treated course is
    /// then set by the target and half-life, which a slope multiplier does not reach.
    static func approaches(_ template: DiseaseTemplate, _ t: Int, _ m: Int) -> Bool {
        template.stateEffects[template.stateIndex(ofTreatment: t)].contains { effect in
            if case .measureApproach(let measure, _, _, _) = effect { return measure == m }
            return false
        }
    }

    /// When treatment `t` moves measure `m` toward a fraction of its value, by an added amount or one
    /// way toward a target (a change whose size `treatmentResponse` scales): whether the change is a fall.
    static func approachFalls(_ template: DiseaseTemplate, _ t: Int, _ m: Int) -> Bool? {
        for effect in template.stateEffects[template.stateIndex(ofTreatment: t)] {
            guard case .measureApproach(let measure, let target, _, _) = effect, measure == m else { continue }
            switch target {
            case .fraction(let p): return p.base < 1
            case .add(let p): return p.base < 0
            case .toward(_, .rising): return false
            case .toward(_, .falling): return true
            case .toward(_, .either): return nil
            }
        }
        return nil
    }

    /// Every figure the records can inform for a template, with the factors it may depend on.
    static func all(for template: DiseaseTemplate, attributeFactors: [Factor]) -> [FigureSpecification] {
        var specs: [FigureSpecification] = []
        let covariates = [Factor.sex] + attributeFactors
        for (m, measure) in template.measures.enumerated() {
            specs.append(FigureSpecification(
                name: "\(measure.id) slope", target: .measureSlope(measure: measure.id), factors: covariates,
                comparison: .ratioOfMeans, priorSD: effectPriorSD, figure: { $0.untreated[m]?.slope }))
            for (t, treatment) in template.treatments.enumerated() {
                guard let falls = approachFalls(template, t, m) else { continue }
                // The level on treatment, turned so that a larger response gives a larger figure: a
                // spleen that shrinks more is smaller, platelets that rise more are higher.
                specs.append(FigureSpecification(
                    name: "\(measure.id) response to \(treatment.id)",
                    target: .treatmentResponse(treatment: treatment.id, measure: measure.id),
                    factors: attributeFactors, comparison: .ratioOfMeans, priorSD: effectPriorSD,
                    figure: { w in w.treatedLevel[t][m].flatMap { $0 > 0 ? (falls ? 1 / $0 : $0) : nil } }))
            }
            for (t, treatment) in template.treatments.enumerated() where !approaches(template, t, m) {
                specs.append(FigureSpecification(
                    name: "\(measure.id) slope on \(treatment.id)", target: .measureSlope(measure: measure.id),
                    state: treatment.id, factors: attributeFactors, comparison: .ratioOfMeans,
                    priorSD: effectPriorSD, figure: { $0.treated[t][m]?.slope }))
            }
            for (e, event) in template.events.enumerated() where event.record != .none {
                specs.append(FigureSpecification(
                    name: "\(measure.id) slope after \(event.id)", target: .measureSlope(measure: measure.id),
                    state: event.id, factors: [], comparison: .ratioOfMeans, priorSD: effectPriorSD,
                    figure: { $0.afterEvent[e][m]?.slope }, isLate: true))
            }
            specs.append(FigureSpecification(
                name: "\(measure.id) noise", target: .measureNoise(measure: measure.id), factors: [],
                comparison: .rootRatio, priorSD: effectPriorSD,
                figure: { w in w.untreated[m].map { $0.residualVariance } ?? w.treated.first?[m]?.residualVariance }))
            specs.append(FigureSpecification(
                name: "\(measure.id) recorded", target: .measureRecorded(measure: measure.id), factors: [],
                comparison: .ratioOfMeans, priorSD: ratePriorSD,
                figure: { $0.visits > 0 ? Double($0.recorded[m]) / Double($0.visits) : nil }))
        }
        for (e, event) in template.events.enumerated() where event.record != .none {
            if case .threshold = event.trigger { continue }
            specs.append(FigureSpecification(
                name: "\(event.id) by exit", target: .eventRate(event: event.id), factors: covariates,
                comparison: .proportion, priorSD: ratePriorSD, figure: { $0.eventByExit[e] ? 1 : 0 }))
        }
        specs.append(FigureSpecification(
            name: "death in window", target: .mortality, factors: [.sex], comparison: .proportion,
            priorSD: ratePriorSD, figure: { $0.died ? 1 : 0 }))
        for (t, treatment) in template.treatments.enumerated() {
            specs.append(FigureSpecification(
                name: "\(treatment.id) by exit", target: .treatmentUptake(treatment: treatment.id), factors: covariates,
                comparison: .proportion, priorSD: ratePriorSD,
                figure: { $0.eligible[t] ? ($0.treatedByExit[t] ? 1 : 0) : nil }))
            specs.append(FigureSpecification(
                name: "\(treatment.id) delay", target: .treatmentDelay(treatment: treatment.id), factors: [],
                comparison: .ratioOfMeans, priorSD: ratePriorSD, figure: { $0.treatmentDelay[t] }))
        }
        specs.append(FigureSpecification(
            name: "onset age", target: .onsetAge, factors: covariates, comparison: .logDifference,
            priorSD: effectPriorSD, figure: { w in w.onsetAge.map { log(max($0, 0.1)) } }))
        let delayTiming: Bool
        if case .delayAfterOnset = template.diagnosis.timing { delayTiming = true } else { delayTiming = false }
        specs.append(FigureSpecification(
            name: delayTiming ? "diagnostic delay" : "diagnosis age", target: .diagnosisTiming, factors: covariates,
            comparison: .logDifference, priorSD: effectPriorSD,
            figure: { w in
                guard let d = w.diagnosisAge else { return nil }
                if delayTiming {
                    guard let o = w.onsetAge else { return nil }
                    return log(max(d - o, 0) + 0.5)
                }
                return log(max(d, 0.1))
            }))
        specs.append(FigureSpecification(
            name: "visit gap", target: .visitInterval, factors: [], comparison: .ratioOfMeans,
            priorSD: ratePriorSD, figure: { $0.meanGap }))
        return specs
    }
}

extension TemplateAdjustment.Target {
    /// The prior SD of the target's log multiplier in learning: rates, uptake and visit patterns
    /// are rates, everything else an effect (each figure specification's prior is this).
    package var learningPriorSD: Double {
        switch self {
        case .measureRecorded, .eventRate, .mortality, .treatmentUptake, .treatmentDelay, .visitInterval:
            FigureSpecification.ratePriorSD
        case .measureSlope, .treatmentResponse, .measureNoise, .onsetAge, .diagnosisTiming, .attributeLevel, .sexMix,
             .categoryMix:
            FigureSpecification.effectPriorSD
        }
    }
}
