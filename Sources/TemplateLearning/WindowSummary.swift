import DiseaseModeling
import Simulation
import Timelines

/// A least-squares line through one patient's recorded values of a measure.
struct SlopeFit: Sendable {
    var slope: Double
    /// Mean squared residual around the line (n − 2 degrees of freedom).
    var residualVariance: Double
    var count: Int

    /// Needs 3 values spanning at least a year: fewer say more about noise than about change.
    static func fit(_ points: [(age: Double, value: Double)]) -> SlopeFit? {
        guard points.count >= 3, let first = points.first, let last = points.last, last.age - first.age >= 1
        else { return nil }
        let n = Double(points.count)
        let meanAge = points.reduce(0) { $0 + $1.age } / n
        let meanValue = points.reduce(0) { $0 + $1.value } / n
        var sxx = 0.0, sxy = 0.0
        for p in points {
            sxx += (p.age - meanAge) * (p.age - meanAge)
            sxy += (p.age - meanAge) * (p.value - meanValue)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        var rss = 0.0
        for p in points {
            let r = p.value - meanValue - slope * (p.age - meanAge)
            rss += r * r
        }
        return SlopeFit(slope: slope, residualVariance: rss / (n - 2), count: points.count)
    }
}

/// What one registry window shows, computed the same way for a seed record and for its
/// simulated twins: the figures the learner compares.
struct WindowSummary: Sendable {
    var sex: Sex
    var categories: [Int?]
    var numbers: [Double?]
    var entry: Double
    var exit: Double
    var onsetAge: Double?
    var diagnosisAge: Double?
    /// Per measure: the line through values recorded off every treatment and before any event that
    /// changes the measure's slope.
    var untreated: [SlopeFit?]
    /// Per treatment, per measure: the line through values recorded on it.
    var treated: [[SlopeFit?]]
    /// Per treatment, per measure: the mean of the values recorded on it.
    var treatedLevel: [[Double?]]
    /// Per event, per measure: the line through untreated values recorded after the event.
    var afterEvent: [[SlopeFit?]]
    /// Per event: whether it had happened by the exit.
    var eventByExit: [Bool]
    var died: Bool
    /// Per treatment: whether it had started by the exit, and the years from eligibility to the start.
    var treatedByExit: [Bool]
    var treatmentDelay: [Double?]
    /// Per treatment: whether the patient was eligible (its required states and availability) by the exit.
    var eligible: [Bool]
    var meanGap: Double?
    /// Per measure: visits that recorded it, of all visits.
    var recorded: [Int]
    var visits: Int

    /// The exit is the record's end: its last visit, or a later death, event or treatment start
    /// that still reached the record.
    init(_ s: PatientSequence, template: DiseaseTemplate) {
        sex = s.sex
        categories = s.categories
        numbers = s.numbers
        entry = s.visits.first?.age ?? 0
        let facts = [s.visits.last?.age, s.deathAge] + s.eventAges + s.treatmentPeriods.map { $0.last?.start }
        exit = facts.compactMap { $0 }.max() ?? 0
        onsetAge = s.onsetAge
        diagnosisAge = s.diagnosisAge
        let end = exit
        died = s.deathAge.map { $0 <= end } ?? false
        visits = s.visits.count
        let measures = template.measures.count
        recorded = (0..<measures).map { m in s.visits.filter { !$0.values[m].isNaN }.count }
        meanGap = s.visits.count >= 2 ? (s.visits.last!.age - s.visits.first!.age) / Double(s.visits.count - 1) : nil
        let onAny = s.visits.map { v in template.treatments.indices.contains { s.onTreatment($0, at: v.age) } }
        func line(_ m: Int, where keep: (Int) -> Bool) -> SlopeFit? {
            SlopeFit.fit(s.visits.indices.compactMap { i in
                let x = s.visits[i].values[m]
                return !x.isNaN && keep(i) ? (s.visits[i].age, x) : nil
            })
        }
        // The untreated slope stops at the first event that changes the measure's slope (loss of
        // ambulation slows the mFARS): a faster course would otherwise show as the slower slope of a
        // later stage.
        untreated = (0..<measures).map { m in
            let ends = template.slopeChangingEvents(of: m).compactMap { s.eventAges[$0] }.min() ?? .infinity
            return line(m) { !onAny[$0] && s.visits[$0].age < ends }
        }
        treatedLevel = template.treatments.indices.map { t in
            (0..<measures).map { m in
                let values = s.visits.filter { !$0.values[m].isNaN && s.onTreatment(t, at: $0.age) }.map { $0.values[m] }
                return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            }
        }
        treated = template.treatments.indices.map { t in
            (0..<measures).map { m in line(m) { s.onTreatment(t, at: s.visits[$0].age) } }
        }
        let exitAge = exit, lastVisit = s.visits.last?.age ?? 0
        afterEvent = template.events.indices.map { e in
            guard let a = s.eventAges[e], a <= lastVisit else { return [SlopeFit?](repeating: nil, count: measures) }
            return (0..<measures).map { m in line(m) { !onAny[$0] && s.visits[$0].age >= a } }
        }
        eventByExit = s.eventAges.map { a in a.map { $0 <= exitAge } ?? false }
        let birth = s.birth
        let diagnosis = s.diagnosisAge
        eligible = template.treatments.map { t in
            let available = t.availableFrom.map { birth.years(to: $0) } ?? -.infinity
            return (diagnosis ?? .infinity) <= exitAge && max(available, t.minimumAge) <= exitAge
        }
        treatedByExit = s.treatmentPeriods.map { periods in periods.contains { $0.start <= exitAge } }
        treatmentDelay = template.treatments.indices.map { t in
            guard let start = s.treatmentPeriods[t].first?.start, let d = diagnosis else { return nil }
            let treatment = template.treatments[t]
            let available = treatment.availableFrom.map { birth.years(to: $0) } ?? -.infinity
            let delay = start - max(d, available, treatment.minimumAge)
            return delay >= 0 ? delay : nil
        }
    }
}

extension DiseaseTemplate {
    /// The events whose state changes measure `m`'s slope, through the slope's own effects or the
    /// event's state effects.
    func slopeChangingEvents(of m: Int) -> [Int] {
        events.indices.filter { e in
            let state = stateIndex(ofEvent: e)
            let bit = UInt64(1) << UInt64(state)
            if measures[m].slope.effects.contains(where: { $0.condition.requiredStates & bit != 0 }) { return true }
            return stateEffects[state].contains { effect in
                switch effect {
                case .measureSlope(let measure, _, _), .measureApproach(let measure, _, _, _): measure == m
                default: false
                }
            }
        }
    }
}
