import Timelines

/// An intercurrent event and the strategy the estimand takes for it (ICH E9(R1)).
package struct IntercurrentEvent: Sendable, Equatable {
    package enum Strategy: String, Sendable, CaseIterable {
        /// The event is ignored: values and events after it count as observed.
        case treatmentPolicy = "treatment-policy"
        /// As if the event had not happened: follow-up is censored at it (time to event), values
        /// after it are missing and left to the model (MMRM, missing at random).
        case hypothetical
        /// The event is itself an outcome: time to the endpoint or the event, whichever is first
        /// (time-to-event endpoints only).
        case composite
        /// Only what happens before the event counts (values after it are dropped; time to event
        /// censored at it); "while-alive" for death.
        case whileOnTreatment = "while-on-treatment"
        case whileAlive = "while-alive"
    }

    /// `death`, `treatment` (any of the template's treatments started after the index date), or
    /// an event id of the template.
    package var event: String
    package var strategy: Strategy

    package init(event: String, strategy: Strategy) {
        self.event = event
        self.strategy = strategy
    }
}

/// What `control-arm` does with a treated patient whose record lacks a baseline covariate.
package enum MissingCovariatePolicy: String, Sendable, CaseIterable {
    /// Stop with an error naming the covariate and the patients (the default: a choice the
    /// statistical analysis plan must make explicitly).
    case refuse
    /// Leave the patient out, with the reason in the exclusions and the count in the report
    /// (a complete-case analysis: unbiased only if missingness does not depend on the outcome).
    case exclude
    /// Multiple imputation by chained equations (predictive mean matching) from the other
    /// covariates, the arm and the outcome, in both arms; every imputed data set is analysed
    /// and the estimates pooled by Rubin's rules (valid when missingness is at random given them).
    case impute
}

/// A clinical-trial design as data: who is eligible, when time zero is, what is measured when,
/// the arms, and how `trial-sim` simulates it. Read from JSON by `TrialSpecification.load(from:)`
/// (format in docs/trial-specification.md).
package struct TrialSpecification: Sendable {
    package internal(set) var id: String
    package internal(set) var title: String
    package internal(set) var description: String
    /// The disease template id.
    package internal(set) var disease: String
    package internal(set) var eligibility: Eligibility
    package internal(set) var index: IndexRule
    package internal(set) var endpoint: Endpoint
    /// Visit times in months after the index date, ascending, starting with 0 (the baseline visit).
    package internal(set) var visitMonths: [Double]
    package internal(set) var arms: [TrialArm]
    /// The investigational treatment, when it is one of the template's treatments.
    package internal(set) var intervention: Intervention
    /// Baseline covariates for the propensity score and the balance table (nil: the default set).
    package internal(set) var covariates: [String]?
    /// What happens to a treated patient who lacks a baseline covariate.
    package internal(set) var missingCovariates: MissingCovariatePolicy = .refuse
    /// Completed data sets with `"missingCovariates": "impute"` (`"imputations"`, default 20).
    package internal(set) var imputations = 20
    /// The intercurrent events the estimand names, with their strategies (empty: the defaults).
    package internal(set) var intercurrentEvents: [IntercurrentEvent] = []
    /// How far before the index date a value still counts as the baseline value.
    package internal(set) var baselineWindowDays: Int
    /// How far from its nominal date a recorded visit may lie and still count as that visit.
    package internal(set) var visitWindowDays: Int
    package internal(set) var simulation: SimulationSettings
    /// The file the specification was read from (for messages).
    package internal(set) var file: String
    /// JSON path → line, so that problems found against the template can name the line.
    var lines: [String: Int] = [:]

    /// The months of follow-up the endpoint needs (the last visit used).
    package var followUpMonths: Double { endpoint.months }

    /// The arm that receives the intervention.
    package var treatedArm: TrialArm {
        arms.first { $0.role == .treated } ?? TrialArm(id: "treated", name: "Treated", role: .treated, size: nil)
    }

    /// The control arm (synthetic, external or concurrent).
    package var controlArm: TrialArm {
        arms.first { $0.role == .control } ?? TrialArm(id: "control", name: "Control", role: .control, size: nil)
    }
}

