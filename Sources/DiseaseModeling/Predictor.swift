import Foundation
import Timelines

/// What a patient-level quantity may depend on, resolved to indices at load time.
package enum Variable: Sendable, Hashable {
    /// Current age in years at the moment of evaluation.
    case age
    /// Current calendar year (fractional) at the moment of evaluation.
    case calendarYear
    /// A continuous attribute's value.
    case attribute(Int)
    /// The age at which a state was entered (absent before it is entered).
    case stateAge(Int)
}

/// The conditions under which an effect applies; all that are set must hold.
package struct EffectCondition: Sendable, Hashable {
    package var sex: Sex?
    /// A categorical attribute and the index of the value it must have.
    package var category: (attribute: Int, value: Int)?
    /// States that must all be active.
    package var requiredStates: UInt64 = 0
    /// States that must all be inactive.
    package var forbiddenStates: UInt64 = 0
    /// A variable that must lie in `[atLeast, below)`.
    package var range: (variable: Variable, atLeast: Double, below: Double)?

    package init() {}

    package static func == (a: EffectCondition, b: EffectCondition) -> Bool {
        a.sex == b.sex && a.category?.attribute == b.category?.attribute && a.category?.value == b.category?.value
            && a.requiredStates == b.requiredStates && a.forbiddenStates == b.forbiddenStates
            && a.range?.variable == b.range?.variable && a.range?.atLeast == b.range?.atLeast
            && a.range?.below == b.range?.below
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(sex)
        hasher.combine(requiredStates)
        hasher.combine(forbiddenStates)
    }
}

/// What an effect does to the value it modifies.
package enum EffectAction: Sendable, Hashable {
    case add(Double)
    case multiply(Double)
    /// Adds `amount` per `per` units of the variable above `center`.
    case addPer(variable: Variable, center: Double, per: Double, amount: Double)
    /// Multiplies by `factor` per `per` units of the variable above `center`.
    case multiplyPer(variable: Variable, center: Double, per: Double, factor: Double)
    /// Adds `exp(intercept + slope × x)`: a term that vanishes or explodes along the variable, as in
    /// Langbehn's onset age from CAG length (`21.54 + exp(9.556 − 0.146 CAG)`), which is not log-linear.
    case addExp(variable: Variable, intercept: Double, slope: Double)
    /// Adds `sd × z` where z is the patient's standard-normal random effect.
    case randomAdd(effect: Int, sd: Double)
    /// Multiplies by `exp(σz − σ²/2)`: log-normal heterogeneity that keeps the mean.
    case randomMultiply(effect: Int, logSd: Double)
}

/// One conditional modification of a predictor's value.
package struct Effect: Sendable, Hashable {
    package var condition: EffectCondition
    package var action: EffectAction

    package init(condition: EffectCondition, action: EffectAction) {
        self.condition = condition
        self.action = action
    }
}

/// A patient-level quantity: `(base + Σ additions) × Π multipliers`, each term applying only
/// when its condition holds. Written in a template as a number or `{ "value": …, "effects": […] }`.
package struct Predictor: Sendable, Hashable {
    package var base: Double
    package var effects: [Effect]
    /// Bounds the value is clamped to (`min`/`max` in a template), e.g. a patient-specific
    /// threshold that must stay in a clinically possible range.
    package var minimum: Double?
    package var maximum: Double?

    package init(_ base: Double, effects: [Effect] = []) {
        self.base = base
        self.effects = effects
    }

    /// Whether the value can change with anything about the patient.
    package var isConstant: Bool { effects.isEmpty }

    /// The value for a patient in a given situation.
    @inlinable
    package func value(in context: PatientContext) -> Double {
        if effects.isEmpty { return base }
        var sum = base
        var factor = 1.0
        for effect in effects where context.satisfies(effect.condition) {
            switch effect.action {
            case .add(let a): sum += a
            case .multiply(let m): factor *= m
            case .addPer(let variable, let center, let per, let amount):
                let x = context.value(of: variable)
                if !x.isNaN { sum += amount * (x - center) / per }
            case .multiplyPer(let variable, let center, let per, let f):
                let x = context.value(of: variable)
                if !x.isNaN { factor *= Foundation.pow(f, (x - center) / per) }
            case .addExp(let variable, let intercept, let slope):
                let x = context.value(of: variable)
                if !x.isNaN { sum += Foundation.exp(intercept + slope * x) }
            case .randomAdd(let index, let sd):
                sum += sd * context.randomEffects[index]
            case .randomMultiply(let index, let logSd):
                factor *= Foundation.exp(logSd * context.randomEffects[index] - 0.5 * logSd * logSd)
            }
        }
        let value = sum * factor
        if minimum == nil && maximum == nil { return value }
        return Swift.min(Swift.max(value, minimum ?? -.infinity), maximum ?? .infinity)
    }

    /// The variables this predictor reads, for checks on where it may be used.
    package var variablesRead: Set<Variable> {
        var result = Set<Variable>()
        for effect in effects {
            if let range = effect.condition.range { result.insert(range.variable) }
            switch effect.action {
            case .addPer(let v, _, _, _), .multiplyPer(let v, _, _, _), .addExp(let v, _, _): result.insert(v)
            default: break
            }
        }
        return result
    }
}

/// Everything a predictor may read about one patient at one moment.
package struct PatientContext: Sendable {
    package var sex: Sex
    /// Per attribute: the index of its categorical value, or -1 for continuous attributes.
    package var categories: [Int]
    /// Per attribute: its numeric value, or NaN for categorical attributes.
    package var numbers: [Double]
    /// The patient's standard-normal random effects.
    package var randomEffects: [Double]
    /// Bit i set when state i is active.
    package var activeStates: UInt64 = 0
    /// Age at which each state was entered, NaN if never.
    package var stateAges: [Double]
    package var age: Double = 0
    package var birthYear: Double = 1970

    package init(sex: Sex, categories: [Int], numbers: [Double], randomEffects: [Double], stateCount: Int) {
        self.sex = sex
        self.categories = categories
        self.numbers = numbers
        self.randomEffects = randomEffects
        stateAges = [Double](repeating: .nan, count: stateCount)
    }

    @inlinable
    package func value(of variable: Variable) -> Double {
        switch variable {
        case .age: age
        case .calendarYear: birthYear + age
        case .attribute(let i): numbers[i]
        case .stateAge(let i): stateAges[i]
        }
    }

    @inlinable
    package func satisfies(_ c: EffectCondition) -> Bool {
        if let sex = c.sex, sex != self.sex { return false }
        if activeStates & c.requiredStates != c.requiredStates { return false }
        if activeStates & c.forbiddenStates != 0 { return false }
        if let category = c.category, categories[category.attribute] != category.value { return false }
        if let range = c.range {
            let x = value(of: range.variable)
            if x.isNaN || x < range.atLeast || x >= range.below { return false }
        }
        return true
    }

    @inlinable
    package func isActive(_ state: Int) -> Bool { activeStates & (1 << UInt64(state)) != 0 }
}
