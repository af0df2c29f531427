import Foundation
import Simulation
import Statistics

/// Moves natural-history event times so that the treated arm's survival is `S₀(t)^h`: a marginal
/// hazard ratio of `h` from the index date, where `S₀` is the pool's Kaplan–Meier curve of time to
/// the event (death censoring), or to the event or death when the estimand makes death part of the
/// endpoint (composite). Each patient keeps their rank: `t' = S₀⁻¹(S₀(t)^(1/h))`.
struct EventTimeTransform: Sendable {
    let times: [Double]
    let survival: [Double]

    init(pool: [PoolPatient], deathIsEvent: Bool = false) throws(TrialDesignError) {
        let t = pool.map { min($0.followUp.eventTime, $0.followUp.deathTime) }
        let e = pool.map { deathIsEvent || $0.followUp.eventTime <= $0.followUp.deathTime }
        guard e.contains(true) else {
            throw TrialDesignError("no endpoint events in the natural-history pool: a hazard ratio cannot be imposed")
        }
        do {
            let km = try KaplanMeier.estimate(times: t.map { min($0, 200) }, events: e)
            times = km.times
            survival = km.survival
        } catch {
            throw TrialDesignError("the pool's event-time curve could not be estimated: \(error)")
        }
    }

    private func survivalBefore(_ i: Int) -> Double { i == 0 ? 1 : survival[i - 1] }

    /// The treated event time for natural-history event time `t` under hazard ratio `h`.
    func apply(_ t: Double, hazardRatio h: Double) -> Double {
        guard t.isFinite, h != 1 else { return t }
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        guard lo < times.count else { return t }
        // The middle of the patient's own drop, so that u is uniform over the pool.
        let u = 0.5 * (survivalBefore(lo) + survival[lo])
        let target = Foundation.pow(u, 1 / h)
        guard let j = survival.firstIndex(where: { $0 <= target }) else { return .infinity }
        return times[j]
    }
}

/// Imposes a treatment effect on simulated patients, in their records or in their endpoint data.
struct EffectImposer: Sendable {
    var effect: TreatmentEffect
    var transform: EventTimeTransform?
    /// Whether death is part of the endpoint (a composite strategy for it): the hazard ratio then acts on
    /// the time to the event or death, as the control arm's composite endpoint counts it. Imposed on the
    /// event alone, with a treated patient's death only censoring, the treated arm would be spared the
    /// deaths the controls are charged with, and every design would overstate the effect.
    var deathIsEvent = false

    init(effect: TreatmentEffect, pool: [PoolPatient], plan: TrialPlan) throws(TrialDesignError) {
        self.effect = effect
        deathIsEvent = plan.specification.intercurrentEvents.contains { $0.event == "death" && $0.strategy == .composite }
        if case .hazardRatio = effect {
            guard plan.specification.endpoint.isTimeToEvent else {
                throw TrialDesignError("a hazard ratio needs a time-to-event endpoint; this trial's "
                    + "endpoint is a \(plan.specification.endpoint.summary)")
            }
            transform = try EventTimeTransform(pool: pool, deathIsEvent: deathIsEvent)
        } else if plan.specification.endpoint.isTimeToEvent {
            throw TrialDesignError("a time-to-event endpoint needs the effect as a hazard ratio, not \(effect.summary)")
        }
    }

    /// The effect for one simulated patient with index age `t0`.
    func imposed(for patient: SimulatedPatient, indexAge t0: Double, builder: TrialRecordBuilder) -> ImposedEffect {
        switch effect {
        case .difference(let d): return .difference(d)
        case .progressionMultiplier(let m): return .progressionMultiplier(m)
        case .hazardRatio(let h):
            let t = builder.naturalEventTime(patient.course, indexAge: t0)
            return .eventTime(transform?.apply(t, hazardRatio: h) ?? t)
        }
    }

    /// A pool patient's endpoint data had they been treated, and the patient's true effect on
    /// the endpoint (noise-free; NaN when the endpoint is missing or for time-to-event).
    func treated(_ p: PoolPatient, plan: TrialPlan, builder: TrialRecordBuilder)
        -> (subject: TrialSubject, effect: Double) {
        var s = p.subject
        if effect.isNull { return (s, 0) }
        switch effect {
        case .hazardRatio(let h):
            let natural = deathIsEvent ? min(p.followUp.eventTime, p.followUp.deathTime) : p.followUp.eventTime
            let t = transform?.apply(natural, hazardRatio: h) ?? natural
            let censor = min(p.followUp.deathTime, plan.horizonYears)
            if plan.endpointIsDeath || deathIsEvent {
                s.event = t <= plan.horizonYears
                s.time = min(t, plan.horizonYears)
            } else {
                s.event = t <= censor
                s.time = s.event ? t : censor
            }
            return (s, .nan)
        case .difference, .progressionMultiplier:
            guard let m = plan.endpointMeasure else { return (s, .nan) }
            let model = builder.models[m]
            let imposed: ImposedEffect = if case .difference(let d) = effect {
                .difference(d)
            } else if case .progressionMultiplier(let x) = effect { .progressionMultiplier(x) } else { .none }
            let truth = p.followUp.truth
            let reference = truth[0]
            var shifted = truth
            for k in 1..<truth.count where truth[k].isFinite && s.values[k].isFinite {
                shifted[k] = builder.effectTruth(truth[k], reference: reference, yearsSinceIndex: plan.visitYears[k],
                                                 effect: imposed)
                s.values[k] = model.observe(shifted[k], p.followUp.noise[k])
            }
            let clamped = shifted.map { $0.isFinite ? model.clamp($0) : $0 }
            let mask = s.values.map(\.isFinite)
            let base = zip(truth, mask).map { $1 ? $0 : .nan }
            let with = zip(clamped, mask).map { $1 ? $0 : .nan }
            return (s, TrialSubject.outcome(with, plan: plan) - TrialSubject.outcome(base, plan: plan))
        }
    }
}
