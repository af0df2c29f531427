import DiseaseModeling
import Foundation
import NeuralNetworks
import Randomness
import Simulation
import Timelines

/// Generates multi-decade records from template + model.
///
/// The template simulates each patient's course (attributes, onset, diagnosis, treatments,
/// death); the model generates what a record shows from the first visit on: when visits happen,
/// which measures are recorded, their values as departures from the template's expectation for
/// this patient, and the milestones and complications since the previous visit. Patient `i`
/// depends only on the seed and `i`, as in template-only simulation.
package struct ModelGenerator: Sendable {
    package let simulator: CohortSimulator
    package let model: SequenceVAE
    let encoder: FeatureEncoder
    let builder: TimelineBuilder

    /// Bounds on generated gaps between visits, in years.
    static let gapRange = (1.0 / 52, 5.0)
    static let maximumVisits = 400

    package init(simulator: CohortSimulator, model: SequenceVAE) {
        self.simulator = simulator
        self.model = model
        encoder = FeatureEncoder(schema: model.schema, template: simulator.template)
        builder = TimelineBuilder(template: simulator.template, concepts: simulator.concepts)
    }

    /// A generator for `template` with default simulation options, for visit schedules the caller
    /// fixes (a trial's, through `scheduledValues`).
    package init(template: DiseaseTemplate, model: SequenceVAE) {
        self.init(simulator: CohortSimulator(template: template, options: SimulationOptions()), model: model)
    }

    package func patient(_ index: Int) -> SimulatedPatient {
        var base = simulator.patient(index)
        guard let first = base.firstVisitAge else { return base }
        let template = simulator.template
        let schema = model.schema
        let course = base.course
        var random = RandomStream(seed: simulator.options.seed ^ 0x6D6F_6465_6C00_0000, stream: UInt64(index))
        let (l, m, e) = (model.configuration.latent, schema.measures, schema.events)
        let z = model.latentPrior.sample((0..<l).map { _ in random.nextNormal() })
        // What the record knows: the template course's facts, events only up to the first visit.
        var sequence = recordedHistory(of: course, until: first)
        sequence.id = base.timeline.id
        let staticFeatures = encoder.staticFeatures(sequence)
        var generatedEvents: [(age: Double, event: Int)] = course.eventOccurrences.filter { $0.age <= first }
        var visits: [RecordedVisit] = []
        var hidden = [Float](repeating: 0, count: model.configuration.hidden)
        var previousObservation = [Float](repeating: 0, count: schema.observationWidth)
        var age = first
        var previous: Double?
        var expectedCourse: LatentCourse?
        var expectedStatus: [Bool] = []
        while age < base.endAge && visits.count < Self.maximumVisits {
            let status = schema.eventIndices.map { sequence.eventAges[$0] != nil }
            if expectedCourse == nil || status != expectedStatus {
                expectedCourse = ExpectedCourse.compute(template: template, history: sequence.history(),
                                                        until: base.endAge)
                expectedStatus = status
            }
            let expected = (0..<m).map { expectedCourse!.value(ofMeasure: $0, atAge: age) }
            let out = decoderStep(z: z, staticFeatures: staticFeatures, sequence: sequence, age: age,
                                  previous: previous, expected: expected, status: status, flags: previousObservation,
                                  hidden: &hidden)
            let o = model.outputs
            // Milestones since the previous visit.
            if let previous {
                for (j, idx) in schema.eventIndices.enumerated() where !status[j] {
                    let offset = schema.eventHazards.logOdds(event: j, from: previous, to: age)
                    if random.nextUnit() < Double(sigmoid(out[o.eventLogit + j] + offset)) {
                        let when = previous + random.nextUnit() * (age - previous)
                        sequence.eventAges[idx] = when
                        generatedEvents.append((when, idx))
                    }
                }
            }
            var values = [Double](repeating: .nan, count: m)
            for k in 0..<m {
                let recorded = random.nextUnit() < Double(sigmoid(out[o.observedLogit + k]))
                let noise = random.nextNormal()
                guard recorded else { previousObservation[2 * k] = 0; previousObservation[2 * k + 1] = 0; continue }
                let sd = exp(0.5 * Double(min(max(out[o.residualLogVariance + k], -9), 6)))
                    * model.residualScale[k * SequenceVAE.calibrationBuckets
                        + min(visits.count, SequenceVAE.calibrationBuckets - 1)]
                let residual = Double(out[o.residualMean + k]) + sd * noise
                let modelled = schema.transformed(expected[k], measure: k) + residual * schema.measureSD[k]
                values[k] = builder.recordable(schema.untransformed(modelled, measure: k), measure: k)
                previousObservation[2 * k + 1] = 1
            }
            visits.append(RecordedVisit(age: age, values: values))
            let gapSD = exp(0.5 * Double(min(max(out[o.gapLogVariance], -9), 6)))
            let gap = min(max(exp(Double(out[o.gapMean]) + gapSD * random.nextNormal()), Self.gapRange.0),
                          Self.gapRange.1)
            previous = age
            age += gap
        }
        _ = e
        base.timeline = builder.timeline(id: base.timeline.id, course: course, visits: visits,
                                         eventOccurrences: generatedEvents.sorted { $0.age < $1.age },
                                         endAge: base.endAge)
        base.visitAges = visits.map(\.age)
        return base
    }

    /// One decoder step at a visit at `age`: the context the record gives, then the head's outputs.
    func decoderStep(z: [Float], staticFeatures: [Float], sequence: PatientSequence, age: Double, previous: Double?,
                     expected: [Double], status: [Bool], flags: [Float], hidden: inout [Float]) -> [Float] {
        let treatments = model.schema.treatments
        let context = encoder.context(
            age: age, previousAge: previous, onsetAge: sequence.onsetAge, diagnosisAge: sequence.diagnosisAge,
            expected: expected, treatmentOn: (0..<treatments).map { sequence.onTreatment($0, at: age) },
            treatmentYears: (0..<treatments).map { sequence.yearsOnTreatment($0, at: age) }, eventStatus: status)
        let parameters = model.store.values
        hidden = model.decoder.step(input: z + staticFeatures + context + flags, state: hidden, parameters: parameters)
        return model.decoderHead.forward(hidden, batch: 1, parameters: parameters)
    }
}
