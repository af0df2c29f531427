import DiseaseModeling
import RecordDisplay
import Foundation
import Statistics
import Timelines

/// A set of records to describe: real (`records`) or synthetic.
package struct ProgressionCohort: Sendable {
    package var name: String
    package var timelines: [PatientTimeline]

    package init(name: String, timelines: [PatientTimeline]) {
        self.name = name
        self.timelines = timelines
    }
}

/// How patients are split into subgroups.
package enum ProgressionGrouping: Sendable, Equatable {
    case none
    case sex
    /// A template attribute: its values, or tertiles of a continuous one.
    case attribute(Int)
}

/// The natural history of a disease at a glance, from one or more cohorts: trajectories of each
/// measure by age and disease duration, Kaplan–Meier curves of each recorded milestone (age
/// scale, entry at the first visit), per-patient untreated slopes, and sample sizes.
package struct ProgressionAnalysis: Sendable {
    /// One trajectory bin: the recorded values of a measure in an age (or duration) interval.
    package struct Bin: Sendable, Equatable {
        package var cohort: String, group: String, measure: String, axis: String
        package var low: Double, high: Double
        package var count: Int
        package var median: Double, p10: Double, p90: Double
    }

    /// A milestone's Kaplan–Meier curve in one cohort and group, with its median.
    package struct Milestone: Sendable {
        package var cohort: String, group: String, event: String
        package var subjects: Int
        /// The age from which the curve is estimated (the risk set first reaches `minimumAtRisk`).
        package var start: Double
        package var curve: KaplanMeierCurve
        package var median: MedianSurvival
        /// The chance of the event within 2 years of entry (time since the first visit).
        package var twoYearRisk: Double
    }

    /// Per-patient untreated slopes of a measure in one cohort and group.
    package struct Slopes: Sendable {
        package var cohort: String, group: String, measure: String, unit: String
        package var patients: [(id: String, slope: Double, count: Int, span: Double)]

        package var values: [Double] { patients.map(\.slope) }
    }

    /// Patients per arm for one endpoint, effect and power.
    package struct SampleSizeRow: Sendable, Equatable {
        package var cohort: String, endpoint: String, kind: String
        package var effect: Double, power: Double
        package var perArm: Int?, events: Int?
    }

    package let disease: String
    package let cohorts: [String]
    package let groups: [String]
    package let groupingName: String
    package private(set) var bins: [Bin] = []
    package private(set) var milestones: [Milestone] = []
    package private(set) var slopes: [Slopes] = []
    package private(set) var sampleSizes: [SampleSizeRow] = []
    /// Each measure's chart axis (title in words with the unit, linear or log), by the name bins carry.
    package let axes: [String: MeasureAxis]

    static let binWidth = 5.0
    static let minimumBinCount = 5
    static let minimumAtRisk = 10.0
    static let effects = [0.25, 0.3, 0.4, 0.5]
    static let powers = [0.8, 0.9]

    package init(template: DiseaseTemplate, concepts: TemplateConcepts, cohorts: [ProgressionCohort],
                 grouping: ProgressionGrouping) {
        disease = template.name
        self.cohorts = cohorts.map(\.name)
        axes = Dictionary(template.measures.map { ($0.concept.text, MeasureAxis($0)) }) { first, _ in first }
        let facts = cohorts.map { c in
            c.timelines.compactMap { PatientFacts($0, template: template, concepts: concepts) }
        }
        let labeller = GroupLabeller(grouping, template: template, facts: facts.flatMap { $0 })
        groups = labeller.labels
        groupingName = labeller.name
        for (c, cohort) in cohorts.enumerated() {
            let byGroup = Dictionary(grouping: facts[c]) { labeller.label($0) }
            for group in groups {
                let members = byGroup[group] ?? []
                addTrajectories(cohort.name, group, members, template)
                addMilestones(cohort.name, group, members, template)
                addSlopes(cohort.name, group, members, template)
            }
            addSampleSizes(cohort.name, facts[c], template)
        }
    }

    private mutating func addTrajectories(_ cohort: String, _ group: String, _ members: [PatientFacts],
                                          _ template: DiseaseTemplate) {
        for (m, measure) in template.measures.enumerated() {
            for axis in ["age", "duration"] {
                var byBin: [Int: [Double]] = [:]
                for p in members {
                    for v in p.values[m] {
                        guard let x = axis == "age" ? v.age : p.duration(at: v.age), x >= 0 else { continue }
                        byBin[Int(x / Self.binWidth), default: []].append(v.value)
                    }
                }
                for k in byBin.keys.sorted() {
                    let values = byBin[k]!
                    guard values.count >= Self.minimumBinCount,
                          let q = try? Descriptive.quantiles(values, [0.5, 0.1, 0.9]) else { continue }
                    bins.append(Bin(cohort: cohort, group: group, measure: measure.concept.text, axis: axis,
                                    low: Double(k) * Self.binWidth, high: Double(k + 1) * Self.binWidth,
                                    count: values.count, median: q[0], p10: q[1], p90: q[2]))
                }
            }
        }
    }

    /// Age at the event, entry at the first visit; a patient whose event was recorded before entry is
    /// left out (left truncation: only those event-free at entry are at risk).
    private mutating func addMilestones(_ cohort: String, _ group: String, _ members: [PatientFacts],
                                        _ template: DiseaseTemplate) {
        for (e, event) in template.events.enumerated() where event.record != .none {
            let (entries, times, events) = Self.atRisk(e, members)
            guard entries.count >= Self.minimumBinCount, events.contains(true),
                  let first = try? KaplanMeier.estimate(entries: entries, times: times, events: events),
                  let start = first.times.indices.first(where: { first.atRisk[$0] >= Self.minimumAtRisk })
                    .map({ first.times[$0] }) else { continue }
            // Conditional on being event-free at `start`: before it the risk set is too small to estimate.
            let kept = times.indices.filter { times[$0] >= start }
            guard kept.contains(where: { events[$0] }),
                  let curve = try? KaplanMeier.estimate(entries: kept.map { max(entries[$0], start - 1e-9) },
                                                        times: kept.map { times[$0] }, events: kept.map { events[$0] }),
                  let median = try? curve.medianSurvival() else { continue }
            milestones.append(Milestone(cohort: cohort, group: group, event: event.concept.text,
                                        subjects: kept.count, start: start, curve: curve, median: median,
                                        twoYearRisk: Self.twoYearRisk(e, members) ?? .nan))
        }
    }

    private mutating func addSlopes(_ cohort: String, _ group: String, _ members: [PatientFacts],
                                    _ template: DiseaseTemplate) {
        for (m, measure) in template.measures.enumerated() {
            let found = members.compactMap { p in p.untreatedSlope(m).map { (p.id, $0.slope, $0.count, $0.span) } }
            slopes.append(Slopes(cohort: cohort, group: group, measure: measure.concept.text,
                                 unit: Self.perYear(measure.concept.unit), patients: found))
        }
    }

    /// A unit per year as a reader writes it ("mL/min/1.73 m² per year", "points per year").
    static func perYear(_ ucum: String?) -> String {
        let unit = DisplayUnit.text(ucum)
        return (unit.isEmpty ? "points" : unit) + " per year"
    }

    /// Slope endpoints: a reduction of the mean untreated slope; milestones: hazard ratio 1 − effect
    /// over 2 years of follow-up, with the cohort's own 2-year risk from entry.
    private mutating func addSampleSizes(_ cohort: String, _ members: [PatientFacts], _ template: DiseaseTemplate) {
        for (m, measure) in template.measures.enumerated() {
            let values = members.compactMap { $0.untreatedSlope(m)?.slope }
            guard values.count >= 10, let mean = try? Descriptive.mean(values),
                  let sd = try? Descriptive.standardDeviation(values), mean != 0 else { continue }
            for effect in Self.effects {
                for power in Self.powers {
                    sampleSizes.append(SampleSizeRow(
                        cohort: cohort, endpoint: measure.concept.text + " slope", kind: "slope",
                        effect: effect, power: power,
                        perArm: SampleSize.perArm(meanDifference: effect * mean, sd: sd, power: power), events: nil))
                }
            }
        }
        for (e, event) in template.events.enumerated() where event.record != .none {
            guard let risk = Self.twoYearRisk(e, members) else { continue }
            for effect in Self.effects {
                for power in Self.powers {
                    let events = SampleSize.events(hazardRatio: 1 - effect, power: power)
                    let perArm = events.flatMap {
                        SampleSize.perArm(events: $0, controlProbability: risk, hazardRatio: 1 - effect)
                    }
                    sampleSizes.append(SampleSizeRow(cohort: cohort, endpoint: event.concept.text, kind: "milestone",
                                                     effect: effect, power: power, perArm: perArm, events: events))
                }
            }
        }
    }

    /// Event `e` on the age scale: each member event-free at entry, with its entry age, its age at the
    /// event or the end of its record, and whether the event was seen.
    static func atRisk(_ e: Int, _ members: [PatientFacts]) -> (entries: [Double], times: [Double], events: [Bool]) {
        var entries: [Double] = [], times: [Double] = [], events: [Bool] = []
        for p in members {
            if let a = p.eventAges[e], a <= p.entry { continue }
            entries.append(p.entry)
            times.append(min(p.eventAges[e] ?? p.exit, p.exit))
            events.append(p.eventAges[e].map { $0 <= p.exit } ?? false)
        }
        return (entries, times, events)
    }

    /// The Kaplan–Meier chance of event `e` within 2 years of the first visit, among the event-free at entry.
    static func twoYearRisk(_ e: Int, _ members: [PatientFacts]) -> Double? {
        let (entries, times, events) = atRisk(e, members)
        guard times.count >= minimumBinCount, events.contains(true),
              let curve = try? KaplanMeier.estimate(times: zip(times, entries).map { $0 - $1 }, events: events)
        else { return nil }
        let risk = 1 - curve.survival(at: 2)
        return risk > 0 && risk < 1 ? risk : nil
    }
}
