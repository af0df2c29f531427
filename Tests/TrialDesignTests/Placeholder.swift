import Testing
import Foundation
import DiseaseModeling
import Simulation
import TrialDesign

@Test func probe() throws {
    let t = try DiseaseTemplate.load(from: "DiseaseModels/friedreich-ataxia.json")
    let spec = try TrialSpecification.load(from: "DiseaseModels/trials/friedreich-ataxia-moxie.json")
    let plan = try TrialPlan(specification: spec, template: t)
    let start = Date()
    var sim = TrialSimulation(plan: plan, effect: .difference(-2), replicates: 200, seed: 3, threads: 2)
    sim.settings.treated = 40
    sim.settings.concurrentControls = 40
    sim.settings.hybridConcurrentControls = 20
    sim.settings.externalControls = 200
    sim.trainingSize = 300
    let oc = try sim.run(progress: { print($0) })
    print(oc.table())
    print(Date().timeIntervalSince(start))
}
