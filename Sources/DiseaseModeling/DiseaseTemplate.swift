import Foundation
import Timelines

/// A disease-progression template: what the literature says about a disease's natural history,
/// as data. Loaded and validated from JSON by `DiseaseTemplate.load(from:)`.
public struct DiseaseTemplate: Sendable {
    public internal(set) var id: String
    public internal(set) var name: String
    public internal(set) var description: String
    public internal(set) var version: String
    /// Citation keys → full references.
    public internal(set) var sources: [String: String]
    public internal(set) var condition: Concept
    public internal(set) var population: Population
    public internal(set) var attributes: [AttributeDefinition]
    public internal(set) var randomEffects: [String]
    /// Lower-triangular Cholesky factor of the random effects' correlation matrix (row-major).
    public internal(set) var randomEffectCholesky: [Double]
    public internal(set) var onset: Onset
    public internal(set) var diagnosis: Diagnosis
    public internal(set) var measures: [MeasureDefinition]
    public internal(set) var events: [EventDefinition]
    public internal(set) var treatments: [TreatmentDefinition]
    public internal(set) var visits: VisitSchedule
    public internal(set) var mortality: Mortality
    /// State names by index: `onset`, `diagnosis`, then events, then treatments.
    public internal(set) var stateNames: [String]
    /// Per state: the effects that apply while it is active (from its event or treatment).
    public internal(set) var stateEffects: [[StateEffect]]
    /// A digest of what the simulator and a model read from the template (prose excluded), naming
    /// which template a model was trained with.
    public internal(set) var digest: String
    /// What no record of the disease may show, beside the rules every template implies.
    package internal(set) var rules: [RecordRule] = []

    public static let onsetState = 0
    public static let diagnosisState = 1

    public func stateIndex(ofEvent i: Int) -> Int { 2 + i }
    public func stateIndex(ofTreatment i: Int) -> Int { 2 + events.count + i }

    public func measureIndex(_ id: String) -> Int? { measures.firstIndex { $0.id == id } }
    public func eventIndex(_ id: String) -> Int? { events.firstIndex { $0.id == id } }
    public func treatmentIndex(_ id: String) -> Int? { treatments.firstIndex { $0.id == id } }
    public func attributeIndex(_ id: String) -> Int? { attributes.firstIndex { $0.id == id } }
    public func stateIndex(_ name: String) -> Int? { stateNames.firstIndex(of: name) }
}

/// Who is born with the disease: birth-date window and sex ratio.
public struct Population: Sendable {
    public internal(set) var birthFrom: CalendarDay
    public internal(set) var birthTo: CalendarDay
    public internal(set) var maleProbability: Double
}

/// A lifelong patient attribute.
public struct AttributeDefinition: Sendable {
    public enum Kind: Sendable {
        case continuous(Distribution)
        /// Value names and, per sex, their probabilities.
        case categorical(values: [String], male: [Double], female: [Double])
    }

    public internal(set) var id: String
    public internal(set) var concept: Concept
    public internal(set) var kind: Kind
    /// Codes for each categorical value (empty for continuous attributes).
    public internal(set) var valueConcepts: [Concept]
    /// Whether the attribute is written as an Observation at the first visit.
    public internal(set) var recordedAtFirstVisit: Bool

    public var isCategorical: Bool {
        if case .categorical = kind { return true }
        return false
    }

    public var categoryValues: [String] {
        if case .categorical(let values, _, _) = kind { return values }
        return []
    }
}

/// Age at symptom onset.
public struct Onset: Sendable {
    public internal(set) var probability: Predictor
    public internal(set) var age: Distribution
}

/// Age at diagnosis: a delay after onset, or an age of its own (e.g. family screening).
public struct Diagnosis: Sendable {
    public enum Timing: Sendable {
        case delayAfterOnset(Distribution)
        case age(Distribution)
    }

    public internal(set) var probability: Predictor
    public internal(set) var timing: Timing
}

