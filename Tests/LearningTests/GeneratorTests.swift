import DiseaseModeling
import Parallelism
import Simulation
import Testing
import Timelines
import ZebraTestSupport
@testable import Learning

@Suite struct GeneratorTests {
    func model(_ template: DiseaseTemplate) -> SequenceVAE {
        var options = SimulationOptions(seed: 4)
        options.registry = RegistryProtocol()
        let simulator = CohortSimulator(template: template, options: options)
        let sequences = simulator.patients(0..<150, threads: 2).map {
            PatientSequence(timeline: $0.timeline, template: template, concepts: simulator.concepts)
        }
        var training = TrainingOptions()
        training.epochs = 15
        return TrainingPipeline(template: template, configuration: ModelConfiguration(hidden: 16, latent: 4),
                                options: training, pretrainPatients: 100, pretrainEpochs: 5)
            .run(seed: sequences.filter { !$0.visits.isEmpty }, seedLabel: "t").model
    }

    /// Multi-decade records from diagnosis to death or the end date, valid and deterministic.
    @Test(arguments: ["fabry", "gaucher"])
    func generatesValidMultiDecadeRecords(id: String) throws {
        let template = try TestSupport.shippedTemplate(id)
        let generator = ModelGenerator(simulator: CohortSimulator(template: template,
                                                                  options: SimulationOptions(seed: 12)),
                                       model: model(template))
        let patients = parallelMap(count: 80, threads: 2) { generator.patient($0) }
        #expect(patients.map(\.timeline.id) == (0..<80).map { generator.patient($0).timeline.id })
        var longest = 0.0, values = 0
        for p in patients {
            let t = p.timeline
            #expect(t.events
                == t.events.sorted { $0.day != $1.day ? $0.day < $1.day : $0.kind.rawValue < $1.kind.rawValue })
            #expect(t.events.allSatisfy { $0.day >= t.birth && $0.day <= t.followUpEnd })
            for e in t.events where e.kind == .quantity {
                if let m = generator.simulator.concepts.measures.firstIndex(of: e.concept) {
                    #expect(e.value >= template.measures[m].floor && e.value <= template.measures[m].ceiling)
                    values += 1
                }
            }
            if let first = p.visitAges.first, let last = p.visitAges.last { longest = max(longest, last - first) }
            // Visits run to the end of the record (the last gap is at most the generator's 5-year cap).
            if let last = p.visitAges.last { #expect(p.endAge - last <= 5.01) }
        }
        #expect(longest > 20, "longest generated follow-up \(longest) years")
        // The range check is not vacuous: thousands of generated values (5,928 fabry, 8,024 gaucher).
        #expect(values > 1_000, "\(values) measure values generated")
        // Treatments, diagnosis and death come from the template course.
        for p in patients {
            #expect(p.timeline.death
                == CohortSimulator(template: template,
                                   options: SimulationOptions(seed: 12)).patient(p.index).timeline.death)
        }
    }
}
