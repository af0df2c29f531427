import DiseaseModeling
import Foundation
import Parallelism
import Randomness
import Serialization
import Simulation
import Timelines

/// One eligible simulated patient: the trial record, what the analysis reads from it, and the
/// generator's truth behind the follow-up.
package struct PoolPatient: Sendable {
    /// The candidate number (patient index of the simulation).
    package var candidate: Int
    /// The trial record (history to the index date, then trial visits), when kept.
    package var record: PatientTimeline?
    package var subject: TrialSubject
    package var indexAge: Double
    var followUp: LatentFollowUp
}

/// Eligible natural-history patients drawn by conditioned sampling.
package struct NaturalHistoryPool: Sendable {
    package var patients: [PoolPatient]
    /// Lives simulated to find them.
    package var simulated: Int
    /// Lives found eligible (some may then be dropped for a missing covariate).
    package var eligible: Int
    /// Eligible patients dropped because their record lacks a covariate.
    package var droppedForMissingCovariates: Int
    /// The prior probability of the forced sex and category strata (1 when nothing is forced).
    package var forcedProbability: Double
    /// The birth window simulated (narrowed from the template's by the age and calendar criteria).
    package var birthFrom: CalendarDay
    package var birthTo: CalendarDay

    /// Eligible lives per simulated life.
    package var efficiency: Double { simulated > 0 ? Double(eligible) / Double(simulated) : 0 }

    /// The sampling as `results.json` reports it.
    package var json: ReportJSON {
        .object([("source", .string("simulated natural history")), ("patients", .integer(patients.count)),
                 ("simulatedLives", .integer(simulated)), ("eligible", .integer(eligible)),
                 ("efficiency", .finite(efficiency)), ("forcedStrataProbability", .finite(forcedProbability)),
                 ("birthWindow", .array([.string(birthFrom.iso), .string(birthTo.iso)])),
                 ("droppedForMissingCovariates", .integer(droppedForMissingCovariates))])
    }

    /// A one-line account of the sampling, for logs and results.
    package var summary: String {
        let pct = { (x: Double) in String(format: "%.1f %%", 100 * x) }
        var text = "\(patients.count) eligible natural-history patients from \(simulated) simulated lives "
            + "(\(pct(efficiency)) accepted; births \(birthFrom.iso)…\(birthTo.iso)"
        if forcedProbability < 1 { text += "; sex/categories forced, prior probability \(pct(forcedProbability))" }
        if droppedForMissingCovariates > 0 {
            text += "; \(droppedForMissingCovariates) dropped for a missing covariate"
        }
        return text + ")"
    }
}