/// A closed range with optional ends; an absent end is unbounded.
package struct ValueRange: Sendable, Hashable, CustomStringConvertible {
    package internal(set) var minimum: Double?
    package internal(set) var maximum: Double?

    /// A range; nil ends are unbounded.
    package init(minimum: Double? = nil, maximum: Double? = nil) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether `x` lies in the range (ends included).
    package func contains(_ x: Double) -> Bool {
        if let lo = minimum, x < lo { return false }
        if let hi = maximum, x > hi { return false }
        return true
    }

    package var description: String {
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
package struct Eligibility: Sendable {
    /// A range on one named quantity (a measure, an attribute).
    package struct NamedRange: Sendable {
        package internal(set) var id: String
        package internal(set) var range: ValueRange
    }

    /// Allowed values of a categorical attribute.
    package struct AllowedCategories: Sendable {
        package internal(set) var attribute: String
        package internal(set) var values: [String]
    }

    /// Whether earlier treatment is allowed.
    package enum PriorTreatment: String, Sendable {
        /// Nobody treated with any of the template's treatments before the index date.
        case excluded
        case allowed
        case required
    }

    package internal(set) var age: ValueRange?
    /// Allowed sexes; nil means both.
    package internal(set) var sexes: [Sex]?
    package var categories: [AllowedCategories] = []
    /// Ranges on continuous attributes (e.g. GAA1 repeat length).
    package var attributes: [NamedRange] = []
    /// Ranges on measures at the index date (screening values, on the noise-free trajectory for
    /// simulated patients).
    package var measures: [NamedRange] = []
    /// Years since symptom onset.
    package internal(set) var diseaseDuration: ValueRange?
    /// Events that must not have happened by the index date (e.g. loss of ambulation).
    package var absentEvents: [String] = []
    /// Events that must have happened by the index date.
    package var presentEvents: [String] = []
    package var priorTreatment: PriorTreatment = .excluded
    /// The index date must fall in this calendar window.
    package internal(set) var calendarFrom: CalendarDay?
    package internal(set) var calendarTo: CalendarDay?

    /// No criteria (everyone diagnosed and alive is eligible).
    package init() {}
}

/// How the index date (time zero) is chosen inside a patient's eligible period.
package struct IndexRule: Sendable {
    /// How natural-history patients get their index date.
    package enum Choice: String, Sendable {
        /// The first day on which every criterion holds (after diagnosis).
        case firstEligible = "first-eligible"
        /// A day drawn uniformly from the eligible period, as enrolment at a random clinic visit.
        case randomEligible = "random-eligible"
    }

    /// How treated patients from a file get their index date.
    package enum Treated: String, Sendable {
        /// The start of the intervention (MedicationStatement or Procedure of the intervention).
        case interventionStart = "intervention-start"
        /// The first recorded visit at which the observed record meets the eligibility criteria.
        case firstEligibleVisit = "first-eligible-visit"
    }

    package internal(set) var choice: Choice
    package internal(set) var treated: Treated
    /// Grid step, in days, on which the eligible period is scanned.
    package internal(set) var resolutionDays: Double
}

/// The primary endpoint.
package enum Endpoint: Sendable {
    /// Change from baseline in a measure at `months`.
    case change(measure: String, months: Double)
    /// The per-patient least-squares slope (per year) of a measure over the visits up to `months`.
    case slope(measure: String, months: Double)
    /// Time from the index date to an event (a template event or "death"), censored at `months`.
    case timeToEvent(event: String, months: Double)

    package var months: Double {
        switch self {
        case .change(_, let m), .slope(_, let m), .timeToEvent(_, let m): m
        }
    }

    /// The measure the endpoint is about, for measure endpoints.
    package var measure: String? {
        switch self {
        case .change(let m, _), .slope(let m, _): m
        case .timeToEvent: nil
        }
    }

    package var isTimeToEvent: Bool {
        if case .timeToEvent = self { return true }
        return false
    }

    /// A short text such as "change in mfars at 36 months".
    package var summary: String {
        switch self {
        case .change(let m, let t): "change from baseline in \(m) at \(formatMonths(t)) months"
        case .slope(let m, let t): "slope of \(m) per year over \(formatMonths(t)) months"
        case .timeToEvent(let e, let t): "time to \(e) within \(formatMonths(t)) months"
        }
    }
}

func formatMonths(_ m: Double) -> String { m == m.rounded() ? String(Int(m)) : String(m) }

/// One arm of the trial.
package struct TrialArm: Sendable {
    /// Whether the arm receives the intervention.
    package enum Role: String, Sendable { case treated, control }

    /// The arm's code (ResearchSubject.assignedArm, ResearchStudy.arm.name).
    package internal(set) var id: String
    package internal(set) var name: String
    package internal(set) var role: Role
    /// Planned size, when given.
    package internal(set) var size: Int?
}

/// The investigational treatment.
package struct Intervention: Sendable {
    package internal(set) var name: String
    /// The template treatment it is, when it is one (its MedicationStatement marks the index date
    /// of treated patients read from files).
    package internal(set) var treatment: String?
}

/// How a treatment effect is imposed on simulated treated patients.
package enum TreatmentEffect: Sendable, Equatable {
    /// Adds `difference` (endpoint units) at the endpoint time, growing linearly from the index
    /// date: for a slope endpoint, `difference` per year.
    case difference(Double)
    /// Multiplies each patient's progression since the index date (1 = no effect).
    case progressionMultiplier(Double)
    /// Multiplies the hazard of the endpoint event from the index date (1 = no effect).
    case hazardRatio(Double)

    /// Whether the effect is null.
    package var isNull: Bool {
        switch self {
        case .difference(let d): d == 0
        case .progressionMultiplier(let m), .hazardRatio(let m): m == 1
        }
    }

    /// The same kind of effect with no effect.
    package var null: TreatmentEffect {
        switch self {
        case .difference: .difference(0)
        case .progressionMultiplier: .progressionMultiplier(1)
        case .hazardRatio: .hazardRatio(1)
        }
    }

    package var summary: String {
        switch self {
        case .difference(let d): "difference \(d)"
        case .progressionMultiplier(let m): "progression × \(m)"
        case .hazardRatio(let h): "hazard ratio \(h)"
        }
    }
}

/// How `trial-sim` simulates the trial and the designs it compares.
package struct SimulationSettings: Sendable {
    /// Treated patients per simulated trial.
    package var treated: Int
    /// Concurrent controls in the 1:1 randomized (and PROCOVA) design.
    package var concurrentControls: Int
    /// Concurrent controls in the hybrid design (the rest of its control arm is synthetic).
    package var hybridConcurrentControls: Int
    /// External (natural-history) patients available to each simulated trial.
    package var externalControls: Int
    /// Controls matched per treated patient.
    package var matchingRatio: Int
    /// The effect used when the command line gives none.
    package var effect: TreatmentEffect?
    /// Confounding: which natural-history patients become trial (treated) patients.
    package var treatedSelection: TreatedSelection
}

/// Selection of the trial population out of natural history: restrictions and a logistic tilt
/// on baseline covariates (so that, e.g., the treated arm is younger and milder than the pool).
package struct TreatedSelection: Sendable {
    /// Baseline covariate ranges a trial patient must meet (covariate names as in `covariates`).
    package var ranges: [Eligibility.NamedRange] = []
    /// Log-odds of selection per unit of each named baseline covariate.
    package var logOdds: [(covariate: String, perUnit: Double)] = []

    /// No selection: trial patients are a random sample of the pool.
    package init() {}

    /// Whether there is no restriction and no tilt.
    package var isEmpty: Bool { ranges.isEmpty && logOdds.isEmpty }
}
