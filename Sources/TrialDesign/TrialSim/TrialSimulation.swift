import Foundation
import Parallelism
import Randomness
import Simulation

/// Operating characteristics by simulation (ADEMP): many trials drawn from natural history with a
/// known effect imposed on the treated, each analysed under every design.
///
/// One pool of eligible natural-history patients is simulated per run and resampled per
/// replicate (treated and concurrent controls drawn with the selection model, external controls
/// from the rest), so that 1,000 replicates cost one pool. Each replicate draws from its own
/// random stream, so results do not depend on the thread count.
package struct TrialSimulation: Sendable {
    /// The trial simulated.
    package let plan: TrialPlan
    package var settings: SimulationSettings
    package var effect: TreatmentEffect
    package var replicates: Int
    package var seed: UInt64
    package var threads: Int
    package var designs: [TrialDesignKind]
    /// Eligible patients simulated for the pool (nil: enough for every replicate to draw from
    /// without reusing more than a fifth of it).
    package var poolSize: Int?
    /// Natural-history patients set aside to fit the prognostic model (nil: half the pool, at
    /// least 200 and at most 1,000).
    package var trainingSize: Int?
    /// Independent pools the replicates are spread over (an outer loop): with more than one, the
    /// Monte Carlo SEs include the variation between pools, not only between draws from one.
    package var pools = 1

    /// A simulation of `replicates` trials with `effect`, sizes from the trial's simulation section.
    package init(plan: TrialPlan, effect: TreatmentEffect, replicates: Int, seed: UInt64,
                threads: Int = defaultThreadCount, designs: [TrialDesignKind] = TrialDesignKind.allCases) {
        self.plan = plan
        settings = plan.specification.simulation
        self.effect = effect
        self.replicates = replicates
        self.seed = seed
        self.threads = threads
        self.designs = designs
    }

    /// Patients one replicate draws.
    var perReplicate: Int {
        settings.treated + max(settings.concurrentControls, settings.hybridConcurrentControls)
            + settings.externalControls
    }

    /// Simulates the pools, then every replicate under every design; `progress` hears about the pools.
    package func run(progress: @escaping @Sendable (String) -> Void = { _ in }) throws(TrialDesignError)
        -> OperatingCharacteristics {
        try TrialSimPart.operatingCharacteristics([runPart(0..<replicates, progress: progress)])
    }

    /// What every part of this run shares.
    package var context: TrialSimContext {
        let poolCount = poolSize ?? max(5 * perReplicate, 2_000)
        let training = designs.contains(.procova) ? (trainingSize ?? max(200, min(1_000, poolCount / 2))) : 0
        let s = settings
        return TrialSimContext(
            trial: plan.specification.id, title: plan.specification.title,
            endpoint: plan.specification.endpoint.summary, effect: effect, replicates: replicates, seed: seed,
            designs: designs,
            sizes: [s.treated, s.concurrentControls, s.hybridConcurrentControls, s.externalControls, s.matchingRatio],
            poolSize: poolCount, trainingSize: training, selectionNote: SelectionModel.note(s.treatedSelection),
            generator: plan.generatorDescription, pools: max(1, min(pools, replicates)))
    }

    /// The replicates `range` only (a shard of the run): each pool whose block of replicates meets
    /// the range is simulated, and only the replicates in the range are drawn from it.
    package func runPart(_ range: Range<Int>, progress: @escaping @Sendable (String) -> Void = { _ in })
        throws(TrialDesignError) -> TrialSimPart {
        let context = self.context
        precondition(range.lowerBound >= 0 && range.upperBound <= replicates, "replicates outside the run")
        var part = TrialSimPart(context: context, range: range, poolSummaries: [], results: [])
        for k in 0..<context.pools {
            // Pool k's replicates are a contiguous block; each keeps the random stream of its global index.
            let block = context.block(ofPool: k).clamped(to: range)
            guard !block.isEmpty else { continue }
            // Pool 0 uses the run's seed, so a single pool gives the same pool as before.
            var seeds = RandomStream(seed: seed ^ 0x706F_6F6C_5F6B_0000, stream: UInt64(k))
            let poolSeed = k == 0 ? seed : seeds.next()
            let sampler = PoolSampler(plan: plan, seed: poolSeed, threads: threads, keepRecords: false)
            let pool = try sampler.generate(count: context.poolSize + context.trainingSize, progress: progress)
            progress((context.pools > 1 ? "pool \(k + 1) of \(context.pools): " : "") + pool.summary)
            part.poolSummaries.append((k, pool.summary))
            part.results += try runReplicates(block, pool: pool, training: context.trainingSize, poolIndex: k)
        }
        return part
    }

    /// The replicates `range` drawn from one pool, each analysed under every design.
    private func runReplicates(_ range: Range<Int>, pool: NaturalHistoryPool, training: Int, poolIndex: Int)
        throws(TrialDesignError) -> [ReplicateResult] {
        let patients = Array(pool.patients[training...])
        let prognostic = designs.contains(.procova)
            ? try PrognosticModel(training: pool.patients[0..<training].map(\.subject), plan: plan) : nil
        let selection = try SelectionModel(plan: plan, settings: settings, pool: patients)
        let imposer = try EffectImposer(effect: effect, pool: patients, plan: plan)
        let nullImposer = try EffectImposer(effect: effect.null, pool: patients, plan: plan)
        let analyses = DesignAnalyses(plan: plan, settings: settings, prognostic: prognostic)
        let builder = TrialRecordBuilder(plan: plan)
        let designs = self.designs, seed = self.seed, plan = self.plan
        let withNull = !effect.isNull
        let results: [ReplicateResult] = parallelMap(count: range.count, threads: threads) { j in
            let r = range.lowerBound + j
            var rng = RandomStream(seed: seed ^ 0x7369_6D5F_7265_706C, stream: UInt64(r))
            let (trial, external) = selection.draw(&rng)
            func analyse(_ imposer: EffectImposer) -> (estimates: [EffectEstimate?], satt: Double) {
                let treatedCount = selection.treatedCount
                var treated: [TrialSubject] = [], effects: [Double] = []
                for i in trial[0..<treatedCount] {
                    let (s, e) = imposer.treated(patients[i], plan: plan, builder: builder)
                    treated.append(s); effects.append(e)
                }
                let draw = ReplicateDraw(treated: treated, effects: effects,
                                         concurrent: trial[treatedCount...].map { patients[$0].subject },
                                         external: external.map { patients[$0].subject })
                let finite = effects.filter(\.isFinite)
                let satt = finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
                return (designs.map { try? analyses.run($0, draw) }, satt)
            }
            let main = analyse(imposer)
            let null = withNull ? analyse(nullImposer).estimates : main.estimates
            return ReplicateResult(estimates: main.estimates, nullEstimates: null, satt: main.satt, pool: poolIndex)
        }
        return results
    }

    /// The estimand: δ for a difference, the mean over replicates of the treated patients'
    /// average true effect for a progression multiplier, log h for a hazard ratio.
    static func truth(_ effect: TreatmentEffect, _ results: [ReplicateResult]) -> Double {
        switch effect {
        case .difference(let d): return d
        case .hazardRatio(let h): return Foundation.log(h)
        case .progressionMultiplier:
            let s = results.map(\.satt).filter(\.isFinite)
            return s.isEmpty ? .nan : s.reduce(0, +) / Double(s.count)
        }
    }
}

