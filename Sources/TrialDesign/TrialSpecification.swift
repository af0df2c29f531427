import Timelines

/// A clinical-trial design as data: who is eligible, when time zero is, what is measured when,
/// the arms, and how `trial-sim` simulates it. Read from JSON by `TrialSpecification.load(from:)`
/// (format in docs/trial-specification.md).
public struct TrialSpecification: Sendable {
    public internal(set) var id: String
    public internal(set) var title: String
    public internal(set) var description: String
    /// The disease template id.
    public internal(set) var disease: String
    public internal(set) var eligibility: Eligibility
    public internal(set) var index: IndexRule
    public internal(set) var endpoint: Endpoint
    /// Visit times in months after the index date, ascending, starting with 0 (the baseline visit).
    public internal(set) var visitMonths: [Double]
    public internal(set) var arms: [TrialArm]
    /// The investigational treatment, when it is one of the template's treatments.
    public internal(set) var intervention: Intervention
    /// Baseline covariates for the propensity score and the balance table (nil: the default set).
    public internal(set) var covariates: [String]?
    /// How far before the index date a value still counts as the baseline value.
    public internal(set) var baselineWindowDays: Int
    /// How far from its nominal date a recorded visit may lie and still count as that visit.
    public internal(set) var visitWindowDays: Int
    public internal(set) var simulation: SimulationSettings
    /// The file the specification was read from (for messages).
    public internal(set) var file: String
    /// JSON path → line, so that problems found against the template can name the line.
    var lines: [String: Int] = [:]

    /// The months of follow-up the endpoint needs (the last visit used).
    public var followUpMonths: Double { endpoint.months }

    /// The arm that receives the intervention.
    public var treatedArm: TrialArm { arms.first { $0.role == .treated } ?? TrialArm(id: "treated", name: "Treated", role: .treated, size: nil) }

    /// The control arm (synthetic, external or concurrent).
    public var controlArm: TrialArm { arms.first { $0.role == .control } ?? TrialArm(id: "control", name: "Control", role: .control, size: nil) }
}

/// A closed range with optional ends; an absent end is unbounded.
public struct ValueRange: Sendable, Hashable, CustomStringConvertible {
    public internal(set) var minimum: Double?
    public internal(set) var maximum: Double?

    /// A range; nil ends are unbounded.
    public init(minimum: Double? = nil, maximum: Double? = nil) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether `x` lies in the range (ends included).
    public func contains(_ x: Double) -> Bool {
        if let lo = minimum, x < lo { return false }
        if let hi = maximum, x > hi { return false }
        return true
    }

    public var description: String {
        switch (minimum, maximum) {
        case let (lo?, hi?): "\(format(lo))–\(format(hi))"
        case let (lo?, nil): "≥ \(format(lo))"
        case let (nil, hi?): "≤ \(format(hi))"
        case (nil, nil): "any"
        }
    }

    private func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(x)
    }
}

/// Who may enter the trial, judged at the index date.
public struct Eligibility: Sendable {
    /// A range on one named quantity (a measure, an attribute).
    public struct NamedRange: Sendable {
        public internal(set) var id: String
        public internal(set) var range: ValueRange
    }

    /// Allowed values of a categorical attribute.
    public struct AllowedCategories: Sendable {
        public internal(set) var attribute: String
        public internal(set) var values: [String]
    }

    /// Whether earlier treatment is allowed.
    public enum PriorTreatment: String, Sendable {
        /// Nobody treated with any of the template's treatments before the index date.
        case excluded
        case allowed
        case required
    }

    public internal(set) var age: ValueRange?
    /// Allowed sexes; nil means both.
    public internal(set) var sexes: [Sex]?
    public var categories: [AllowedCategories] = []
    /// Ranges on continuous attributes (e.g. GAA1 repeat length).
    public var attributes: [NamedRange] = []
    /// Ranges on measures at the index date (screening values, on the noise-free trajectory for
    /// simulated patients).
    public var measures: [NamedRange] = []
    /// Years since symptom onset.
    public internal(set) var diseaseDuration: ValueRange?
    /// Events that must not have happened by the index date (e.g. loss of ambulation).
    public var absentEvents: [String] = []
    /// Events that must have happened by the index date.
    public var presentEvents: [String] = []
    public var priorTreatment: PriorTreatment = .excluded
    /// The index date must fall in this calendar window.
    public internal(set) var calendarFrom: CalendarDay?
    public internal(set) var calendarTo: CalendarDay?

    /// No criteria (everyone diagnosed and alive is eligible).
    public init() {}
}

/// How the index date (time zero) is chosen inside a patient's eligible period.
public struct IndexRule: Sendable {
    /// How natural-history patients get their index date.
    public enum Choice: String, Sendable {
        /// The first day on which every criterion holds (after diagnosis).
        case firstEligible = "first-eligible"
        /// A day drawn uniformly from the eligible period, as enrolment at a random clinic visit.
        case randomEligible = "random-eligible"
    }

