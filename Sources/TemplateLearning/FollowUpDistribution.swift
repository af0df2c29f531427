import Simulation
import Statistics

/// How long a registry keeps its patients before losing them to follow-up, estimated from the seed
/// records by reverse Kaplan–Meier (Schemper MD, Smith TL. A note on quantifying follow-up in studies of
/// failure time. Control Clin Trials 1996;17(4):343-346): a living patient whose last visit is well
/// before the extract was lost then (the event); a death, or a patient seen near the extract, censors.
/// The extract itself ends every follow-up at a date known for each patient, so it is not estimated.
struct FollowUpDistribution {
    /// Jump times of the time to loss and the probability mass at each.
    private var times: [Double] = []
    private var masses: [Double] = []

    /// `followedToExtract`: years before the extract within which a last visit counts as followed to it.
    init(_ sequences: [PatientSequence], extractAge: (PatientSequence) -> Double, followedToExtract: Double) {
        let durations = sequences.map { s in
            max(0, (s.deathAge ?? s.visits.last!.age) - s.visits.first!.age)
        }
        let lost = sequences.map { s in
            s.deathAge == nil && extractAge(s) - s.visits.last!.age > followedToExtract
        }
        guard lost.contains(true),
              let curve = try? KaplanMeier.estimate(times: durations, events: lost) else { return }
        var previous = 1.0
        for (t, s) in zip(curve.times, curve.survival) where s < previous {
            times.append(t)
            masses.append(previous - s)
            previous = s
        }
    }

    /// The `u`-quantile of the time to loss given that it is at least `lived` years; nil when the
    /// patient would not have been lost (follow-up then runs to the extract).
    func quantile(_ u: Double, given lived: Double) -> Double? {
        guard let first = times.firstIndex(where: { $0 >= lived }) else { return nil }
        let total = masses[first...].reduce(0, +)
        // The mass never lost (beyond the last loss) follows the patient to the extract.
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
