import DiseaseModeling
import Evaluation
import FHIRExport
import Foundation
import Serialization
import Simulation
import Timelines
import ZebraTestSupport

/// Cohorts simulated from the repository's templates (tests never read ../shared).
enum Fixtures {
    static let gaucher: DiseaseTemplate = try! TestSupport.shippedTemplate("gaucher")

    /// Registry-extract records (one enrolment mid-course, a few years of visits).
    static func registry(_ template: DiseaseTemplate = gaucher, count: Int, seed: UInt64) -> [PatientTimeline] {
        var options = SimulationOptions(seed: seed)
        options.registry = RegistryProtocol()
        return CohortSimulator(template: template, options: options).patients(0..<count).map(\.timeline)
    }

    /// Whole records, from diagnosis to death or the end date.
    static func whole(_ template: DiseaseTemplate = gaucher, count: Int, seed: UInt64) -> [PatientTimeline] {
        CohortSimulator(template: template, options: SimulationOptions(seed: seed)).patients(0..<count).map(\.timeline)
    }

    /// `timelines` with every value of measure `id` shifted by `delta`.
    static func shifted(_ timelines: [PatientTimeline], measure id: String, by delta: Double,
                        template: DiseaseTemplate = gaucher) -> [PatientTimeline] {
        let concept = TemplateConcepts(template).measures[template.measureIndex(id)!]
        return timelines.map { t in
            var t = t
            for i in t.events.indices where t.events[i].kind == .quantity && t.events[i].concept == concept {
                t.events[i].value += delta
            }
            return t
        }
    }

    static func options(seed: UInt64 = 1) -> EvaluationOptions {
        var o = EvaluationOptions()
        o.seed = seed
        o.threads = 2
        return o
    }

    /// Writes timelines as FHIR ndjson into a new folder `path`.
    static func writeFHIR(_ timelines: [PatientTimeline], template: DiseaseTemplate = gaucher, to path: String) throws {
        let serializer = FHIRSerializer(concepts: TemplateConcepts(template).table, source: "urn:zebra:test")
        let directory = try StagedDirectory(path: path, replaceExisting: true)
        _ = try CohortExport(format: .ndjson, serializer: serializer, threads: 2)
            .write(count: timelines.count, into: directory) { timelines[$0] }
        try directory.commit()
    }
}
