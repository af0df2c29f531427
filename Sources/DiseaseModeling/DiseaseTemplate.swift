import Foundation
import Timelines

/// A disease-progression template: what the literature says about a disease's natural history,
/// as data. Loaded and validated from JSON by `DiseaseTemplate.load(from:)`.
package struct DiseaseTemplate: Sendable {
    package internal(set) var id: String
    package internal(set) var name: String
    package internal(set) var description: String
    package internal(set) var version: String
    /// Citation keys → full references.
    package internal(set) var sources: [String: String]
    package internal(set) var condition: Concept
    package internal(set) var population: Population
    package internal(set) var attributes: [AttributeDefinition]
    package internal(set) var randomEffects: [String]
    /// Lower-triangular Cholesky factor of the random effects' correlation matrix (row-major).
    package internal(set) var randomEffectCholesky: [Double]
    package internal(set) var onset: Onset
    package internal(set) var diagnosis: Diagnosis
    package internal(set) var measures: [MeasureDefinition]
    package internal(set) var events: [EventDefinition]
    package internal(set) var treatments: [TreatmentDefinition]
    package internal(set) var visits: VisitSchedule
    package internal(set) var mortality: Mortality
    /// State names by index: `onset`, `diagnosis`, then events, then treatments.
    package internal(set) var stateNames: [String]
    /// Per state: the effects that apply while it is active (from its event or treatment).
    package internal(set) var stateEffects: [[StateEffect]]
    /// A digest of what the simulator and a model read from the template (prose excluded), naming
    /// which template a model was trained with.
    package internal(set) var digest: String
    /// What no record of the disease may show, beside the rules every template implies.
    package internal(set) var rules: [RecordRule] = []

    package static let onsetState = 0
    package static let diagnosisState = 1

    package func stateIndex(ofEvent i: Int) -> Int { 2 + i }
    package func stateIndex(ofTreatment i: Int) -> Int { 2 + events.count + i }

    package func measureIndex(_ id: String) -> Int? { measures.firstIndex { $0.id == id } }
    package func eventIndex(_ id: String) -> Int? { events.firstIndex { $0.id == id } }
    package func treatmentIndex(_ id: String) -> Int? { treatments.firstIndex { $0.id == id } }
    package func attributeIndex(_ id: String) -> Int? { attributes.firstIndex { $0.id == id } }
    package func stateIndex(_ name: String) -> Int? { stateNames.firstIndex(of: name) }
}

/// Who is born with the disease: birth-date window and sex ratio.
package struct Population: Sendable {
    package internal(set) var birthFrom: CalendarDay
    package internal(set) var birthTo: CalendarDay
    package internal(set) var maleProbability: Double
    /// Named populations the literature describes with a mix of their own (a region, a referral
    /// setting); none is used unless chosen (`zebra simulate --population ID`).
    package internal(set) var variants: [PopulationVariant] = []

    /// The variant named `id`, if the template has one.
    package func variant(_ id: String) -> PopulationVariant? { variants.first { $0.id == id } }
}

/// A named population's published composition: its sex ratio and categorical attribute mixes,
/// which replace the template's for a cohort drawn from it; everything else is the template's.
package struct PopulationVariant: Sendable, Equatable {
    /// A categorical attribute's value shares in this population, in the attribute's value order.
    package struct Mix: Sendable, Equatable {
        package var attribute: Int
        package var shares: [Double]
    }

    package internal(set) var id: String
    package internal(set) var text: String
    /// The male share, when the population's is published (nil: the template's).
    package internal(set) var maleProbability: Double?
    package internal(set) var mixes: [Mix]
    /// A key of the template's `sources`, or an "assumption:" text.
    package internal(set) var source: String
}

/// A lifelong patient attribute.
package struct AttributeDefinition: Sendable {
    package enum Kind: Sendable {
        case continuous(Distribution)
        /// Value names and, per sex, their probabilities.
        case categorical(values: [String], male: [Double], female: [Double])
    }

    package internal(set) var id: String
    package internal(set) var concept: Concept
    package internal(set) var kind: Kind
    /// Codes for each categorical value (empty for continuous attributes).
    package internal(set) var valueConcepts: [Concept]
    /// Whether the attribute is written as an Observation at the first visit.
    package internal(set) var recordedAtFirstVisit: Bool
    /// The day its test first existed: it is recorded at the first visit on or after it.
    package internal(set) var availableFrom: CalendarDay?

    package var isCategorical: Bool {
        if case .categorical = kind { return true }
        return false
    }

    package var categoryValues: [String] {
        if case .categorical(let values, _, _) = kind { return values }
        return []
    }
}

