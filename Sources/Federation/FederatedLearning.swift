import DiseaseModeling
import Foundation
import Randomness
import Serialization
import Simulation
import TemplateLearning
import Timelines

/// The steps of federated learning of a template: the starting model, a site's round, and the
/// coordinator's average. Each works on values that the commands read from and write to files.
package enum FederatedLearning {
    /// Round 0: the template (and, if given, a learned model's adjustments), with the bins of
    /// continuous attributes fixed for every site at the template's own tertiles (by simulation,
    /// so no site's records decide them).
    package static func initialModel(template: DiseaseTemplate, start: LearnedTemplate?, startLabel: String,
                                     seed: UInt64, aggregation: FederatedAveraging.Method = .precision)
        throws(FederationError) -> LearnedTemplate {
        let current: DiseaseTemplate
        do { current = try start?.apply(to: template) ?? template } catch { throw FederationError(error.message) }
        let record = FederationRecord(round: 0, aggregation: aggregation.rawValue, sites: [],
                                      attributeEdges: attributeTertiles(current, seed: seed), start: startLabel)
        let learning = LearningRecord(seedRecords: "federated: no site yet", patients: 0, rounds: 0,
                                      twinsPerPatient: 0, seed: seed)
        return LearnedTemplate(template: template, learning: learning, adjustments: start?.adjustments ?? [],
                               federation: record)
    }

    /// The tertiles of each continuous attribute's distribution in `template` (men and women alike).
    static func attributeTertiles(_ template: DiseaseTemplate, seed: UInt64) -> [String: [Double]] {
        var edges: [String: [Double]] = [:]
        for (a, attribute) in template.attributes.enumerated() {
            guard case .continuous(let distribution) = attribute.kind else { continue }
            var rng = RandomStream(seed: seed, stream: 0xFED0 + UInt64(a))
            var values: [Double] = []
            for i in 0..<6_000 {
                var context = PatientContext(
                    sex: i % 2 == 0 ? .male : .female,
                    categories: [Int](repeating: -1, count: template.attributes.count),
                    numbers: [Double](repeating: .nan, count: template.attributes.count),
                    randomEffects: template.randomEffects.map { _ in rng.nextNormal() },
                    stateCount: template.stateNames.count)
                context.birthYear = 1980
                values.append(distribution.sample(in: context, using: &rng))
            }
            values.sort()
            edges[attribute.id] = [values[values.count / 3], values[2 * values.count / 3]]
        }
        return edges
    }

    /// One site's round: learns from its records starting at `model` (the current template is the
    /// prior) and returns its numbers, relative to the base template, with their patient counts.
    package static func siteUpdate(model: LearnedTemplate, modelDigest: String, template: DiseaseTemplate,
                                   records: [PatientSequence], site: String, options base: LearningOptions)
        throws(FederationError) -> SiteUpdate {
        guard let federation = model.federation else {
            throw FederationError("the model is not a federated one (make round 0 with 'zebra federated init')")
        }
        let current: DiseaseTemplate
        do { current = try model.apply(to: template) } catch { throw FederationError(error.message) }
        var options = base
        options.attributeEdges = federation.attributeEdges
        let result: LearningResult
        do { result = try TemplateLearner(template: current, options: options).learn(from: records) } catch {
            throw FederationError("site \(site): \(error.message)")
        }
        // A site's numbers stay within the learner's bounds of the base template (×5 either way), as
        // one learner's would: rounds that each move a number do not carry it further.
        let totals = (model.adjustments + result.adjustments).combinedByKey().map { a in
            var a = a
            if !a.target.isMixTarget { a.value = exp(min(max(log(a.value), -multiplierBound), multiplierBound)) }
            return a
        }
        let local = Dictionary(result.adjustments.map { (AdjustmentKey($0), $0.evidence?.patients ?? result.patients) },
                               uniquingKeysWith: { a, _ in a })
        let modelByKey = Dictionary(model.adjustments.combinedByKey().map { (AdjustmentKey($0), $0.value) },
                                    uniquingKeysWith: { a, _ in a })
        let localByKey = Dictionary(result.adjustments.map { (AdjustmentKey($0), $0) }, uniquingKeysWith: { a, _ in a })
        let numbers = totals.compactMap { a -> SiteUpdate.Number? in
            guard let patients = local[AdjustmentKey(a)] else { return nil }
            var number = SiteUpdate.Number(adjustment: a, patients: patients)
            if !a.target.isMixTarget, let e = localByKey[AdjustmentKey(a)]?.evidence, e.posteriorSD > 0 {
                // The local estimate is relative to the round's model: add the model's own multiplier.
                let start = log(modelByKey[AdjustmentKey(a)] ?? 1)
                let prior = a.target.learningPriorSD
                number.logEstimate = start + log(e.unshrunk)
                number.precision = max(0, 1 / (e.posteriorSD * e.posteriorSD) - 1 / (prior * prior))
            }
            return number
        }
        return SiteUpdate(site: site, templateID: template.id, templateDigest: template.digest,
                          modelDigest: modelDigest, round: federation.round + 1, patients: result.patients,
                          numbers: numbers, learnerRounds: options.rounds, twinsPerPatient: options.twinsPerPatient,
                          seed: options.seed)
    }
}
