import DiseaseModeling
import Foundation
import Timelines

/// One patient as the analysis sees them: baseline covariates and endpoint data, all read from
/// the record (observed values), whatever the record came from.
package struct TrialSubject: Sendable {
    package var id: String
    package var indexDay: CalendarDay
    /// Baseline covariates in the plan's column order; NaN where the record lacks one.
    package var covariates: [Double]
    /// The endpoint measure at each trial visit (index 0 is the baseline); NaN when not recorded.
    package var values: [Double]
    /// Years from the index date to the endpoint event or to censoring (time-to-event endpoints).
    package var time: Double
    package var event: Bool

    /// A subject with the given data (see the properties).
    package init(id: String, indexDay: CalendarDay, covariates: [Double], values: [Double], time: Double, event: Bool) {
        self.id = id
        self.indexDay = indexDay
        self.covariates = covariates
        self.values = values
        self.time = time
        self.event = event
    }

    /// The baseline value of the endpoint measure (NaN when missing or not a measure endpoint).
    package var baseline: Double { values.first ?? .nan }

    /// The endpoint value for a measure endpoint (change or slope), NaN when it cannot be formed.
    package func outcome(_ plan: TrialPlan) -> Double {
        Self.outcome(values, plan: plan)
    }

    static func outcome(_ values: [Double], plan: TrialPlan) -> Double {
        guard let b = values.first, b.isFinite else { return .nan }
        switch plan.specification.endpoint {
        case .change:
            return values[plan.endpointVisit] - b
        case .slope:
            var n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
            for k in 0...plan.endpointVisit where values[k].isFinite {
                let x = plan.visitYears[k], y = values[k]
                n += 1; sx += x; sy += y; sxx += x * x; sxy += x * y
            }
            let d = n * sxx - sx * sx
            return n >= 2 && d > 0 ? (n * sxy - sx * sy) / d : .nan
        case .timeToEvent:
            return .nan
        }
    }
}

/// What the generator knows about a simulated patient's follow-up beyond the record: the
/// noise-free endpoint measure and the noise drawn at each visit, and the event and death
/// times, so that a treatment effect can be imposed without simulating the patient again.
struct LatentFollowUp: Sendable {
    /// Noise-free endpoint measure per visit (NaN when the visit did not happen or the measure was not recorded).
    var truth: [Double]
    /// The standard-normal noise of each visit's observation.
    var noise: [Double]
    /// Years from the index date to the endpoint event in natural history (infinity: never).
    var eventTime: Double
    /// Years from the index date to death.
    var deathTime: Double
    /// Per measure, the noise-free value at the index visit (the model's when there is one).
    var baseline: [Double] = []
}

/// A measure's observation model: noise, clamping and rounding as the template says.
struct ObservationModel: Sendable {
    var noiseSD: Double
    var noiseCV: Double
    var floor: Double
    var ceiling: Double
    var decimals: Int

    init(_ m: MeasureDefinition) {
        noiseSD = m.noiseSD
        noiseCV = m.noiseCV
        floor = m.floor
        ceiling = m.ceiling
        decimals = m.concept.decimals
    }

    func clamp(_ x: Double) -> Double { min(max(x, floor), ceiling) }

    /// The recorded value for a noise-free value and a standard-normal draw (template noise, or
    /// the given recording SD).
    func observe(_ truth: Double, _ z: Double, sd given: Double? = nil) -> Double {
        let sd = given ?? (noiseSD * noiseSD + (noiseCV * truth) * (noiseCV * truth)).squareRoot()
        let scale = Foundation.pow(10, Double(max(decimals, 0)))
        return (clamp(truth + sd * z) * scale).rounded() / scale
    }
}
