import Testing
import Foundation
import DiseaseModeling
import Simulation
import TrialDesign

@Test func probe() throws {
    let t = try DiseaseTemplate.load(from: "DiseaseModels/gaucher.json")
    let spec = try TrialSpecification.load(from: "DiseaseModels/trials/gaucher-spleen.json")
    let plan = try TrialPlan(specification: spec, template: t)
    let pool = try PoolSampler(plan: plan, seed: 7, threads: 2).generate(count: 300)
    var missing = 0
    for p in pool.patients where !p.subject.outcome(plan).isFinite {
        missing += 1
        if missing < 4 { print(p.subject, p.record!.death as Any, p.record!.events.filter { $0.kind == .procedure || $0.kind == .condition }.map { ($0.day, $0.concept) }, p.record!.events.filter { $0.kind == .quantity && $0.concept == plan.concepts.measures[0] }.map { ($0.day, $0.value) }) }
    }
    print("missing", missing)
}
