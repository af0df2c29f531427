import DiseaseModeling
import Foundation
import Simulation

/// A patient's visits as model inputs and training targets (row-major, one row per visit).
package struct EncodedSequence: Sendable {
    package var steps: Int
    package var staticFeatures: [Float]
    /// steps × contextWidth.
    package var context: [Float]
    /// steps × observationWidth: residual and observed flag per measure.
    package var observation: [Float]
    /// steps × measures: normalised residual targets (0 where not observed) and observed flags.
    package var residualTarget: [Float]
    package var observed: [Float]
    /// steps × events: 1 when the event happened since the previous visit; weight 1 only for
    /// visits after the first and events not yet recorded.
    package var eventTarget: [Float]
    package var eventWeight: [Float]
    /// steps × events: the template's log-odds of each event since the previous visit.
    package var eventOffset: [Float]
    /// steps: log years to the next visit (weight 0 at the last visit), and end-of-sequence flags.
    package var gapTarget: [Float]
    package var gapWeight: [Float]
    package var endTarget: [Float]
}

/// Turns patient sequences into features, using the template's expected course for each patient.
package struct FeatureEncoder: Sendable {
    package let schema: SequenceSchema
    package let template: DiseaseTemplate

    package init(schema: SequenceSchema, template: DiseaseTemplate) {
        self.schema = schema
        self.template = template
    }

    /// The smallest gap between visits the model works with (one day).
    static let minimumGapYears = 1.0 / 365.25

    package func staticFeatures(_ s: PatientSequence) -> [Float] {
        var f: [Float] = [s.sex == .male ? 1 : 0]
        for (i, slot) in schema.attributes.enumerated() {
            if slot.categories > 0 {
                var onehot = [Float](repeating: 0, count: slot.categories)
                if let c = s.categories[i], c < slot.categories { onehot[c] = 1 }
                f += onehot
            } else if let x = s.numbers[i] {
                f += [Float((x - slot.mean) / slot.sd), 1]
            } else {
                f += [0, 0]
            }
        }
        f.append(Float((s.onsetAge ?? 0) / 50))
        f.append(s.onsetAge == nil ? 0 : 1)
        f.append(Float((s.diagnosisAge ?? s.onsetAge ?? 0) / 50))
        f.append(Float((Double(s.birth.components.year) - 1970) / 30))
        return f
    }

    /// Context of one visit: where it falls in the course and what the template expects there.
    package func context(age: Double, previousAge: Double?, onsetAge: Double?, diagnosisAge: Double?,
                        expected: [Double], treatmentOn: [Bool], treatmentYears: [Double],
                        eventStatus: [Bool]) -> [Float] {
        var f: [Float] = [
            Float(age / 50),
            Float(onsetAge.map { (age - $0) / 20 } ?? 0),
            Float(diagnosisAge.map { (age - $0) / 20 } ?? 0),
            previousAge == nil ? 1 : 0,
            Float(previousAge.map { log(max(age - $0, Self.minimumGapYears)) } ?? 0),
        ]
        for m in 0..<schema.measures {
            f.append(Float((schema.transformed(expected[m], measure: m) - schema.measureMean[m]) / schema.measureSD[m]))
        }
        for t in 0..<schema.treatments { f.append(treatmentOn[t] ? 1 : 0) }
        for t in 0..<schema.treatments { f.append(Float(treatmentYears[t] / 10)) }
        for e in 0..<schema.events { f.append(eventStatus[e] ? 1 : 0) }
        return f
    }

    /// Normalised residual on the measure's modelling scale, clipped to ±10 SD so that one wild
    /// value cannot dominate training.
    func residual(_ observed: Double, expected: Double, measure m: Int) -> Float {
        let departure = schema.transformed(observed, measure: m) - schema.transformed(expected, measure: m)
        return Float(min(max(departure / schema.measureSD[m], -10), 10))
    }

    /// Expected course for a sequence with events recorded up to `cutoff`.
    func expectedCourse(_ s: PatientSequence, eventsUntil cutoff: Double, until age: Double) -> LatentCourse {
        ExpectedCourse.compute(template: template, history: s.history(eventsUntil: cutoff), until: age)
    }

    package func encode(_ s: PatientSequence) -> EncodedSequence {
        let steps = s.visits.count
        let (m, e) = (schema.measures, schema.events)
        var out = EncodedSequence(
            steps: steps, staticFeatures: staticFeatures(s), context: [], observation: [],
            residualTarget: [Float](repeating: 0, count: steps * m), observed: [Float](repeating: 0, count: steps * m),
            eventTarget: [Float](repeating: 0, count: steps * e), eventWeight: [Float](repeating: 0, count: steps * e),
            eventOffset: [Float](repeating: 0, count: steps * e),
            gapTarget: [Float](repeating: 0, count: steps), gapWeight: [Float](repeating: 0, count: steps),
            endTarget: [Float](repeating: 0, count: steps))
        out.context.reserveCapacity(steps * schema.contextWidth)
        out.observation.reserveCapacity(steps * schema.observationWidth)
        guard let lastAge = s.visits.last?.age else { return out }
        var courses: [[Bool]: LatentCourse] = [:]
        for (t, visit) in s.visits.enumerated() {
            let previous = t > 0 ? s.visits[t - 1].age : nil
            let cutoff = previous ?? visit.age
            let status = schema.eventIndices.map { idx in s.eventAges[idx].map { $0 <= cutoff } ?? false }
            let course: LatentCourse
            if let cached = courses[status] { course = cached } else {
                course = expectedCourse(s, eventsUntil: cutoff, until: lastAge)
                courses[status] = course
            }
            let expected = (0..<m).map { course.value(ofMeasure: $0, atAge: visit.age) }
            out.context += context(age: visit.age, previousAge: previous, onsetAge: s.onsetAge,
                                   diagnosisAge: s.diagnosisAge, expected: expected,
                                   treatmentOn: (0..<schema.treatments).map { s.onTreatment($0, at: visit.age) },
                                   treatmentYears: (0..<schema.treatments).map {
                                       s.yearsOnTreatment($0, at: visit.age)
                                   },
                                   eventStatus: status)
            for k in 0..<m {
                let value = visit.values[k]
                if value.isNaN {
                    out.observation += [0, 0]
                } else {
                    let r = residual(value, expected: expected[k], measure: k)
                    out.observation += [r, 1]
                    out.residualTarget[t * m + k] = r
                    out.observed[t * m + k] = 1
                }
            }
            if t > 0 {
                for (j, idx) in schema.eventIndices.enumerated() where !status[j] {
                    out.eventWeight[t * e + j] = 1
                    out.eventOffset[t * e + j] = schema.eventHazards.logOdds(event: j, from: s.visits[t - 1].age,
                                                                             to: visit.age)
                    if let a = s.eventAges[idx], a <= visit.age { out.eventTarget[t * e + j] = 1 }
                }
            }
            if t + 1 < steps {
                out.gapTarget[t] = Float(log(max(s.visits[t + 1].age - visit.age, Self.minimumGapYears)))
                out.gapWeight[t] = 1
            } else {
                out.endTarget[t] = 1
            }
        }
        return out
    }
}