/// One replicate's estimates per design (nil where the analysis failed), under the effect and
/// under no effect.
struct ReplicateResult: Sendable {
    var estimates: [EffectEstimate?]
    var nullEstimates: [EffectEstimate?]
    var satt: Double
    /// The pool the replicate was drawn from.
    var pool: Int = 0
}

/// Which pool patients become trial patients: optional covariate ranges and a logistic tilt
/// (confounding), drawn without replacement by Efraimidis–Spirakis keys.
struct SelectionModel: Sendable {
    let treatedCount: Int
    let concurrentCount: Int
    let externalCount: Int
    /// Selection weight of each pool patient (0: outside the ranges).
    let weights: [Double]

    init(plan: TrialPlan, settings: SimulationSettings, pool: [PoolPatient]) throws(TrialDesignError) {
        treatedCount = settings.treated
        concurrentCount = max(settings.concurrentControls, settings.hybridConcurrentControls)
        externalCount = settings.externalControls
        let sel = settings.treatedSelection
        let column = { (name: String) in plan.covariates.firstIndex { $0.name == name }! }
        var logits = [Double](repeating: 0, count: pool.count)
        var inRange = [Bool](repeating: true, count: pool.count)
        for (i, p) in pool.enumerated() {
            for r in sel.ranges where !r.range.contains(p.subject.covariates[column(r.id)]) { inRange[i] = false }
            for (name, b) in sel.logOdds { logits[i] += b * p.subject.covariates[column(name)] }
        }
        let top = logits.max() ?? 0
        weights = pool.indices.map { inRange[$0] ? Foundation.exp(logits[$0] - top) : 0 }
        let trialSize = treatedCount + concurrentCount
        let eligible = weights.filter { $0 > 0 }.count
        guard eligible >= trialSize else {
            throw TrialDesignError("only \(eligible) pool patients meet "
                + "simulation.treatedSelection; each trial needs \(trialSize)")
        }
        guard pool.count >= trialSize + externalCount else {
            throw TrialDesignError("the pool (\(pool.count)) is smaller than one "
                + "trial's draw (\(trialSize + externalCount))")
        }
    }

    /// How trial patients are chosen from the pool, in words.
    static func note(_ sel: TreatedSelection) -> String {
        let selection = sel.ranges.map { "\($0.id) \($0.range)" }
            + sel.logOdds.map { "\($0.covariate): log-odds \($0.perUnit) per unit" }
        return sel.isEmpty ? "trial patients drawn at random from the pool"
            : "trial patients drawn from the pool with selection \(selection)"
    }

    /// Pool indices of the trial patients (treated first, in random order) and of the external controls.
    func draw(_ rng: inout RandomStream) -> (trial: [Int], external: [Int]) {
        let n = weights.count
        var keys = [(Double, Int)]()
        keys.reserveCapacity(n)
        for i in 0..<n {
            let u = rng.nextOpenUnit()
            keys.append((weights[i] > 0 ? Foundation.log(u) / weights[i] : -.infinity, i))
        }
        let trialSize = treatedCount + concurrentCount
        keys.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        let chosen = keys[0..<trialSize].map(\.1)
        let order = rng.shuffledIndices(trialSize)
        let trial = order.map { chosen[$0] }
        var rest = keys[trialSize...].map(\.1).sorted()
        var external: [Int] = []
        external.reserveCapacity(externalCount)
        for _ in 0..<externalCount {
            let j = rng.nextInt(below: rest.count)
            external.append(rest[j])
            rest.swapAt(j, rest.count - 1)
            rest.removeLast()
        }
        return (trial, external)
    }
}
