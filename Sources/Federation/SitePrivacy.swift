import DifferentialPrivacy
import DiseaseModeling
import Foundation
import Randomness
import Simulation
import TemplateLearning

/// A site's differential-privacy settings: its budget over every round it joins, and how each
/// round's release is made private.
package struct SitePrivacySettings: Sendable {
    /// The site's total (ε, δ) over all its rounds.
    package var epsilon: Double
    package var delta: Double
    /// Rounds the budget is planned for: each round's noise is set so that this many meet it.
    package var plannedRounds: Int
    /// The L2 bound on one group's change to the model (log multipliers and mix probabilities).
    package var clip: Double = 0.5
    /// Patients per group (subsample and aggregate): more groups, less noise, noisier groups.
    package var groupSize: Int = 25

    package init(epsilon: Double, delta: Double, plannedRounds: Int) {
        self.epsilon = epsilon
        self.delta = delta
        self.plannedRounds = plannedRounds
    }

    /// The noise multiplier (noise SD over sensitivity) that makes `plannedRounds` Gaussian
    /// releases meet the budget, by the RDP accountant.
    func noiseMultiplier() throws(FederationError) -> Double {
        do {
            return try NoiseCalibration.noiseMultiplier(
                budget: PrivacyBudget(epsilon: epsilon, delta: delta), sampleRate: 1, steps: plannedRounds)
                .noiseMultiplier
        } catch { throw FederationError("the privacy budget: \(error)") }
    }
}

extension SitePrivacyRecord {
    /// ε at `delta` of Gaussian releases with these noise multipliers, composed.
    static func composedEpsilon(_ multipliers: [Double], delta: Double) throws(FederationError) -> Double {
        do {
            var accountant = try RDPAccountant()
            for z in multipliers {
                try accountant.compose(SampledGaussianMechanism(sampleRate: 1, noiseMultiplier: z), steps: 1)
            }
            return try accountant.epsilon(delta: delta).epsilon
        } catch { throw FederationError("privacy accounting: \(error)") }
    }
}

extension FederatedLearning {
    /// A site's round with differential privacy (subsample and aggregate, then the Gaussian
    /// mechanism): the site's patients are hashed into groups of about `groupSize`; each group is
    /// learned from alone, starting at the model; each group's change to every learnable number
    /// (a fixed list, whatever the records) is clipped to L2 norm `clip`; the groups' mean gets
    /// Gaussian noise of SD `z · 2·clip / groups`, since one patient moves one group and so the
    /// mean by at most that much. Only the noisy numbers and the site's patient count are released.
    /// `spent` is the site's earlier rounds' noise multipliers; a round past the budget is refused.
    package static func privateSiteUpdate(model: LearnedTemplate, modelDigest: String, template: DiseaseTemplate,
                                          records: [PatientSequence], site: String, options base: LearningOptions,
                                          privacy: SitePrivacySettings, spent: [Double])
        throws(FederationError) -> SiteUpdate {
        guard let federation = model.federation else {
            throw FederationError("the model is not a federated one (make round 0 with 'zebra federated init')")
        }
        let z = try privacy.noiseMultiplier()
        let epsilonAfter = try SitePrivacyRecord.composedEpsilon(spent + [z], delta: privacy.delta)
        guard epsilonAfter <= privacy.epsilon * (1 + 1e-9) else {
            let before = spent.isEmpty ? 0 : try SitePrivacyRecord.composedEpsilon(spent, delta: privacy.delta)
            throw FederationError(String(format: "site %@: this round would bring its privacy loss to ε = %.3f "
                + "(δ = %.0e), past its budget ε = %.3f; it has spent ε = %.3f over %d rounds. Refused: the site "
                + "leaves the federation, or its budget is raised with the data owner's consent", site,
                epsilonAfter, privacy.delta, privacy.epsilon, before, spent.count), isBudgetRefusal: true)
        }
        let current: DiseaseTemplate
        do { current = try model.apply(to: template) } catch { throw FederationError(error.message) }
        var options = base
        options.attributeEdges = federation.attributeEdges
        let learner = TemplateLearner(template: current, options: options)
        let numbers = learner.learnableNumbers()
        let layout = CoordinateLayout(numbers)
        let groups = max(2, records.count / max(privacy.groupSize, 1))
        var members = [[PatientSequence]](repeating: [], count: groups)
        for r in records { members[Int(groupHash(r.id, seed: options.seed) % UInt64(groups))].append(r) }
        var sum = [Double](repeating: 0, count: layout.count)
        for group in members where group.count >= 2 {
            guard let learned = try? learner.learn(from: group).adjustments else { continue }
            var change = layout.change(learned, from: numbers)
            let norm = change.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > privacy.clip { change = change.map { $0 * privacy.clip / norm } }
            for i in sum.indices { sum[i] += change[i] }
        }
        var rng = RandomStream(seed: options.seed ^ 0x4450_5F46_4544_0000, stream: UInt64(federation.round))
        let sd = z * 2 * privacy.clip / Double(groups)
        let noisy = sum.map { $0 / Double(groups) + sd * rng.nextNormal() }
        let released = layout.adjustments(noisy, numbers, model: model)
        let starts = layout.starts(numbers, model: model)
        let releasedNumbers = released.indices.map { n in
            let range = layout.offsets[n]..<(layout.offsets[n] + starts[n].count)
            var number = SiteUpdate.Number(adjustment: released[n], patients: records.count)
            number.release = SiteUpdate.PrivateRelease(start: starts[n], change: Array(noisy[range]), noiseSD: sd)
            return number
        }
        var update = SiteUpdate(
            site: site, templateID: template.id, templateDigest: template.digest, modelDigest: modelDigest,
            round: federation.round + 1, patients: records.count, numbers: releasedNumbers,
            learnerRounds: options.rounds, twinsPerPatient: options.twinsPerPatient, seed: options.seed)
        update.privacy = SitePrivacyRecord(budgetEpsilon: privacy.epsilon, delta: privacy.delta,
                                           noiseMultipliers: spent + [z], epsilon: epsilonAfter, clip: privacy.clip,
                                           groups: groups)
        return update
    }

