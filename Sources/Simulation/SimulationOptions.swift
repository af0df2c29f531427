import Timelines

/// How a cohort is simulated.
package struct SimulationOptions: Sendable {
    /// The seed; with the patient index it fixes each patient's random streams.
    package var seed: UInt64
    /// Records end here (patients alive then are censored); nil simulates whole lives.
    package var endDate: CalendarDay?
    /// When false, nobody starts a treatment: untreated natural history.
    package var treatmentsEnabled: Bool
    /// Keep only patients diagnosed (and alive at diagnosis) before the end date, redrawing
    /// the others: a cohort as a registry would see it.
    package var requireDiagnosis: Bool
    /// Overrides the template's birth-date window.
    package var birthFrom: CalendarDay?
    package var birthTo: CalendarDay?
    /// Forces the sex of every patient (balancing and matched designs).
    package var forcedSex: Sex?
    /// Forces categorical attributes: attribute index → value index (conditioned sampling, e.g. a
    /// trial open to one phenotype only); attributes not listed are drawn as usual.
    package var forcedCategories: [Int: Int] = [:]
    /// When set, each patient's sex and attribute values follow this composition.
    package var composition: Composition?
    /// When set, records are registry extracts: one enrolment mid-course, a few years of visits.
    package var registry: RegistryProtocol?

    package init(seed: UInt64 = 1, endDate: CalendarDay? = CalendarDay(year: 2025, month: 12, day: 31),
                treatmentsEnabled: Bool = true, requireDiagnosis: Bool = true,
                birthFrom: CalendarDay? = nil, birthTo: CalendarDay? = nil, forcedSex: Sex? = nil) {
        self.seed = seed
        self.endDate = endDate
        self.treatmentsEnabled = treatmentsEnabled
        self.requireDiagnosis = requireDiagnosis
        self.birthFrom = birthFrom
        self.birthTo = birthTo
        self.forcedSex = forcedSex
    }
}

/// How a registry samples its patients, as a registry protocol would state it: each patient
/// diagnosed while the registry is open is invited once, at a uniformly chosen moment, enrols if
/// alive then (so the registry sees the left-truncated cohort of survivors), and
/// are followed on the template's visit schedule until the extract date (`endDate`), death, or
/// loss to follow-up. Their history before enrolment (onset, diagnosis, milestones, treatments)
/// is recorded with its dates; measures only from enrolment on.
package struct RegistryProtocol: Sendable {
    /// The day the registry opened.
    package var opened: CalendarDay
    /// Mean years of follow-up before loss to follow-up (exponential).
    package var meanFollowUpYears: Double
    /// Enrolment closes this many years before the extract date, so every patient has a chance
    /// of a few visits.
    package var enrolmentClosesYearsBeforeExtract: Double

    package init(opened: CalendarDay = CalendarDay(year: 2005, month: 1, day: 1), meanFollowUpYears: Double = 6,
                enrolmentClosesYearsBeforeExtract: Double = 2) {
        self.opened = opened
        self.meanFollowUpYears = meanFollowUpYears
        self.enrolmentClosesYearsBeforeExtract = enrolmentClosesYearsBeforeExtract
    }
}
