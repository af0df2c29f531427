import DiseaseModeling
import Foundation
import Simulation

/// The template's own rate of each recorded event by age, among diagnosed patients: the prior
/// the model's event predictions start from.
///
/// The model predicts, at each visit, whether each milestone happened since the previous visit.
/// Seed records of a few hundred patients followed for a few years hold only a handful of such
/// events, too few to learn a rate from; so the prediction is the template's interval
/// probability (as log-odds) plus what the model learns on top. With little evidence the
/// learned part stays small and generated event rates stay those of the literature.
package struct EventHazards: Sendable, Codable, Equatable {
    /// Per event, hazard per year in one-year age bands from 0 to `bands`.
    package var hazards: [[Double]]
    package static let bands = 110

    /// Hazards estimated from `patients` whole lives simulated from the template (events after
    /// diagnosis over person-years after diagnosis, event-free and alive).
    package static func estimate(template: DiseaseTemplate, eventIndices: [Int], patients: Int = 20_000,
                                seed: UInt64 = 0x4A5A, threads: Int) -> EventHazards {
        let options = SimulationOptions(seed: seed, endDate: nil, treatmentsEnabled: true, requireDiagnosis: false)
        let people = CohortSimulator(template: template, options: options).patients(0..<patients, threads: threads)
        var result: [[Double]] = []
        for e in eventIndices {
            var events = [Double](repeating: 0, count: bands), exposure = [Double](repeating: 0, count: bands)
            let state = template.stateIndex(ofEvent: e)
            for p in people {
                guard let start = p.course.entryAge(of: DiseaseTemplate.diagnosisState) else { continue }
                let eventAge = p.course.entryAge(of: state)
                if let a = eventAge, a <= start { continue }
                let end = min(eventAge ?? p.course.deathAge, p.course.deathAge)
                var age = start
                while age < end {
                    let band = min(Int(age), bands - 1)
                    let next = min(Double(band + 1), end)
                    exposure[band] += next - age
                    age = next
                    if band == bands - 1 { break }
                }
                if let a = eventAge, a <= p.course.deathAge { events[min(Int(a), bands - 1)] += 1 }
            }
            // Bands with little exposure borrow from their neighbours (a 5-year window), summed in a
            // fixed order: a Set's order changes from run to run, and with it the last bit.
            var hazard = [Double](repeating: 0, count: bands)
            for b in 0..<bands {
                var n = 0.0, t = 0.0, w = 0
                while t < 50 && w <= 5 {
                    for k in (w == 0 ? [b] : [b - w, b + w]) where k >= 0 && k < bands {
                        n += events[k]; t += exposure[k]
                    }
                    w += 1
                }
                hazard[b] = t > 0 ? (n + 0.5) / (t + 50) : 0
            }
            result.append(hazard)
        }
        return EventHazards(hazards: result)
    }

    /// Log-odds of the event happening between two ages, for an event-free patient.
    package func logOdds(event j: Int, from a: Double, to b: Double) -> Float {
        guard j < hazards.count, b > a else { return -14 }
        var cumulative = 0.0
        var age = max(a, 0)
        while age < b {
            let band = min(Int(age), Self.bands - 1)
            let next = min(band == Self.bands - 1 ? b : Double(band + 1), b)
            cumulative += hazards[j][band] * (next - age)
            age = next
        }
        let p = min(max(1 - exp(-cumulative), 1e-6), 1 - 1e-6)
        return Float(log(p / (1 - p)))
    }
}