    /// How treated patients from a file get their index date.
    public enum Treated: String, Sendable {
        /// The start of the intervention (MedicationStatement or Procedure of the intervention).
        case interventionStart = "intervention-start"
        /// The first recorded visit at which the observed record meets the eligibility criteria.
        case firstEligibleVisit = "first-eligible-visit"
    }

    public internal(set) var choice: Choice
    public internal(set) var treated: Treated
    /// Grid step, in days, on which the eligible period is scanned.
    public internal(set) var resolutionDays: Double
}

/// The primary endpoint.
public enum Endpoint: Sendable {
    /// Change from baseline in a measure at `months`.
    case change(measure: String, months: Double)
    /// The per-patient least-squares slope (per year) of a measure over the visits up to `months`.
    case slope(measure: String, months: Double)
    /// Time from the index date to an event (a template event or "death"), censored at `months`.
    case timeToEvent(event: String, months: Double)

    public var months: Double {
        switch self {
        case .change(_, let m), .slope(_, let m), .timeToEvent(_, let m): m
        }
    }

    /// The measure the endpoint is about, for measure endpoints.
    public var measure: String? {
        switch self {
        case .change(let m, _), .slope(let m, _): m
        case .timeToEvent: nil
        }
    }

    public var isTimeToEvent: Bool {
        if case .timeToEvent = self { return true }
        return false
    }

    /// A short text such as "change in mfars at 36 months".
    public var summary: String {
        switch self {
        case .change(let m, let t): "change from baseline in \(m) at \(formatMonths(t)) months"
        case .slope(let m, let t): "slope of \(m) per year over \(formatMonths(t)) months"
        case .timeToEvent(let e, let t): "time to \(e) within \(formatMonths(t)) months"
        }
    }
}

func formatMonths(_ m: Double) -> String { m == m.rounded() ? String(Int(m)) : String(m) }

/// One arm of the trial.
public struct TrialArm: Sendable {
    /// Whether the arm receives the intervention.
    public enum Role: String, Sendable { case treated, control }

    /// The arm's code (ResearchSubject.assignedArm, ResearchStudy.arm.name).
    public internal(set) var id: String
    public internal(set) var name: String
    public internal(set) var role: Role
    /// Planned size, when given.
    public internal(set) var size: Int?
}

/// The investigational treatment.
public struct Intervention: Sendable {
    public internal(set) var name: String
    /// The template treatment it is, when it is one (its MedicationStatement marks the index date
    /// of treated patients read from files).
    public internal(set) var treatment: String?
}

/// How a treatment effect is imposed on simulated treated patients.
public enum TreatmentEffect: Sendable, Equatable {
    /// Adds `difference` (endpoint units) at the endpoint time, growing linearly from the index
    /// date: for a slope endpoint, `difference` per year.
    case difference(Double)
    /// Multiplies each patient's progression since the index date (1 = no effect).
    case progressionMultiplier(Double)
    /// Multiplies the hazard of the endpoint event from the index date (1 = no effect).
    case hazardRatio(Double)

    /// Whether the effect is null.
    public var isNull: Bool {
        switch self {
        case .difference(let d): d == 0
        case .progressionMultiplier(let m), .hazardRatio(let m): m == 1
        }
    }

    /// The same kind of effect with no effect.
    public var null: TreatmentEffect {
        switch self {
        case .difference: .difference(0)
        case .progressionMultiplier: .progressionMultiplier(1)
        case .hazardRatio: .hazardRatio(1)
        }
    }

    public var summary: String {
        switch self {
        case .difference(let d): "difference \(d)"
        case .progressionMultiplier(let m): "progression × \(m)"
        case .hazardRatio(let h): "hazard ratio \(h)"
        }
    }
}

/// How `trial-sim` simulates the trial and the designs it compares.
public struct SimulationSettings: Sendable {
    /// Treated patients per simulated trial.
    public var treated: Int
    /// Concurrent controls in the 1:1 randomized (and PROCOVA) design.
    public var concurrentControls: Int
    /// Concurrent controls in the hybrid design (the rest of its control arm is synthetic).
    public var hybridConcurrentControls: Int
    /// External (natural-history) patients available to each simulated trial.
    public var externalControls: Int
    /// Controls matched per treated patient.
    public var matchingRatio: Int
    /// The effect used when the command line gives none.
    public var effect: TreatmentEffect?
    /// Confounding: which natural-history patients become trial (treated) patients.
    public var treatedSelection: TreatedSelection
}

/// Selection of the trial population out of natural history: restrictions and a logistic tilt
/// on baseline covariates (so that, e.g., the treated arm is younger and milder than the pool).
public struct TreatedSelection: Sendable {
    /// Baseline covariate ranges a trial patient must meet (covariate names as in `covariates`).
    public var ranges: [Eligibility.NamedRange] = []
    /// Log-odds of selection per unit of each named baseline covariate.
    public var logOdds: [(covariate: String, perUnit: Double)] = []

    /// No selection: trial patients are a random sample of the pool.
    public init() {}

    /// Whether there is no restriction and no tilt.
    public var isEmpty: Bool { ranges.isEmpty && logOdds.isEmpty }
}
