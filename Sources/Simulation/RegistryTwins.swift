import DiseaseModeling
import Randomness
import Timelines
import ZebraSupport

/// How one registry patient was seen: who they are (as far as the record says) and the window of
/// ages their visits cover. Simulated patients seen through the same window (registry twins)
/// carry the same left truncation (alive and diagnosed at entry) and right censoring (the exit),
/// so a figure computed on the seed records and on their twins compares like with like.
package struct RegistryWindow: Sendable {
    package var sex: Sex
    package var birth: CalendarDay
    /// Attribute index → categorical value index, for the values the record holds.
    package var categories: [Int: Int]
    /// Attribute index → continuous value, for the values the record holds.
    package var numbers: [Int: Double]
    /// Age at the first recorded visit.
    package var entryAge: Double
    /// Age at the last recorded visit; for a patient who died, the age the record could have run to.
    package var exitAge: Double
    /// Years from diagnosis to entry, when the record dates the diagnosis: the fallback when no
    /// simulated patient of this sex and birth date is diagnosed by the entry age.
    package var yearsDiagnosedAtEntry: Double?

    /// Years after the last visit during which a death or an event still reaches the record (a
    /// registry learns of a death some months after the last visit).
    package var graceYears: Double
    /// The ages at which this patient could have enrolled (the registry's enrolment period), when
    /// known: a registry enrols its patients at a moment uniformly spread over the time they are
    /// diagnosed, alive and the registry open, so a twin diagnosed long before the entry age, who
    /// had a longer chance to enrol, is accepted less often.
    package var enrolment: ClosedRange<Double>?
    /// The age on the extract date: nothing after it reaches the record, grace or not.
    package var extractAge: Double = .infinity

    package init(sex: Sex, birth: CalendarDay, categories: [Int: Int], numbers: [Int: Double] = [:], entryAge: Double,
                 exitAge: Double, graceYears: Double = 0, yearsDiagnosedAtEntry: Double? = nil,
                 enrolment: ClosedRange<Double>? = nil) {
        self.enrolment = enrolment
        self.sex = sex
        self.birth = birth
        self.categories = categories
        self.numbers = numbers
        self.graceYears = graceYears
        self.entryAge = entryAge
        self.exitAge = exitAge
        self.yearsDiagnosedAtEntry = yearsDiagnosedAtEntry
    }
}

extension CohortSimulator {
    /// Draws before a twin gives up on being diagnosed and alive at the entry age, and enters
    /// relative to its own diagnosis instead.
    static let twinAttempts = 160
    /// Draws diagnosed and alive at the entry age after which a twin is chosen among them by weight.
    static let twinCandidates = 8

    /// A patient seen as `window` was: of its sex, known values and birth date, diagnosed and alive
    /// at its entry age, enrolled then with the chance a registry would have enrolled it, and
    /// followed with the template's visits to its exit age (or death). Depends only on the seed and
    /// `index`. Nil when no draw is ever diagnosed.
    ///
    /// Each draw alive and diagnosed at the entry age is accepted with its enrolment weight
    /// (rejection sampling, exact); when none of the first `twinCandidates` such draws is, one of
    /// them is chosen in proportion to its weight (sampling–importance–resampling).
    package func twin(_ index: Int, of window: RegistryWindow) -> SimulatedPatient? {
        let root = RandomStream(seed: options.seed, stream: UInt64(index))
        let simulator = CourseSimulator(template: template, treatmentsEnabled: options.treatmentsEnabled,
                                        forcedCategories: window.categories, forcedNumbers: window.numbers)
        let builder = TimelineBuilder(template: template, concepts: concepts)
        var fallback: (LatentCourse, Double, UInt64)?
        var candidates: [(course: LatentCourse, streams: UInt64, weight: Double)] = []
        for attempt in 0..<Self.twinAttempts where candidates.count < Self.twinCandidates {
            let k = UInt64(attempt) * 8
            var process = root.substream(k)
            let course = simulator.simulate(sex: window.sex, birth: window.birth, rng: &process)
            guard let diagnosis = course.entryAge(of: DiseaseTemplate.diagnosisState),
                  diagnosis < course.deathAge else { continue }
            if diagnosis <= window.entryAge && course.deathAge > window.entryAge {
                let weight = enrolmentWeight(diagnosis: diagnosis, window: window)
                var accept = root.substream(k + 5)
                if accept.nextUnit() < weight {
                    return record(course, entry: window.entryAge, window: window, streams: k, root: root,
                                  builder: builder)
                }
                candidates.append((course, k, weight))
            }
            if fallback == nil {
                let entry = diagnosis + (window.yearsDiagnosedAtEntry ?? 0)
                if entry < course.deathAge { fallback = (course, entry, k) }
            }
        }
        if !candidates.isEmpty {
            var choose = root.substream(7)  // the first draw's unused eighth stream
            let chosen = candidates[choose.nextIndex(weights: candidates.map(\.weight))]
            return record(chosen.course, entry: window.entryAge, window: window, streams: chosen.streams, root: root,
                          builder: builder)
        }
        guard let (course, entry, k) = fallback else { return nil }
        return record(course, entry: entry, window: window, streams: k, root: root, builder: builder)
    }

    /// How likely a registry was to enrol a patient diagnosed at `diagnosis` at the window's entry
    /// age, relative to the likeliest: enrolment is spread uniformly over the span the patient was
    /// diagnosed (and the registry open), so the chance of any one moment is 1 / span.
    private func enrolmentWeight(diagnosis: Double, window: RegistryWindow) -> Double {
        guard let period = window.enrolment else { return 1 }
        let shortest = max(period.upperBound - window.entryAge, 0.25)
        let span = max(period.upperBound - max(diagnosis, period.lowerBound), shortest)
        return shortest / span
    }

    private func record(_ course: LatentCourse, entry: Double, window: RegistryWindow, streams k: UInt64,
                        root: RandomStream, builder: TimelineBuilder) -> SimulatedPatient {
        var visits = root.substream(k + 1)
        var noise = root.substream(k + 2)
        var ids = root.substream(k + 3)
        let exit = entry + max(0, window.exitAge - window.entryAge)
        let lastVisit = min(exit + 1 / CalendarDay.daysPerYear, course.deathAge)
        let endAge = min(exit + window.graceYears, course.deathAge, max(window.extractAge, exit))
        let ages = builder.visitAges(for: course, from: entry, until: lastVisit, rng: &visits)
        let id = uuidString(ids.next(), ids.next())
        let timeline = builder.timeline(id: id, course: course, visits: ages, endAge: endAge, noise: &noise)
        return SimulatedPatient(index: -1, timeline: timeline, course: course, visitAges: ages, endAge: endAge,
                                firstVisitAge: ages.first)
    }
}