/// Age at symptom onset.
package struct Onset: Sendable {
    package internal(set) var probability: Predictor
    package internal(set) var age: Distribution
}

/// Age at diagnosis: a delay after onset, or an age of its own (e.g. family screening).
package struct Diagnosis: Sendable {
    package enum Timing: Sendable {
        case delayAfterOnset(Distribution)
        case age(Distribution)
    }

    package internal(set) var probability: Predictor
    package internal(set) var timing: Timing
}

/// A continuous measure (score, lab value, organ volume) with a piecewise trajectory.
package struct MeasureDefinition: Sendable {
    package internal(set) var id: String
    package internal(set) var concept: Concept
    /// The state at which the trajectory starts (nil: birth).
    package internal(set) var startState: Int?
    package internal(set) var initial: Predictor
    /// Change per year; may depend on states (phase, milestones, treatments).
    package internal(set) var slope: Predictor
    package internal(set) var floor: Double
    package internal(set) var ceiling: Double
    package internal(set) var noiseSD: Double
    package internal(set) var noiseCV: Double
    /// Chance that a visit records this measure.
    package internal(set) var observeProbability: Double
    /// Record at every n-th visit only (1 = every visit).
    package internal(set) var observeEvery: Int
    /// The state from which the measure is recorded (nil: from the first visit).
    package internal(set) var observeFrom: Int?
    /// A state during which the measure is not recorded (e.g. spleen volume after splenectomy).
    package internal(set) var observeUnless: Int?
    /// The day the test (or scale, or equation) was first published or sold: never recorded before.
    package internal(set) var availableFrom: CalendarDay?
    /// The youngest age at which the test is valid (e.g. an adult-only equation); 0 for any age.
    package internal(set) var minimumAge: Double = 0
    /// The reference interval a report prints beside a value (by sex), when the template gives one.
    package internal(set) var referenceRange: ReferenceRange?
    /// The axis reports draw the values on: log for right-skewed values spread over decades.
    package internal(set) var plotScale: PlotScale = .linear

    /// Whether the test existed on `day` and is valid at `age`.
    package func exists(on day: CalendarDay, atAge age: Double) -> Bool {
        age >= minimumAge && availableFrom.map { day >= $0 } ?? true
    }
}

/// How reports space a measure's values on a chart axis; display only, never a model input.
package enum PlotScale: String, Sendable, Equatable, CaseIterable {
    case linear
    /// Log10, for right-skewed values (lyso-Gb3, proteinuria) whose spread between patients spans decades.
    case log
}

/// A measure's reference interval (normal range): either bound may be open, women may differ,
/// and children may have bands of their own or none.
package struct ReferenceRange: Sendable, Equatable {
    /// The bounds below an age, for both sexes (a child's haemoglobin).
    package struct Band: Sendable, Equatable {
        package var belowAge: Double
        package var low: Double?
        package var high: Double?
    }

    package var low: Double?
    package var high: Double?
    package var femaleLow: Double?
    package var femaleHigh: Double?
    /// Below this age no interval applies (an adult cut-off); 0 for any age.
    package var fromAge: Double = 0
    /// Younger patients' bands in increasing `belowAge`; the first that covers an age is used.
    package var younger: [Band] = []

    /// The adult bounds for a patient of `sex`.
    package func bounds(for sex: Sex) -> (low: Double?, high: Double?) {
        sex == .female ? (femaleLow ?? low, femaleHigh ?? high) : (low, high)
    }

    /// The bounds for a patient of `sex` at `age`; both nil when no interval applies.
    package func bounds(for sex: Sex, atAge age: Double) -> (low: Double?, high: Double?) {
        if age < fromAge { return (nil, nil) }
        if let band = younger.first(where: { age < $0.belowAge }) { return (band.low, band.high) }
        return bounds(for: sex)
    }
}

/// A milestone or complication: a dated event that enters a state and may be recorded.
package struct EventDefinition: Sendable {
    package enum Record: String, Sendable { case condition, procedure, none }

    package enum Trigger: Sendable {
        /// The first time a measure's (noise-free) value crosses a threshold.
        case threshold(measure: Int, below: Bool, value: Predictor)
        /// A hazard per year, times a piecewise multiplier on a clock (age, or time since a state).
        case hazard(rate: Predictor, clockState: Int?, knots: [(time: Double, multiplier: Double)])
        /// With some probability, at a sampled delay after a state is entered.
        case incidence(probability: Predictor, delay: Distribution, fromState: Int?)
    }

    package internal(set) var id: String
    package internal(set) var concept: Concept
    package internal(set) var record: Record
    /// States that must be active for the event to happen.
    package internal(set) var requiredStates: UInt64
    package internal(set) var trigger: Trigger
    package internal(set) var recurrent: Bool
    /// What the event changes from then on (e.g. splenectomy raising platelets).
    package internal(set) var effects: [StateEffect]
}

