import DiseaseModeling
import Foundation
import Parallelism
import Randomness
import Simulation
import Timelines

/// How a template is learned from seed records.
package struct LearningOptions: Sendable {
    /// Rounds of simulate–compare–update; each compares the seed records with twins simulated
    /// from the template as learned so far.
    package var rounds = 8
    /// The share of each round's estimated correction that is applied.
    package var stepSize = 0.5
    /// The last rounds, which learn the slopes after events with everything else held.
    package var lateRounds = 3
    /// Simulated twins per seed patient and round.
    package var twinsPerPatient = 4
    /// Pseudo-counts of the template's mixes (sex, categorical attributes) in their Dirichlet prior.
    package var mixPriorCount = 10.0
    /// Where continuous attributes are cut into bins, by attribute id (nil: at the seed records'
    /// tertiles). Federated sites share one set, so that their numbers are of the same bins.
    package var attributeEdges: [String: [Double]]?
    package var seed: UInt64 = 1
    package var threads = defaultThreadCount

    package init() {}
}

/// What learning found: the adjustments, with how the twins compared at the end.
package struct LearningResult: Sendable {
    package var adjustments: [TemplateAdjustment]
    package var patients: Int
    package var rounds: Int
    package var seconds: Double
}

/// Learns a template from seed records: the template is the prior, the records the evidence.
///
/// Each figure a registry window shows (a slope by sex, an event by the exit, the age at onset) is
/// computed on the seed records and on registry twins simulated from the current template through
/// the same windows. Their log ratio, added to the multiplier already applied, estimates the
/// multiplier the records support; a ridge (Gaussian) posterior shrinks it to the template's value
/// by its standard error. Repeating with the updated template is a simulated method of moments:
/// at its fixed point the twins reproduce every figure the records inform, and a figure the
/// records say nothing of keeps the template's value.
package struct TemplateLearner: Sendable {
    package var template: DiseaseTemplate
    package var options: LearningOptions

    package init(template: DiseaseTemplate, options: LearningOptions = LearningOptions()) {
        self.template = template
        self.options = options
    }

    package func learn(from sequences: [PatientSequence], progress: (Int, Int) -> Void = { _, _ in })
        throws(AdjustmentError) -> LearningResult {
        let started = Date()
        let seen = sequences.filter { !$0.visits.isEmpty }
        let seed = seen.map { WindowSummary($0, template: template) }
        let windows = registryWindows(seen, graceYears: graceYears(seen))
        let specs = FigureSpecification.all(for: template, attributeFactors: attributeFactors(seed))
        var mixes = learnedMixes(seed)
        var coefficients = specs.map { _ in [Double]() }
        var estimates = specs.map { _ in [LevelEstimate]() }
        var templateFigures = specs.map { _ in [Double]() }
        let unidentified = try unidentifiedFigures(specs, seed: seed, windows: windows, mixes: mixes)
        for round in 0..<options.rounds {
            progress(round + 1, options.rounds)
            let current = try template.adjusted(by: mixes + adjustments(specs, estimates))
            let twins = simulateTwins(windows, template: current)
            // The last rounds learn the late figures, with the others held.
            let late = options.rounds > options.lateRounds && round >= options.rounds - options.lateRounds
            for (s, spec) in specs.enumerated() where !unidentified.contains(s) && spec.isLate == late {
                let observed = fitLevels(spec, seed: seed, twins: twins, current: coefficients[s], template: template)
                guard !observed.isEmpty else { continue }
                var levels = observed
                if round == 0 { templateFigures[s] = levels.map(\.twinFigure) }
                // Half steps: several numbers can answer one discrepancy (a slope in men and a slope
                // after LVH both steepen a man's eGFR), and full steps would overshoot together.
                if coefficients[s].count == levels.count {
                    for l in levels.indices {
                        levels[l].logMultiplier = coefficients[s][l] + options.stepSize
                            * (levels[l].logMultiplier - coefficients[s][l])
                    }
                }
                estimates[s] = levels
                coefficients[s] = levels.map(\.logMultiplier)
            }
        }
        for s in specs.indices where estimates[s].count == templateFigures[s].count {
            for l in estimates[s].indices { estimates[s][l].twinFigure = templateFigures[s][l] }
        }
        mixes = try selectionCorrected(mixes, others: adjustments(specs, estimates), seen: seen)
        mixes = mixes.filter { $0.value != $0.prior || $0.male != nil }
        return LearningResult(adjustments: mixes + adjustments(specs, estimates), patients: seed.count,
                              rounds: options.rounds, seconds: Date().timeIntervalSince(started))
    }

    /// A continuous attribute's level: the seed mean against the template's (by simulation), as a
    /// multiplier of its distribution's location with a normal prior on the log ratio. Twins take
    /// the seed records' own values, so this is the one place the records' mix of it is learned.
    func learnedLevel(_ a: Int, _ distribution: Distribution, _ seed: [WindowSummary]) -> TemplateAdjustment? {
        var values = Moments()
        for w in seed { if let x = w.numbers[a] { values.add(x) } }
        guard values.n >= 5 else { return nil }
        var rng = RandomStream(seed: options.seed, stream: 0xA77)
        var drawn = Moments()
        for i in 0..<4_000 {
            let sex: Sex = i % 2 == 0 ? .male : .female
            var context = PatientContext(sex: sex, categories: [Int](repeating: -1, count: template.attributes.count),
                                         numbers: [Double](repeating: .nan, count: template.attributes.count),
                                         randomEffects: template.randomEffects.map { _ in rng.nextNormal() },
                                         stateCount: template.stateNames.count)
            context.birthYear = 1980
            drawn.add(distribution.sample(in: context, using: &rng))
        }
        guard let (r, v) = logRatio(seed: values, twins: drawn, .ratioOfMeans) else { return nil }
        let prior = 1 / (FigureSpecification.effectPriorSD * FigureSpecification.effectPriorSD)
        let precision = prior + 1 / max(v, 1e-9)
        let estimate = (r / max(v, 1e-9)) / precision
        return TemplateAdjustment(
            target: .attributeLevel(attribute: template.attributes[a].id), value: exp(estimate),
            evidence: TemplateAdjustment.Evidence(patients: values.n, observations: values.n, seedFigure: values.mean,
                                                  templateFigure: drawn.mean, unshrunk: exp(r),
                                                  posteriorSD: (1 / precision).squareRoot()))
    }

    /// How long after its last visit a twin's record runs: half a typical visit gap, the expected
    /// time from a registry patient's last visit to the end of their follow-up (the next visit
    /// that did not happen, or the extract date), in which a death or event still reaches the record.
    func graceYears(_ sequences: [PatientSequence]) -> Double {
        let gaps = sequences.compactMap { s -> Double? in
            s.visits.count >= 2 ? (s.visits.last!.age - s.visits.first!.age) / Double(s.visits.count - 1) : nil
        }.sorted()
        return gaps.isEmpty ? 0.5 : 0.5 * gaps[gaps.count / 2]
    }

    func logScale(_ x: Double, _ comparison: Comparison) -> Double {
        switch comparison {
        case .ratioOfMeans: log(abs(x))
        case .proportion: log(max(x, 1e-6))
        case .logDifference: x
        case .rootRatio: 0.5 * log(max(x, 1e-12))
        }
    }

    /// The figures that barely respond to their own number: with every learnable number halved at
    /// once, a figure whose twins' value moves by less than 30 % of the halving (on its log scale)
    /// is not identified by these records (an eGFR slope after ESRD, held at the floor), and its
    /// number keeps the template's value rather than wandering with the noise. Halving, not
    /// doubling: a doubled probability near 1 saturates and would look unidentified.
    func unidentifiedFigures(_ specs: [FigureSpecification], seed: [WindowSummary], windows: [RegistryWindow],
                             mixes: [TemplateAdjustment]) throws(AdjustmentError) -> Set<Int> {
        let factor = 0.5
        var doubled: [TemplateAdjustment] = []
        var seenTargets = Set<String>()
        for spec in specs {
            let key = "\(spec.target)|\(spec.state ?? "")"
            guard seenTargets.insert(key).inserted else { continue }
            doubled.append(TemplateAdjustment(target: spec.target,
                                              condition: TemplateAdjustment.Condition(state: spec.state), value: factor))
        }
        let base = simulateTwins(windows, template: try template.adjusted(by: mixes))
        let moved = simulateTwins(windows, template: try template.adjusted(by: mixes + doubled))
        var result = Set<Int>()
        for (s, spec) in specs.enumerated() {
            let before = fitLevels(spec, seed: seed, twins: base, current: [], template: template)
            let after = fitLevels(spec, seed: seed, twins: moved, current: [], template: template)
            let changes = zip(before, after).compactMap { b, a -> Double? in
                let d = logScale(a.twinFigure, spec.comparison) - logScale(b.twinFigure, spec.comparison)
                return d.isFinite ? d / log(factor) : nil
            }
            let response = changes.isEmpty ? 0 : changes.reduce(0, +) / Double(changes.count)
            if response < 0.3 { result.insert(s) }
        }
        return result
    }

    /// Continuous attributes are cut at the seed records' tertiles; categorical ones by value.
    func attributeFactors(_ seed: [WindowSummary]) -> [Factor] {
        template.attributes.indices.compactMap { a in
            if template.attributes[a].isCategorical { return .category(a) }
            if let edges = options.attributeEdges?[template.attributes[a].id] {
                return edges.count == 2 && edges[0] < edges[1] ? .bins(a, edges: edges) : nil
            }
            let values = seed.compactMap { $0.numbers[a] }.sorted()
            guard values.count >= 30 else { return nil }
            let edges = [values[values.count / 3], values[2 * values.count / 3]]
            return edges[0] < edges[1] ? .bins(a, edges: edges) : nil
        }
    }

    func adjustments(_ specs: [FigureSpecification], _ estimates: [[LevelEstimate]]) -> [TemplateAdjustment] {
        var result: [TemplateAdjustment] = []
        for (spec, levels) in zip(specs, estimates) {
            for level in levels where level.logMultiplier != 0 {
                result.append(TemplateAdjustment(
                    target: spec.target, condition: level.condition, value: exp(level.logMultiplier),
                    evidence: TemplateAdjustment.Evidence(
                        patients: level.patients, observations: level.patients, seedFigure: level.seedFigure,
                        templateFigure: level.twinFigure, unshrunk: exp(level.unshrunk),
                        posteriorSD: level.posteriorSD)))
            }
        }
        return result
    }

    /// Each seed record's window. A patient who died would have been followed as the registry follows
    /// its patients: to the extract, unless lost to follow-up first, with the time to loss drawn from its
    /// reverse Kaplan–Meier estimate given that it outlasts the time to the death (`FollowUpDistribution`).
    /// Survivors' follow-ups would be the wrong sample: they are short when deaths are common, because the
    /// patients with long follow-ups are the ones who lived to die, and twins followed that briefly die
    /// too seldom. The registry's enrolment period runs from the first seed record's entry to the last's.
    func registryWindows(_ sequences: [PatientSequence], graceYears: Double) -> [RegistryWindow] {
        let extract = sequences.map { $0.birth.adding(years: $0.visits.last!.age) }.max()!
        let entries = sequences.map { $0.birth.adding(years: $0.visits.first!.age) }
        let opened = entries.min()!, closes = entries.max()!
        let followUp = FollowUpDistribution(sequences, extractAge: { $0.birth.years(to: extract) },
                                            followedToExtract: 3 * graceYears)
        func potentialExit(_ s: PatientSequence, _ i: Int) -> Double {
            let entry = s.visits.first!.age, toExtract = max(s.birth.years(to: extract), entry)
            let lived = (s.deathAge ?? entry) - entry
            // A fixed spread of quantiles over the patients (the same in every round and run).
            let u = (Double((i &* 40_503) % 10_007) + 0.5) / 10_007
            guard let years = followUp.quantile(u, given: lived) else { return toExtract }
            return min(entry + years, toExtract)
        }
        return sequences.enumerated().map { i, s in
            var categories: [Int: Int] = [:], numbers: [Int: Double] = [:]
            for (a, c) in s.categories.enumerated() { if let c { categories[a] = c } }
            for (a, x) in s.numbers.enumerated() { if let x { numbers[a] = x } }
            let entry = s.visits.first!.age
            let exit = s.deathAge != nil ? potentialExit(s, i) : s.visits.last!.age
            var window = RegistryWindow(sex: s.sex, birth: s.birth, categories: categories, numbers: numbers,
                                        entryAge: entry, exitAge: exit, graceYears: graceYears,
                                        yearsDiagnosedAtEntry: s.diagnosisAge.map { max(0, entry - $0) },
                                        enrolment: s.birth.years(to: opened)...max(s.birth.years(to: closes), entry))
            window.extractAge = s.birth.years(to: extract)
            return window
        }
    }

    /// Twins of every seed window under `template`, the same streams in every round (common
    /// random numbers keep the rounds' differences to what the template changed).
    func simulateTwins(_ windows: [RegistryWindow], template: DiseaseTemplate) -> [[WindowSummary]] {
        var simulationOptions = SimulationOptions(seed: options.seed &+ 0x7A1E, endDate: nil)
        simulationOptions.requireDiagnosis = false
        let simulator = CohortSimulator(template: template, options: simulationOptions)
        let k = options.twinsPerPatient
        return parallelMap(count: windows.count, threads: options.threads) { i in
            (0..<k).compactMap { j in
                simulator.twin(i * k + j, of: windows[i]).map {
                    WindowSummary(PatientSequence(timeline: $0.timeline, template: template,
                                                  concepts: simulator.concepts), template: template)
                }
            }
        }
    }

    /// Sex and categorical mixes: Dirichlet posteriors around the template's.
    func learnedMixes(_ seed: [WindowSummary]) -> [TemplateAdjustment] {
        let k0 = options.mixPriorCount
        let males = Double(seed.filter { $0.sex == .male }.count)
        let n = Double(seed.count)
        let prior = template.population.maleProbability
        var result = [TemplateAdjustment(
            target: .sexMix, value: (k0 * prior + males) / (k0 + n), prior: prior,
            evidence: TemplateAdjustment.Evidence(patients: seed.count, observations: Int(males),
                                                  seedFigure: n > 0 ? males / n : .nan, templateFigure: prior,
                                                  unshrunk: n > 0 ? males / n : .nan,
                                                  posteriorSD: 0))]
        for (a, attribute) in template.attributes.enumerated() {
            if case .continuous(let distribution) = attribute.kind {
                if let level = learnedLevel(a, distribution, seed) { result.append(level) }
                continue
            }
            guard case .categorical(let values, let male, let female) = attribute.kind else { continue }
            // A template with one mix for both sexes keeps one: the counts are pooled.
            let pooled = male == female
            func posterior(_ sex: Sex, _ prior: [Double]) -> [Double] {
                var counts = [Double](repeating: 0, count: values.count)
                for w in seed where pooled || w.sex == sex { if let c = w.categories[a] { counts[c] += 1 } }
                let total = counts.reduce(0, +)
                return zip(prior, counts).map { (k0 * $0 + $1) / (k0 + total) }
            }
            result.append(TemplateAdjustment(target: .categoryMix(attribute: attribute.id), value: 1,
                                             male: posterior(.male, male), female: posterior(.female, female)))
        }
        return result
    }
}