    /// A patient's group: FNV-1a of the record id and the seed, so that a patient's group does not
    /// depend on the other patients (adding or removing one changes one group only).
    static func groupHash(_ id: String, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in id.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

/// The coordinates of a private release: one per multiplier (its log), one for P(male), one per
/// value and sex of each categorical mix.
struct CoordinateLayout {
    var offsets: [Int] = []
    var count = 0

    init(_ numbers: [TemplateAdjustment]) {
        for n in numbers {
            offsets.append(count)
            count += n.male.map { $0.count * 2 } ?? 1
        }
    }

    /// A group's change to each coordinate, relative to the template it learned from (whose
    /// values `numbers` hold): learned multipliers are logs, mixes differences of probabilities.
    func change(_ learned: [TemplateAdjustment], from numbers: [TemplateAdjustment]) -> [Double] {
        var result = [Double](repeating: 0, count: count)
        let byKey = Dictionary(learned.combinedByKey().map { (AdjustmentKey($0), $0) }, uniquingKeysWith: { a, _ in a })
        for (n, number) in numbers.enumerated() {
            guard let a = byKey[AdjustmentKey(number)] else { continue }
            let o = offsets[n]
            if let male = number.male, let female = number.female {
                for i in male.indices {
                    result[o + i] = (a.male?[i] ?? male[i]) - male[i]
                    result[o + male.count + i] = (a.female?[i] ?? female[i]) - female[i]
                }
            } else if number.target == .sexMix {
                result[o] = a.value - number.value
            } else {
                result[o] = log(a.value)
            }
        }
        return result
    }

    /// The released adjustments: the model's numbers moved by `change`, relative to the base
    /// template, within the learner's bounds; mixes kept probabilities.
    func adjustments(_ change: [Double], _ numbers: [TemplateAdjustment], model: LearnedTemplate)
        -> [TemplateAdjustment] {
        let current = Dictionary(model.adjustments.combinedByKey().map { (AdjustmentKey($0), $0) },
                                 uniquingKeysWith: { a, _ in a })
        return numbers.enumerated().map { n, number in
            let o = offsets[n]
            var a = number
            a.evidence = nil
            if let male = number.male, let female = number.female {
                a.male = Self.normalised(male.indices.map { male[$0] + change[o + $0] })
                a.female = Self.normalised(female.indices.map { female[$0] + change[o + male.count + $0] })
            } else if number.target == .sexMix {
                a.prior = current[AdjustmentKey(number)]?.prior ?? number.prior
                a.value = min(max(number.value + change[o], 0.01), 0.99)
            } else {
                let start = log(current[AdjustmentKey(number)]?.value ?? 1)
                a.value = exp(min(max(start + change[o], -multiplierBound), multiplierBound))
            }
            return a
        }
    }

    /// The round's model values of each number's coordinates (log for multipliers).
    func starts(_ numbers: [TemplateAdjustment], model: LearnedTemplate) -> [[Double]] {
        let current = Dictionary(model.adjustments.combinedByKey().map { (AdjustmentKey($0), $0) },
                                 uniquingKeysWith: { a, _ in a })
        return numbers.map { number in
            if let male = number.male, let female = number.female { return male + female }
            if number.target == .sexMix { return [number.value] }
            return [log(current[AdjustmentKey(number)]?.value ?? 1)]
        }
    }

    static func normalised(_ p: [Double]) -> [Double] {
        let clipped = p.map { min(max($0, 0.001), 1) }
        let total = clipped.reduce(0, +)
        return clipped.map { $0 / total }
    }
}