/// A treatment: who starts it and when, and what it changes.
package struct TreatmentDefinition: Sendable {
    package enum Record: String, Sendable { case medicationStatement, procedure }

    package internal(set) var id: String
    package internal(set) var concept: Concept
    package internal(set) var record: Record
    package internal(set) var availableFrom: CalendarDay?
    package internal(set) var requiredStates: UInt64
    package internal(set) var minimumAge: Double
    package internal(set) var probability: Predictor
    package internal(set) var delay: Distribution
    package internal(set) var stopRatePerYear: Double
    package internal(set) var effects: [StateEffect]
}

/// What an event or treatment changes while its state is active.
package enum StateEffect: Sendable {
    case measureSlope(measure: Int, multiply: Predictor, add: Predictor)
    /// Exponential approach from the value at entry towards a target, with a half-life. With
    /// `wearsOff`, an added amount is taken back, with the same half-life, when the state is left (a
    /// symptomatic drug stopped); otherwise the value reached stays (a course changed for good).
    case measureApproach(measure: Int, target: ApproachTarget, halfLifeYears: Double, wearsOff: Bool = false)
    case eventHazard(event: Int, ratio: Predictor)
    case mortalityHazard(ratio: Predictor)

    package enum ApproachTarget: Sendable {
        case fraction(Predictor)
        case add(Predictor)
        /// Towards a value; with `.rising` or `.falling` only in that direction: a value already past the
        /// target stays where it is (a treatment that raises platelets never lowers them).
        case toward(Predictor, ApproachDirection)
    }

    package enum ApproachDirection: String, Sendable {
        case either, rising, falling
    }
}

/// When visits happen (and so when measures are observed).
package struct VisitSchedule: Sendable {
    package struct Rule: Sendable {
        package internal(set) var state: Int?
        package internal(set) var withinYears: Double?
        package internal(set) var intervalYears: Double
    }

    /// Visits start when this state is entered.
    package internal(set) var fromState: Int
    package internal(set) var rules: [Rule]
    package internal(set) var jitterDays: Double
    package internal(set) var missProbability: Double
}

/// Background (life-table) mortality plus the disease's own.
package struct Mortality: Sendable {
    /// Gompertz–Makeham hazard a + b·exp(c·age) per year, per sex.
    package struct GompertzMakeham: Sendable {
        package internal(set) var a: Double
        package internal(set) var b: Double
        package internal(set) var c: Double

        package func hazard(atAge x: Double) -> Double { a + b * Foundation.exp(c * x) }

        /// The cumulative hazard between two ages.
        package func cumulative(from x0: Double, to x1: Double) -> Double {
            a * (x1 - x0) + (c == 0 ? b * (x1 - x0) : b / c * (Foundation.exp(c * x1) - Foundation.exp(c * x0)))
        }
    }

    package internal(set) var male: GompertzMakeham
    package internal(set) var female: GompertzMakeham
    /// Multiplies the background hazard (state-dependent).
    package internal(set) var hazardRatio: Predictor
    /// Added per year (state-dependent), times a piecewise multiplier by age.
    package internal(set) var excess: Predictor
    package internal(set) var excessAgeKnots: [(time: Double, multiplier: Double)]
    /// Causes of death, recorded with the death; empty when the template names none.
    package internal(set) var causes: [DeathCause] = []

    package func background(for sex: Sex) -> GompertzMakeham { sex == .male ? male : female }

    /// The cause that takes the background hazard and the general excess.
    package var backgroundCause: Int? { causes.firstIndex { $0.takesBackground } }
}

/// A cause of death: its code, the excess hazard that dies of it, and what must precede it.
package struct DeathCause: Sendable {
    package internal(set) var id: String
    package internal(set) var concept: Concept
    /// Excess hazard per year (state-dependent), beside the general excess (0 for the background cause).
    package internal(set) var excess: Predictor
    /// Whether this cause also takes the background (life-table) hazard and the general excess.
    package internal(set) var takesBackground: Bool
    /// Events one of which must be recorded before a death of this cause (e.g. cardiomyopathy).
    package internal(set) var requiredEvents: [Int]
}

extension Mortality {
    /// The concept of the Observation that records a cause of death (LOINC 69453-9).
    package static let causeOfDeathConcept = Concept(
        key: "cause-of-death", kind: .attribute, text: "Cause of death",
        codes: [ClinicalCode(system: "http://loinc.org", code: "69453-9",
                             display: "Cause of death [US Standard Certificate of Death]")])
}
