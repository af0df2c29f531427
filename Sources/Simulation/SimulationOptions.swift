import Timelines

/// How a cohort is simulated.
public struct SimulationOptions: Sendable {
    /// The seed; with the patient index it fixes each patient's random streams.
    public var seed: UInt64
    /// Records end here (patients alive then are censored); nil simulates whole lives.
    public var endDate: CalendarDay?
    /// When false, nobody starts a treatment: untreated natural history.
    public var treatmentsEnabled: Bool
    /// Keep only patients diagnosed (and alive at diagnosis) before the end date, redrawing
    /// the others: a cohort as a registry would see it.
    public var requireDiagnosis: Bool
    /// Overrides the template's birth-date window.
    public var birthFrom: CalendarDay?
    public var birthTo: CalendarDay?
    /// Forces the sex of every patient (balancing and matched designs).
    public var forcedSex: Sex?
    /// Forces categorical attributes: attribute index → value index (conditioned sampling, e.g. a
    /// trial open to one phenotype only); attributes not listed are drawn as usual.
    public var forcedCategories: [Int: Int] = [:]

    public init(seed: UInt64 = 1, endDate: CalendarDay? = CalendarDay(year: 2025, month: 12, day: 31),
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
