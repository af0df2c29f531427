import DiseaseModeling
import Foundation
import Simulation
import Timelines

extension TemplateLearner {
    /// Rounds of the selection correction of the mixes.
    static let selectionRounds = 3

    /// The population mixes that give the seed records' mixes once a registry has selected its
    /// patients. A registry sees survivors who were diagnosed while it was open, and a genotype
    /// with earlier diagnosis or death is seen more or less often than it is born; so the records'
    /// shares are divided by each stratum's chance of reaching the registry, estimated by
    /// simulating the registry's protocol (read from the records' dates) on the learned template.
    func selectionCorrected(_ mixes: [TemplateAdjustment], others: [TemplateAdjustment], seen: [PatientSequence])
        throws(AdjustmentError) -> [TemplateAdjustment] {
        guard seen.count >= 20 else { return mixes }
        let targets = mixes
        var current = mixes
        for round in 0..<Self.selectionRounds {
            let learned = try template.adjusted(by: current + others)
            let registry = simulatedRegistry(learned, like: seen, seed: options.seed &+ UInt64(round))
            guard registry.count >= 100 else { return current }
            current = zip(current, targets).map { now, target in corrected(now, toward: target, seen: registry) }
        }
        return current
    }

    /// One step: each share times (target share / the simulated registry's share), renormalised.
    private func corrected(_ now: TemplateAdjustment, toward target: TemplateAdjustment,
                           seen registry: [PatientSequence]) -> TemplateAdjustment {
        var next = now
        switch now.target {
        case .sexMix:
            // A one-sex disease (X-linked DMD: all boys) keeps its mix: the odds are infinite or zero,
            // and the clamp below would otherwise invent patients of the other sex.
            guard now.value > 0, now.value < 1 else { return now }
            let simulated = Double(registry.filter { $0.sex == .male }.count) / Double(registry.count)
            let odds = now.value / (1 - now.value) * oddsRatio(target.value, simulated)
            next.value = min(max(odds / (1 + odds), 0.01), 0.99)
        case .categoryMix(let id):
            guard let a = template.attributeIndex(id), let male = now.male, let female = now.female,
                  let targetMale = target.male, let targetFemale = target.female else { return now }
            let pooled = male == female
            func step(_ shares: [Double], _ goal: [Double], _ sex: Sex) -> [Double] {
                var counts = [Double](repeating: 0.5, count: shares.count)
                for s in registry where pooled || s.sex == sex { if let c = s.categories[a] { counts[c] += 1 } }
                let total = counts.reduce(0, +)
                let raw = shares.indices.map { shares[$0] * goal[$0] / (counts[$0] / total) }
                let sum = raw.reduce(0, +)
                return raw.map { $0 / sum }
            }
            next.male = step(male, targetMale, .male)
            next.female = pooled ? next.male : step(female, targetFemale, .female)
        case .attributeLevel(let id):
            guard let a = template.attributeIndex(id), let goal = target.evidence?.seedFigure else { return now }
            let values = registry.compactMap { $0.numbers[a] }
            guard !values.isEmpty else { return now }
            let simulated = values.reduce(0, +) / Double(values.count)
            // A mean of a few hundred values is precise: the records' mean is the goal.
            if simulated > 0 { next.value = min(max(now.value * goal / simulated, 0.2), 5) }
        default:
            break
        }
        return next
    }

    private func oddsRatio(_ target: Double, _ simulated: Double) -> Double {
        let t = min(max(target, 0.01), 0.99), s = min(max(simulated, 0.01), 0.99)
        return (t / (1 - t)) / (s / (1 - s))
    }

    /// A registry extract simulated from `template` with the protocol the seed records show:
    /// enrolment between their first and last entry dates, follow-up as long as theirs, and the
    /// extract on their last visit date.
    func simulatedRegistry(_ template: DiseaseTemplate, like seen: [PatientSequence], seed: UInt64)
        -> [PatientSequence] {
        let entries = seen.map { $0.birth.adding(years: $0.visits.first!.age) }
        let extract = seen.map { $0.birth.adding(years: $0.visits.last!.age) }.max()!
        let followUp = seen.map { $0.visits.last!.age - $0.visits.first!.age }.reduce(0, +) / Double(seen.count)
        var simulation = SimulationOptions(seed: seed &+ 0x5E1E, endDate: extract)
        simulation.registry = RegistryProtocol(opened: entries.min()!, meanFollowUpYears: max(followUp, 0.5) * 1.5,
                                               enrolmentClosesYearsBeforeExtract: entries.max()!.years(to: extract))
        let simulator = CohortSimulator(template: template, options: simulation)
        let count = max(2_000, 4 * seen.count)
        return simulator.patients(0..<count, threads: options.threads).map {
            PatientSequence(timeline: $0.timeline, template: template, concepts: simulator.concepts)
        }.filter { !$0.visits.isEmpty }
    }
}
