import DiseaseModeling
import Simulation
import Statistics
import Timelines

/// One visit of an observation window: its age and the measures observed (NaN where not).
package struct WindowVisit: Sendable, Equatable {
    package var age: Double
    package var values: [Double]

    package init(age: Double, values: [Double]) {
        self.age = age
        self.values = values
    }
}

/// A patient's record as the evaluation sees it: the visits of one observation window and what
/// was recorded about the patient by the window's end.
///
/// Real registry records are windows already (enrolment mid-course, a few visits); synthetic
/// records may span decades, and are then cut to windows like the real ones (`WindowSampler`),
/// so that every figure compares like with like. Events, treatments and death count only when
/// recorded by the window's end; history before the window (diagnosis, earlier events,
/// treatment starts) is kept, as a registry records it at enrolment.
package struct PatientWindow: Sendable {
    package var id: String
    package var sex: Sex
    /// Per template attribute: the categorical value's index, or nil.
    package var categories: [Int?]
    /// Per template attribute: the continuous value, or nil.
    package var numbers: [Double?]
    package var onsetAge: Double?
    package var diagnosisAge: Double?
    /// The window's visits, by age (at least one).
    package var visits: [WindowVisit]
    /// Per template event: the age first recorded, if by the window's end.
    package var eventAges: [Double?]
    /// Per template treatment: start and stop ages of the periods begun by the window's end.
    package var treatmentPeriods: [[(start: Double, stop: Double?)]]
    /// The age at death, when the window reaches it.
    package var deathAge: Double?

    /// Age at the first visit of the window.
    package var startAge: Double { visits[0].age }
    /// Age at the last visit of the window.
    package var lastVisitAge: Double { visits[visits.count - 1].age }
    /// Where the window ends: death when it reaches it, else the last visit.
    package var endAge: Double { deathAge ?? lastVisitAge }
    /// Years from the first to the last visit.
    package var spanYears: Double { lastVisitAge - startAge }
    /// Years since diagnosis (or onset) at the first visit, when known.
    package var durationAtStart: Double? { (diagnosisAge ?? onsetAge).map { startAge - $0 } }

    /// The window of `sequence` made of the visits `range`; a recorded death belongs to it when
    /// it falls by `deathUntil` (an age; infinity for the whole record).
    package init?(sequence: PatientSequence, visits range: Range<Int>, deathUntil: Double) {
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= sequence.visits.count else { return nil }
        id = sequence.id
        sex = sequence.sex
        categories = sequence.categories
        numbers = sequence.numbers
        onsetAge = sequence.onsetAge
        diagnosisAge = sequence.diagnosisAge
        visits = sequence.visits[range].map { WindowVisit(age: $0.age, values: $0.values) }
        let lastVisit = visits[visits.count - 1].age
        deathAge = sequence.deathAge.flatMap { $0 >= lastVisit && $0 <= deathUntil ? $0 : nil }
        let end = deathAge ?? lastVisit
        eventAges = sequence.eventAges.map { age in age.flatMap { $0 <= end ? $0 : nil } }
        treatmentPeriods = sequence.treatmentPeriods.map { periods in
            periods.filter { $0.start <= end }.map { p in (p.start, p.stop.flatMap { $0 <= end ? $0 : nil }) }
        }
    }

    /// The whole record as one window (nil when it has no visits).
    package init?(wholeRecord sequence: PatientSequence) {
        self.init(sequence: sequence, visits: 0..<sequence.visits.count, deathUntil: .infinity)
    }

    /// Whether event `e` was recorded by the first visit (part of the history at enrolment).
    package func hadEventAtStart(_ e: Int) -> Bool { eventAges[e].map { $0 <= startAge } ?? false }

    /// Whether event `e` was first recorded after the first visit and by the window's end.
    package func eventWithinWindow(_ e: Int) -> Bool { eventAges[e].map { $0 > startAge } ?? false }

    /// Whether treatment `t` had started by the window's end.
    package func treatedByEnd(_ t: Int) -> Bool { !treatmentPeriods[t].isEmpty }

    /// Whether treatment `t` is on at `age`.
    package func onTreatment(_ t: Int, at age: Double) -> Bool {
        treatmentPeriods[t].contains { $0.start <= age && ($0.stop.map { age < $0 } ?? true) }
    }

    /// The observed values of measure `m` in the window, with their ages.
    package func observations(_ m: Int) -> [(age: Double, value: Double)] {
        visits.compactMap { $0.values[m].isNaN ? nil : ($0.age, $0.values[m]) }
    }

    /// The least-squares slope of measure `m` per year over the window: needs two values at
    /// least half a year apart.
    package func slope(_ m: Int) -> Double? {
        let obs = observations(m)
        guard obs.count >= 2, let first = obs.first?.age, let last = obs.last?.age, last - first >= 0.5 else {
            return nil
        }
        return Descriptive.leastSquaresSlope(x: obs.map(\.age), y: obs.map(\.value))
    }

    /// The mean of measure `m` over the window's observed values.
    package func mean(_ m: Int) -> Double? {
        let obs = observations(m)
        return obs.isEmpty ? nil : obs.reduce(0) { $0 + $1.value } / Double(obs.count)
    }

    /// Years between consecutive visits.
    package var gaps: [Double] { zip(visits.dropFirst(), visits).map { $0.age - $1.age } }
}

extension PatientWindow {
    /// Reads timelines through the template's concepts into whole-record windows, dropping
    /// records without visits.
    package static func wholeRecords(_ timelines: [PatientTimeline], template: DiseaseTemplate,
                                    concepts: TemplateConcepts) -> [PatientWindow] {
        timelines.compactMap {
            PatientWindow(wholeRecord: PatientSequence(timeline: $0, template: template, concepts: concepts))
        }
    }
}