/// Draws eligible natural-history patients efficiently: the birth window is narrowed to births
/// that can meet the age and calendar criteria, sex and categorical attributes are forced (in
/// proportion to their prior probabilities) through the simulation options, and the index date
/// is found on each simulated course instead of rejecting whole lives for one bad date.
package struct PoolSampler: Sendable {
    /// The trial whose eligible patients are drawn.
    package let plan: TrialPlan
    package var seed: UInt64
    package var threads: Int
    /// Keep each patient's trial record (for FHIR output); off for operating characteristics.
    package var keepRecords: Bool
    /// Mark records as treated (intervention at the index date) and impose this effect.
    var effect: EffectImposer?

    /// Simulated lives examined before concluding that nobody is eligible.
    package static let probeCandidates = 2_048
    static let batch = 512

    /// A sampler for `plan`'s natural history; patient `i` depends only on `seed` and `i`.
    package init(plan: TrialPlan, seed: UInt64, threads: Int = defaultThreadCount, keepRecords: Bool = true) {
        self.plan = plan
        self.seed = seed
        self.threads = threads
        self.keepRecords = keepRecords
    }

    /// The simulated birth window: the template's, narrowed by the age range and calendar window.
    func birthWindow() throws(TrialDesignError) -> (CalendarDay, CalendarDay) {
        let c = plan.criteria
        var from = plan.template.population.birthFrom
        var to = plan.template.population.birthTo
        if let cal = c.calendarFrom {
            from = max(from, cal.adding(years: -(c.age?.maximum ?? EligibilityScan.maximumAge) - 1))
        }
        if let cal = c.calendarTo { to = min(to, cal.adding(years: -(c.age?.minimum ?? 0))) }
        guard from <= to else {
            throw TrialDesignError("nobody born in \(plan.template.id)'s birth window "
                + "(\(plan.template.population.birthFrom.iso)…\(plan.template.population.birthTo.iso)) can be aged "
                + "\(c.age?.description ?? "any") between \(c.calendarFrom?.iso ?? "any time") and "
                + "\(c.calendarTo?.iso ?? "any time"): check eligibility.age and eligibility.calendar")
        }
        return (from, to)
    }

    /// Simulates until `count` eligible patients are found (the first `count` by candidate number,
    /// so the result is the same whatever the thread count).
    package func generate(count: Int, maximumCandidates: Int? = nil,
                         progress: (@Sendable (String) -> Void)? = nil) throws(TrialDesignError) -> NaturalHistoryPool {
        let (from, to) = try birthWindow()
        let strata = plan.criteria.strata(plan.template)
        guard !strata.isEmpty else {
            throw TrialDesignError("no patient can have the allowed sex and attribute values together (their prior "
                + "probability in \(plan.template.id) is 0)")
        }
        let forced = strata.reduce(0) { $0 + $1.probability }
        let keep = keepRecords, effect = self.effect, seed = self.seed
        let simulators = strata.map { s -> CohortSimulator in
            var o = SimulationOptions(seed: seed, endDate: nil, treatmentsEnabled: false, requireDiagnosis: false,
                                      birthFrom: from, birthTo: to, forcedSex: s.sex)
            o.forcedCategories = s.forcedCategories
            return CohortSimulator(template: plan.template, options: o)
        }
        let weights = strata.map(\.probability)
        let scan = EligibilityScan(criteria: plan.criteria, template: plan.template,
                                   step: plan.specification.index.resolutionDays / CalendarDay.daysPerYear)
        let builder = TrialRecordBuilder(plan: plan)
        let extractor = SubjectExtractor(plan: plan)
        let limit = maximumCandidates ?? max(200 * count, 100_000)
        var accepted: [PoolPatient] = []
        var rejected: [LatentCourse] = []
        var simulated = 0, eligible = 0, dropped = 0
        var missingNames: [String] = []
        let rule = plan.specification.index.choice
        while accepted.count < count {
            // Projected from the acceptance so far, so a hopeless search stops early instead of
            // running to the limit in silence.
            let projected = accepted.isEmpty ? Int.max : Int(Double(count) * Double(simulated) / Double(accepted.count))
            if simulated >= limit || (simulated >= 4 * Self.probeCandidates && projected > limit) {
                var reason = "the eligibility criteria are too narrow: \(eligible) of \(simulated) simulated "
                    + "natural-history lives were eligible ("
                    + String(format: "%.3f %%", 100 * Double(eligible) / Double(max(simulated, 1)))
                    + "), so \(count) eligible patients would take about "
                    + (projected == Int.max ? "more" : "\(projected)") + " lives, past the limit of \(limit)"
                if let shares = scan.criterionShares(rejected) {
                    reason += "; each criterion alone is met by (of the lives not eligible): \(shares)"
                }
                throw TrialDesignError(reason + ". Widen the trial's eligibility, or ask for fewer patients")
            }
            if let progress, simulated > 0, simulated % (16 * Self.batch) == 0 {
                progress("\(simulated) lives simulated, \(accepted.count) of \(count) eligible patients found")
            }
            let start = simulated
            let results: [CandidateResult] = parallelMap(count: Self.batch, threads: threads) { j in
                let i = start + j
                var rng = RandomStream(seed: seed ^ 0x7472_6961_6C5F_7A62, stream: UInt64(i))
                var choose = rng.substream(1), noise = rng.substream(2)
                let patient = simulators[rng.nextIndex(weights: weights)].patient(i)
                guard let t0 = scan.indexAge(patient.course, rule: rule, rng: &choose) else {
                    return .rejected(start < Self.probeCandidates ? patient.course : nil)
                }
                let imposed = effect?.imposed(for: patient, indexAge: t0, builder: builder) ?? .none
                let (record, followUp) = builder.build(patient, indexAge: t0, noise: &noise, effect: imposed,
                                                       treated: effect != nil)
                // The index date was found on the template's trajectory; with a model, the
                // patient's own baseline must meet the measure criteria too.
                if builder.generator != nil && !scan.baselineHolds(followUp.baseline) { return .rejected(nil) }
                let subject = extractor.subject(record, indexDay: record.birth.adding(years: t0))
                let missing = extractor.missingCovariates(subject)
                if !missing.isEmpty { return .missingCovariate(missing) }
                return .accepted(PoolPatient(candidate: i, record: keep ? record : nil, subject: subject, indexAge: t0,
                                             followUp: followUp))
            }
            for r in results {
                simulated += 1
                switch r {
                case .rejected(let course?): if rejected.count < 2_000 { rejected.append(course) }
                case .rejected(nil): break
                case .missingCovariate(let names):
                    eligible += 1; dropped += 1
                    for n in names where !missingNames.contains(n) { missingNames.append(n) }
                case .accepted(let p):
                    eligible += 1
                    if accepted.count < count { accepted.append(p) }
                }
                if accepted.count == count { break }
            }
            if eligible == 0 && simulated >= Self.probeCandidates {
                throw TrialDesignError("eligibility cannot be met: " + scan.diagnose(rejected))
            }
            if accepted.isEmpty && dropped > 0 && simulated >= Self.probeCandidates {
                throw TrialDesignError("every eligible natural-history record lacks covariate(s) "
                    + "\(missingNames.map { "\"\($0)\"" }.joined(separator: ", ")) at the index date (a measure not "
                    + "recorded then, e.g. after an event that stops it being measured); leave it out of the trial's "
                    + "\"covariates\"")
            }
        }
        return NaturalHistoryPool(patients: accepted, simulated: simulated, eligible: eligible,
                                  droppedForMissingCovariates: dropped, forcedProbability: forced,
                                  birthFrom: from, birthTo: to)
    }

    private enum CandidateResult: Sendable {
        case rejected(LatentCourse?)
        case missingCovariate([String])
        case accepted(PoolPatient)
    }
}

extension PoolSampler {
    /// Simulated treated patients: eligible patients from the same natural history (a separate
    /// seed), with `effect` imposed on their follow-up and the intervention recorded at the index
    /// date. Also returns the true average effect on the treated (NaN for time to event: there
    /// the truth is log h).
    package func simulateTreated(count: Int, effect: TreatmentEffect,
                                controls: NaturalHistoryPool) throws(TrialDesignError) -> (arm: NaturalHistoryPool,
                                trueEffect: Double) {
        var sampler = self
        sampler.seed = seed ^ 0x5452_4541_5445_4400
        sampler.effect = try EffectImposer(effect: effect, pool: controls.patients, plan: plan)
        let arm = try sampler.generate(count: count)
        if case .hazardRatio(let h) = effect { return (arm, log(h)) }
        let builder = TrialRecordBuilder(plan: plan)
        let truths = arm.patients.map {
            sampler.effect!.treated($0, plan: plan, builder: builder).effect
        }.filter(\.isFinite)
        return (arm, truths.isEmpty ? .nan : truths.reduce(0, +) / Double(truths.count))
    }
}
