import DiseaseModeling
import Foundation

/// Helpers shared by the test targets: the repository's files (found from this file's path, so
/// tests pass from any working directory), temporary folders and a small valid template to break
/// in controlled ways. Every test target that needs one of these depends on ZebraTestSupport;
/// none keeps its own copy.
package enum TestSupport {
    /// The repository root, found from this file's path (Tests/ZebraTestSupport/TestSupport.swift),
    /// never from the current directory; tests read only the repository's own files (never ../shared).
    package static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The repository's DiseaseModels folder: shipped templates and models.
    package static var modelsDirectory: String { repositoryRoot + "/DiseaseModels" }

    /// The example trial specifications, DiseaseModels/trials.
    package static var trialsDirectory: String { modelsDirectory + "/trials" }

    /// The ids of the shipped disease templates (every DiseaseModels/*.json but the schema), sorted:
    /// per-disease tests take their arguments from here, so a new template is tested without editing them.
    package static let shippedDiseases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: modelsDirectory)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }
            .map { String($0.dropLast(".json".count)) }
            .sorted()
    }()

    /// A shipped template, loaded and validated.
    package static func shippedTemplate(_ id: String) throws -> DiseaseTemplate {
        try DiseaseTemplate.load(from: "\(modelsDirectory)/\(id).json")
    }

    /// `minimalTemplate`, decoded and validated.
    package static func minimalDiseaseTemplate() throws -> DiseaseTemplate {
        try DiseaseTemplate.decode(Array(minimalTemplate.utf8), file: "toy.json")
    }

    /// A fresh path under the system's temporary directory that does not exist yet: for output
    /// folders a command must create itself (commands refuse to write into an existing one).
    package static func temporaryPath(_ label: String = "zebra") -> String {
        (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    }

    /// A fresh empty folder under the system's temporary directory (unique per call, so
    /// parallel tests never share one).
    package static func temporaryDirectory(_ label: String = "zebra") throws -> String {
        let path = temporaryPath(label)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A minimal valid template exercising every section, as JSON text.
    package static let minimalTemplate = """
    {
      "format": "zebra-disease-template",
      "formatVersion": 1,
      "id": "toy",
      "name": "Toy disease",
      "description": "A small template for tests.",
      "version": "0.1.0",
      "sources": {"book": "A textbook"},
      "condition": {"text": "Toy disease", "codes": [{"system": "local", "code": "toy"}]},
      "population": {"birthDates": {"from": "1950-01-01", "to": "2000-12-31"}, "sex": {"male": 0.5, "female": 0.5}},
      "attributes": [
        {"id": "subtype", "text": "Subtype", "type": "categorical", "codes": [{"system": "local", "code": "subtype"}],
         "values": [{"id": "a", "codes": [{"system": "local", "code": "a"}]}, {"id": "b", "codes": [{"system": \
    "local", "code": "b"}]}],
         "probabilities": {"male": {"a": 0.7, "b": 0.3}, "female": {"a": 0.4, "b": 0.6}}},
        {"id": "repeats", "text": "Repeats", "type": "continuous", "codes": [{"system": "local", "code": "repeats"}],
         "unit": "{repeats}", "distribution": {"normal": {"mean": 500, "sd": 100}, "min": 100, "max": 900}}
      ],
      "randomEffects": [{"id": "speed"}, {"id": "level"}],
      "correlations": [{"between": ["speed", "level"], "r": 0.5, "source": "book"}],
      "onset": {"age": {"lognormal": {"median": 20, "sigma": 0.3}, "source": "book"}},
      "diagnosis": {"delay": {"fixed": 1}},
      "measures": [
        {"id": "score", "text": "Score", "codes": [{"system": "local", "code": "score"}], "unit": "{score}", \
    "decimals": 1,
         "start": "onset", "initial": 10, "slope": {"value": 2, "effects": [{"state": "milestone", "multiply": 0.5}, \
    {"randomEffect": "speed", "sd": 0.5}]},
         "floor": 0, "ceiling": 100, "noise": {"sd": 1}}
      ],
      "events": [
        {"id": "milestone", "text": "Milestone", "codes": [{"system": "snomed", "code": "123"}],
         "trigger": {"threshold": {"measure": "score", "above": 40}}},
        {"id": "complication", "text": "Complication", "codes": [{"system": "snomed", "code": "456"}],
         "requires": ["onset"], "trigger": {"hazard": {"rate": 0.05, "clock": "onset"}}}
      ],
      "treatments": [
        {"id": "drug", "text": "Drug", "codes": [{"system": "local", "code": "drug"}], "availableFrom": "1990-01-01",
         "start": {"requires": ["diagnosis"], "probability": 0.5, "delay": {"exponential": {"mean": 1}}},
         "effects": [{"measure": "score", "slopeMultiply": 0.5}]}
      ],
      "visits": {"from": "diagnosis", "rules": [{"intervalMonths": 12}], "jitterDays": 10, "missProbability": 0.1},
      "mortality": {"background": {"model": "gompertz-makeham", "male": {"a": 0.0009, "b": 0.00005, "c": 0.088},
                                   "female": {"a": 0.0004, "b": 0.00002, "c": 0.094}},
                    "excess": {"value": 0, "effects": [{"state": "milestone", "add": 0.02}]}}
    }
    """
}
