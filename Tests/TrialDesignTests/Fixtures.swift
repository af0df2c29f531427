import DiseaseModeling
import Foundation
import Serialization
import TrialDesign
import ZebraTestSupport

/// Trial plans for the trial-design tests, from the repository's example trials (found through
/// ZebraTestSupport from the source path, so the tests pass from any working directory).
enum Fixtures {
    static func plan(_ file: String) throws -> TrialPlan {
        let spec = try TrialSpecification.load(from: "\(TestSupport.trialsDirectory)/\(file)")
        return try TrialPlan(specification: spec, template: try TestSupport.shippedTemplate(spec.disease))
    }

    /// A plan from JSON text (for error cases and variants of the examples).
    static func plan(json: String, file: String = "test-trial.json") throws -> TrialPlan {
        let spec = try TrialSpecification.decode(Array(json.utf8), file: file)
        return try TrialPlan(specification: spec, template: try TestSupport.shippedTemplate(spec.disease))
    }

    /// The MOXIe-like example with its JSON edited by `edit` (on the parsed object).
    static func moxieJSON(_ edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        try exampleJSON("friedreich-ataxia-moxie.json", edit)
    }

    /// An example trial with its JSON edited by `edit` (on the parsed object).
    static func exampleJSON(_ file: String, _ edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(TestSupport.trialsDirectory)/" + file))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&object)
        let out = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: out, as: UTF8.self)
    }

    /// A trial simulation of `plan` with a trial's sizes (treated, concurrent, hybrid concurrent
    /// and external controls per replicate) and the pool size.
    static func simulation(_ plan: TrialPlan, effect: TreatmentEffect, replicates: Int, seed: UInt64,
                           designs: [TrialDesignKind], treated: Int, concurrent: Int, hybrid: Int, external: Int,
                           pool: Int, pools: Int = 1) -> TrialSimulation {
        var sim = TrialSimulation(plan: plan, effect: effect, replicates: replicates, seed: seed, threads: 2,
                                  designs: designs)
        sim.settings.treated = treated
        sim.settings.concurrentControls = concurrent
        sim.settings.hybridConcurrentControls = hybrid
        sim.settings.externalControls = external
        sim.poolSize = pool
        sim.pools = pools
        return sim
    }

    /// The lines of an ndjson file, parsed.
    static func ndjson(_ path: String) throws -> [JSONNode] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }
}
