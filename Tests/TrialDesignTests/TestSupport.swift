import DiseaseModeling
import Foundation
import Serialization
import TrialDesign

/// Shared loading for the trial-design tests (run from the package root, as `swift test` does).
enum Fixtures {
    static let models = "DiseaseModels"
    static let trials = "DiseaseModels/trials"

    static func template(_ id: String) throws -> DiseaseTemplate {
        try DiseaseTemplate.load(from: "\(models)/\(id).json")
    }

    static func plan(_ file: String) throws -> TrialPlan {
        let spec = try TrialSpecification.load(from: "\(trials)/\(file)")
        return try TrialPlan(specification: spec, template: try template(spec.disease))
    }

    /// A plan from JSON text (for error cases and variants of the examples).
    static func plan(json: String, file: String = "test-trial.json") throws -> TrialPlan {
        let spec = try TrialSpecification.decode(Array(json.utf8), file: file)
        return try TrialPlan(specification: spec, template: try template(spec.disease))
    }

    /// The MOXIe-like example with its JSON edited by `edit` (on the parsed object).
    static func moxieJSON(_ edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(trials)/friedreich-ataxia-moxie.json"))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&object)
        let out = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: out, as: UTF8.self)
    }

    /// A fresh empty folder under the system's temporary directory.
    static func temporaryFolder(_ name: String) -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("zebra-trial-tests-\(getpid())-\(name)")
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    /// The lines of an ndjson file, parsed.
    static func ndjson(_ path: String) throws -> [JSONNode] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }
}
