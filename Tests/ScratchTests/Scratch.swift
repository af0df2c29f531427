import DiseaseModeling
import Foundation
import Learning
import Simulation
import Testing
import ZebraTestSupport

@Suite struct Scratch {
    @Test func trainFabry() throws {
        let t = try TestSupport.shippedTemplate(ProcessInfo.processInfo.environment["DISEASE"] ?? "fabry")
        var opts = SimulationOptions(seed: 77)
        opts.registry = RegistryProtocol()
        let sim = CohortSimulator(template: t, options: opts)
        let seeds = sim.patients(0..<300, threads: 2).map { PatientSequence(timeline: $0.timeline, template: t, concepts: sim.concepts) }.filter { !$0.visits.isEmpty }
        var o = TrainingOptions()
        o.epochs = Int(ProcessInfo.processInfo.environment["EPOCHS"] ?? "60")!
        var p = TrainingPipeline(template: t, options: o, pretrainPatients: Int(ProcessInfo.processInfo.environment["PRE"] ?? "0")!, pretrainEpochs: 20)
        p.configuration = ModelConfiguration(hidden: 64, latent: 8)
        let start = Date()
        let r = p.run(seed: seeds, seedLabel: "sim") { phase, e in
            print(phase.rawValue, e.epoch, String(format: "b=%.2f train %.3f [v %.3f o %.3f e %.3f vis %.3f kl %.3f] val %.3f %.2fs", e.beta, e.training.total, e.training.values, e.training.observed, e.training.events, e.training.visits, e.training.kl, e.validation?.total ?? .nan, e.seconds))
        }
        print("seconds", Date().timeIntervalSince(start), "seq/s", r.fineTuning.sequencesPerSecond)
        let gen = ModelGenerator(simulator: CohortSimulator(template: t, options: SimulationOptions(seed: 5)), model: r.model)
        let g0 = Date()
        let ps = (0..<200).map { gen.patient($0) }
        print("gen seconds", Date().timeIntervalSince(g0), "visits", ps.map(\.visitAges.count).reduce(0,+))
        for p in ps.prefix(2) { print(p.timeline.events.prefix(30).map { "\($0.day) \($0.kind) \($0.concept) \($0.value)" }.joined(separator: "\n")) }
    }
}
