import DiseaseModeling
import Foundation
import Randomness
import Simulation

extension ModelGenerator: ScheduledObservationGenerator {
    /// What the model expects a record to show at a fixed schedule of visits (a trial's): per
    /// visit and measure, the mean recorded value and its SD, on the measure's own scale.
    ///
    /// The record starts at the first scheduled visit (as a registry record starts at enrolment);
    /// the course (events, treatments) is the template's; the patient's latent code is drawn from
    /// `random`, so each patient keeps their own departures from the template across visits.
    package func scheduledValues(for patient: SimulatedPatient, at ages: [Double], random: inout RandomStream)
        -> [[ModelledValue]] {
        guard let first = ages.first else { return [] }
        let template = simulator.template
        let schema = model.schema
        let course = patient.course
        let m = schema.measures
        let z = model.latentPrior.sample((0..<model.configuration.latent).map { _ in random.nextNormal() })
        var sequence = recordedHistory(of: course, until: first)
        let staticFeatures = encoder.staticFeatures(sequence)
        var hidden = [Float](repeating: 0, count: model.configuration.hidden)
        var flags = [Float](repeating: 0, count: schema.observationWidth)
        var result: [[ModelledValue]] = []
        var previous: Double?
        for age in ages {
            // Events the record would hold by the previous visit (the template's course).
            let cutoff = previous ?? first
            for e in schema.eventIndices where sequence.eventAges[e] == nil {
                if let a = course.entryAge(of: template.stateIndex(ofEvent: e)), a <= cutoff {
                    sequence.eventAges[e] = a
                }
            }
            let status = schema.eventIndices.map { sequence.eventAges[$0] != nil }
            let expectedCourse = ExpectedCourse.compute(template: template, history: sequence.history(),
                                                        until: max(age, first))
            let expected = (0..<m).map { expectedCourse.value(ofMeasure: $0, atAge: age) }
            let out = decoderStep(z: z, staticFeatures: staticFeatures, sequence: sequence, age: age,
                                  previous: previous, expected: expected, status: status, flags: flags, hidden: &hidden)
            let o = model.outputs
            var visit: [ModelledValue] = []
            for k in 0..<m {
                let sd = exp(0.5 * Double(min(max(out[o.residualLogVariance + k], -9), 6)))
                    * model.residualScale[k * SequenceVAE.calibrationBuckets
                        + min(result.count, SequenceVAE.calibrationBuckets - 1)]
                let centre = schema.transformed(expected[k], measure: k)
                    + Double(out[o.residualMean + k]) * schema.measureSD[k]
                let mean = schema.untransformed(centre, measure: k)
                // On the log scale the recording SD is the delta-method SD at the mean.
                let naturalSD = schema.logScale[k] ? mean * sd * schema.measureSD[k] : sd * schema.measureSD[k]
                visit.append(ModelledValue(mean: mean, sd: naturalSD))
                flags[2 * k + 1] = 1
            }
            result.append(visit)
            previous = age
        }
        return result
    }

    /// A course's facts as a record would know them up to `age`: only events a record can show,
    /// since the model never learns from unrecorded states.
    func recordedHistory(of course: LatentCourse, until age: Double) -> PatientSequence {
        let template = simulator.template
        return PatientSequence(
            id: "", sex: course.sex, birth: course.birth,
            categories: template.attributes.indices.map {
                course.context.categories[$0] >= 0 ? course.context.categories[$0] : nil
            },
            numbers: template.attributes.indices.map {
                course.context.numbers[$0].isNaN ? nil : course.context.numbers[$0]
            },
            onsetAge: course.entryAge(of: DiseaseTemplate.onsetState),
            diagnosisAge: course.entryAge(of: DiseaseTemplate.diagnosisState),
            eventAges: template.events.indices.map { e in
                guard template.events[e].record != .none else { return nil }
                return course.entryAge(of: template.stateIndex(ofEvent: e)).flatMap { $0 <= age ? $0 : nil }
            },
            treatmentPeriods: template.treatments.indices.map { t in
                let state = template.stateIndex(ofTreatment: t)
                guard let start = course.entryAge(of: state) else { return [] }
                return [(start, course.exitAge(of: state, after: start))]
            },
            deathAge: course.deathAge, visits: [])
    }
}
