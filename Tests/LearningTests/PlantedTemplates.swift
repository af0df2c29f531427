import DiseaseModeling
import Learning
import Simulation
import Statistics
import Timelines

/// A small disease for learning tests: a score rising about 1 point a year from onset, with
/// measurement noise, and optionally a planted effect the base template does not know.
enum PlantedTemplates {
    static let text = """
    {
      "format": "zebra-disease-template", "formatVersion": 1, "id": "planted", "name": "Planted", "description": \
    "test", "version": "1",
      "condition": {"text": "Planted disease", "codes": [{"system": "local", "code": "planted"}]},
      "population": {"birthDates": {"from": "1950-01-01", "to": "1995-12-31"}, "sex": {"male": 0.5, "female": 0.5}},
      "attributes": [
        HIDDEN
        {"id": "marker", "text": "Marker", "type": "continuous", "codes": [{"system": "local", "code": "marker"}],
         "unit": "{units}", "decimals": 2, "distribution": {"normal": {"mean": 0, "sd": 1}}}
      ],
      "randomEffects": [{"id": "speed"}],
      "onset": {"age": {"normal": {"mean": 20, "sd": 4}, "min": 5}},
      "diagnosis": {"delay": {"fixed": 1}},
      "measures": [
        {"id": "score", "text": "Score", "codes": [{"system": "local", "code": "score"}], "unit": "{score}", \
    "decimals": 1,
         "start": "onset", "initial": 10, "slope": {"value": 1.0, "effects": [{"randomEffect": "speed", "sd": 0.15} \
    PLANT]},
         "floor": 0, "ceiling": 500, "noise": {"sd": 1}}
      ],
      "events": [
        {"id": "milestone", "text": "Milestone", "codes": [{"system": "snomed", "code": "123"}],
         "trigger": {"threshold": {"measure": "score", "above": 45}}}
      ],
      "visits": {"from": "diagnosis", "rules": [{"intervalMonths": 12}], "jitterDays": 20, "missProbability": 0.05},
      "mortality": {"background": {"model": "gompertz-makeham", "male": {"a": 0.0009, "b": 0.00005, "c": 0.088},
                                   "female": {"a": 0.0004, "b": 0.00002, "c": 0.094}}}
    }
    """

    static let hiddenSubgroup = #"{"id": "hidden", "text": "Hidden", "type": "categorical", "codes": [{"system": "#
        + #""local", "code": "hidden"}], "values": [{"id": "slow", "codes": [{"system": "local", "code": "slow"}]}, "#
        + #"{"id": "fast", "codes": [{"system": "local", "code": "fast"}]}], "probabilities": {"all": {"slow": 0.85, "#
        + #""fast": 0.15}}, "record": "none"},"#

    /// The base template (what the model is trained with) and the planted one (what made the seeds).
    static func pair(hidden: Bool, plant: String) throws -> (base: DiseaseTemplate, planted: DiseaseTemplate) {
        let attribute = hidden ? hiddenSubgroup : ""
        let base = text.replacingOccurrences(of: "HIDDEN", with: attribute).replacingOccurrences(of: "PLANT", with: "")
        let planted = text.replacingOccurrences(of: "HIDDEN", with: attribute)
            .replacingOccurrences(of: "PLANT", with: plant)
        return (try DiseaseTemplate.decode(Array(base.utf8), file: "base.json"),
                try DiseaseTemplate.decode(Array(planted.utf8), file: "planted.json"))
    }

    static var registry: SimulationOptions {
        var options = SimulationOptions(seed: 3)
        options.registry = RegistryProtocol()
        return options
    }

    /// Per-patient least-squares slopes of the score over the first `window` years of a record
    /// (at least 3 values over 2 years).
    static func slopes(_ patients: [SimulatedPatient], measure: Int32, window: Double = 6)
        -> [(index: Int, slope: Double)] {
        patients.compactMap { p in
            let obs = p.timeline.events.filter { $0.kind == .quantity && $0.concept == measure }
                .map { (age: p.timeline.age(on: $0.day), value: $0.value) }
            guard let first = obs.first else { return nil }
            let w = obs.filter { $0.age - first.age <= window }
            guard w.count >= 3, w.last!.age - w.first!.age >= 2,
                  let fit = try? LinearRegression.fit(response: w.map(\.value),
                                                      regressors: [Regressor("t", w.map(\.age))]) else { return nil }
            return (p.index, fit.coefficients[1])
        }
    }

    static func sequences(_ patients: [SimulatedPatient], base: DiseaseTemplate) -> [PatientSequence] {
        let concepts = TemplateConcepts(base)
        return patients.map { PatientSequence(timeline: $0.timeline, template: base, concepts: concepts) }.filter {
            !$0.visits.isEmpty
        }
    }
}