/// A continuous measure (score, lab value, organ volume) with a piecewise trajectory.
public struct MeasureDefinition: Sendable {
    public internal(set) var id: String
    public internal(set) var concept: Concept
    /// The state at which the trajectory starts (nil: birth).
    public internal(set) var startState: Int?
    public internal(set) var initial: Predictor
    /// Change per year; may depend on states (phase, milestones, treatments).
    public internal(set) var slope: Predictor
    public internal(set) var floor: Double
    public internal(set) var ceiling: Double
    public internal(set) var noiseSD: Double
    public internal(set) var noiseCV: Double
    /// Chance that a visit records this measure.
    public internal(set) var observeProbability: Double
    /// Record at every n-th visit only (1 = every visit).
    public internal(set) var observeEvery: Int
    /// The state from which the measure is recorded (nil: from the first visit).
    public internal(set) var observeFrom: Int?
    /// A state during which the measure is not recorded (e.g. spleen volume after splenectomy).
    public internal(set) var observeUnless: Int?
}

/// A milestone or complication: a dated event that enters a state and may be recorded.
public struct EventDefinition: Sendable {
    public enum Record: String, Sendable { case condition, procedure, none }

    public enum Trigger: Sendable {
        /// The first time a measure's (noise-free) value crosses a threshold.
        case threshold(measure: Int, below: Bool, value: Predictor)
        /// A hazard per year, times a piecewise multiplier on a clock (age, or time since a state).
        case hazard(rate: Predictor, clockState: Int?, knots: [(time: Double, multiplier: Double)])
        /// With some probability, at a sampled delay after a state is entered.
        case incidence(probability: Predictor, delay: Distribution, fromState: Int?)
    }

    public internal(set) var id: String
    public internal(set) var concept: Concept
    public internal(set) var record: Record
    /// States that must be active for the event to happen.
    public internal(set) var requiredStates: UInt64
    public internal(set) var trigger: Trigger
    public internal(set) var recurrent: Bool
    /// What the event changes from then on (e.g. splenectomy raising platelets).
    public internal(set) var effects: [StateEffect]
}

/// A treatment: who starts it and when, and what it changes.
public struct TreatmentDefinition: Sendable {
    public enum Record: String, Sendable { case medicationStatement, procedure }

    public internal(set) var id: String
    public internal(set) var concept: Concept
    public internal(set) var record: Record
    public internal(set) var availableFrom: CalendarDay?
    public internal(set) var requiredStates: UInt64
    public internal(set) var minimumAge: Double
    public internal(set) var probability: Predictor
    public internal(set) var delay: Distribution
    public internal(set) var stopRatePerYear: Double
    public internal(set) var effects: [StateEffect]
}

/// What an event or treatment changes while its state is active.
public enum StateEffect: Sendable {
    case measureSlope(measure: Int, multiply: Predictor, add: Predictor)
    /// Exponential approach from the value at entry towards a target, with a half-life.
    case measureApproach(measure: Int, target: ApproachTarget, halfLifeYears: Double)
    case eventHazard(event: Int, ratio: Predictor)
    case mortalityHazard(ratio: Predictor)

    public enum ApproachTarget: Sendable {
        case fraction(Predictor)
        case add(Predictor)
        case toward(Predictor)
    }
}

/// When visits happen (and so when measures are observed).
public struct VisitSchedule: Sendable {
    public struct Rule: Sendable {
        public internal(set) var state: Int?
        public internal(set) var withinYears: Double?
        public internal(set) var intervalYears: Double
    }

    /// Visits start when this state is entered.
    public internal(set) var fromState: Int
    public internal(set) var rules: [Rule]
    public internal(set) var jitterDays: Double
    public internal(set) var missProbability: Double
}

/// Background (life-table) mortality plus the disease's own.
public struct Mortality: Sendable {
    /// Gompertz–Makeham hazard a + b·exp(c·age) per year, per sex.
    public struct GompertzMakeham: Sendable {
        public internal(set) var a: Double
        public internal(set) var b: Double
        public internal(set) var c: Double

        public func hazard(atAge x: Double) -> Double { a + b * Foundation.exp(c * x) }

        /// The cumulative hazard between two ages.
        public func cumulative(from x0: Double, to x1: Double) -> Double {
            a * (x1 - x0) + (c == 0 ? b * (x1 - x0) : b / c * (Foundation.exp(c * x1) - Foundation.exp(c * x0)))
        }
    }

    public internal(set) var male: GompertzMakeham
    public internal(set) var female: GompertzMakeham
    /// Multiplies the background hazard (state-dependent).
    public internal(set) var hazardRatio: Predictor
    /// Added per year (state-dependent), times a piecewise multiplier by age.
    public internal(set) var excess: Predictor
    public internal(set) var excessAgeKnots: [(time: Double, multiplier: Double)]

    public func background(for sex: Sex) -> GompertzMakeham { sex == .male ? male : female }
}
