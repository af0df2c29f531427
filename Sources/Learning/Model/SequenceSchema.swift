import DiseaseModeling
import Foundation
import Simulation
import Statistics

/// The feature layout of the sequence model for one template, with the normalisation fitted on
/// the training records. Stored in every checkpoint so that a model reads records exactly as it
/// was trained on them.
package struct SequenceSchema: Sendable, Codable, Equatable {
    package struct AttributeSlot: Sendable, Codable, Equatable {
        package var id: String
        /// Number of categorical values; 0 for a continuous attribute.
        package var categories: Int
        package var mean: Double
        package var sd: Double
    }

    package var templateID: String
    package var measureIDs: [String]
    /// Template indices of the events the model generates (those a record can show).
    package var eventIndices: [Int]
    package var eventIDs: [String]
    package var treatmentIDs: [String]
    package var attributes: [AttributeSlot]
    /// Per measure: whether values are modelled on the log scale (strictly positive, skewed
    /// measures such as lyso-Gb3, spleen volume or chitotriosidase, where departures multiply).
    package var logScale: [Bool]
    /// Mean and SD of each measure on its modelling scale.
    package var measureMean: [Double]
    package var measureSD: [Double]
    /// The template's event rates by age: the offset of the model's event predictions.
    package var eventHazards: EventHazards

    package var measures: Int { measureIDs.count }
    package var events: Int { eventIDs.count }
    package var treatments: Int { treatmentIDs.count }

    /// sex, attributes (one-hot, or standardised value + known flag), onset age + known flag,
    /// diagnosis age, birth year.
    package var staticWidth: Int {
        1 + attributes.reduce(0) { $0 + ($1.categories > 0 ? $1.categories : 2) } + 4
    }

    /// age, time since onset, time since diagnosis, first-visit flag, log gap from the previous
    /// visit, the template's expected value of each measure, treatment status and years on it,
    /// and the status of each event at the previous visit.
    package var contextWidth: Int { 5 + measures + 2 * treatments + events }

    /// Residual from the expectation and an observed flag, per measure.
    package var observationWidth: Int { 2 * measures }

    package var encoderInputWidth: Int { staticWidth + contextWidth + observationWidth }

    /// Residual mean and log-variance, observation logit per measure; event logits; end of
    /// sequence; log-gap mean and log-variance.
    package var decoderOutputWidth: Int { 3 * measures + events + 3 }

    package func decoderInputWidth(latent: Int) -> Int { latent + staticWidth + contextWidth + observationWidth }

    /// Log scale when the measure cannot reach zero and its values are more symmetric in logs.
    static func prefersLogScale(_ values: [Double], floor: Double) -> Bool {
        guard floor > 0, values.count >= 20, values.allSatisfy({ $0 > 0 }) else { return false }
        func skewness(_ x: [Double]) -> Double {
            let n = Double(x.count), mean = x.reduce(0, +) / n
            let m2 = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
            let m3 = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) * ($1 - mean) } / n
            return m2 > 0 ? m3 / Foundation.pow(m2, 1.5) : 0
        }
        return abs(skewness(values.map { Foundation.log($0) })) < abs(skewness(values))
    }

    /// A value on the measure's modelling scale.
    package func transformed(_ value: Double, measure m: Int) -> Double {
        logScale[m] ? Foundation.log(max(value, 1e-9)) : value
    }

    /// A value back from the modelling scale.
    package func untransformed(_ value: Double, measure m: Int) -> Double {
        logScale[m] ? Foundation.exp(value) : value
    }

    /// The layout for `template`, normalised on `sequences` (template expectations fill in
    /// measures that the records never show).
    package static func fit(template: DiseaseTemplate, sequences: [PatientSequence], threads: Int = 1)
        -> SequenceSchema {
        let recorded = template.events.indices.filter { template.events[$0].record != .none }
        var means: [Double] = [], sds: [Double] = [], logScale: [Bool] = []
        for m in template.measures.indices {
            let raw = sequences.flatMap { $0.visits.compactMap { $0.values[m].isNaN ? nil : $0.values[m] } }
            let useLog = Self.prefersLogScale(raw, floor: template.measures[m].floor)
            logScale.append(useLog)
            let values = useLog ? raw.map { Foundation.log($0) } : raw
            let initial = useLog ? Foundation.log(max(template.measures[m].initial.base, 1e-9))
                : template.measures[m].initial.base
            let fallback = abs(initial) + 1
            let mean = (try? Descriptive.mean(values)) ?? initial
            var sd = (try? Descriptive.standardDeviation(values)) ?? fallback
            if !(sd > 1e-6) { sd = fallback }
            means.append(mean)
            sds.append(sd)
        }
        let slots = template.attributes.enumerated().map { i, attribute -> AttributeSlot in
            if attribute.isCategorical {
                return AttributeSlot(id: attribute.id, categories: attribute.categoryValues.count, mean: 0, sd: 1)
            }
            let values = sequences.compactMap { $0.numbers[i] }
            let mean = (try? Descriptive.mean(values)) ?? 0
            let sd = (try? Descriptive.standardDeviation(values)).flatMap { $0 > 1e-9 ? $0 : nil } ?? max(abs(mean), 1)
            return AttributeSlot(id: attribute.id, categories: 0, mean: mean, sd: sd)
        }
        return SequenceSchema(templateID: template.id, measureIDs: template.measures.map(\.id),
                              eventIndices: recorded, eventIDs: recorded.map { template.events[$0].id },
                              treatmentIDs: template.treatments.map(\.id), attributes: slots,
                              logScale: logScale, measureMean: means, measureSD: sds,
                              eventHazards: EventHazards.estimate(template: template, eventIndices: recorded,
                                                                  threads: threads))
    }
}
