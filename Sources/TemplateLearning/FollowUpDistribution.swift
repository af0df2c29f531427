import Simulation
import Statistics

/// How long a registry follows its patients, from first visit to the end of follow-up, estimated from
/// the seed records by reverse Kaplan–Meier: the end of a living patient's follow-up is the event, a
/// death censors it (Schemper MD, Smith TL. A note on quantifying follow-up in studies of failure
/// time. Control Clin Trials 1996;17(4):343-346).
struct FollowUpDistribution {
    /// Jump times of the follow-up distribution and the probability mass at each.
    private var times: [Double] = []
    private var masses: [Double] = []

    init(_ sequences: [PatientSequence]) {
        let durations = sequences.map { s in
            max(0, (s.deathAge ?? s.visits.last!.age) - s.visits.first!.age)
        }
        let ended = sequences.map { $0.deathAge == nil }
        guard ended.contains(true),
              let curve = try? KaplanMeier.estimate(times: durations, events: ended) else { return }
        var previous = 1.0
        for (t, s) in zip(curve.times, curve.survival) where s < previous {
            times.append(t)
            masses.append(previous - s)
            previous = s
        }
    }

    /// The `u`-quantile of follow-up given that it lasts at least `lived` years; nil when the
    /// estimate has no mass that long (follow-up then runs to the extract).
    func quantile(_ u: Double, given lived: Double) -> Double? {
        guard let first = times.firstIndex(where: { $0 >= lived }) else { return nil }
        let total = masses[first...].reduce(0, +)
        // The mass beyond the last observed end of follow-up (when the longest record ends in a death)
        // belongs to follow-up to the extract.
        let beyond = max(0, 1 - masses.reduce(0, +))
        guard total > 0 else { return nil }
        let target = u * (total + beyond)
        var sum = 0.0
        for k in first..<times.count {
            sum += masses[k]
            if sum >= target { return times[k] }
        }
        return nil
    }
}
