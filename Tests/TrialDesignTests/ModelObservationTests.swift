import Learning
import Statistics
import Testing
import Timelines
@testable import TrialDesign
import ZebraTestSupport

/// With a sequence model attached to the plan (`zebra train --generator sequence-vae`), measures at
/// trial visits are the model's: its own per-patient departures from the template and its
/// recording spread. A model trained on template-generated registry windows must agree with the
/// template on the cohort's course while differing patient by patient.
@Suite struct ModelObservationTests {
    /// A small sequence model trained on 300 template-made registry patients (pre-trained on 500), once
    /// per test run.
    static let trained: SequenceVAE? = {
        guard let template = try? TestSupport.shippedTemplate("friedreich-ataxia") else { return nil }
        var options = TrainingOptions()
        options.epochs = 60
        options.threads = 2
        let pipeline = TrainingPipeline(template: template, configuration: ModelConfiguration(hidden: 32, latent: 4),
                                        options: options, pretrainPatients: 500, pretrainEpochs: 20)
        let seeds = pipeline.simulatedRegistry(patients: 300, seed: 2025)
        return pipeline.run(seed: seeds, seedLabel: "test").model
    }()

    static func plans() throws -> (template: TrialPlan, model: TrialPlan) {
        let template = try Fixtures.plan("friedreich-ataxia-moxie.json")
        var model = template
        model.observationModel = ModelGenerator(template: template.template, model: try #require(trained))
        model.generatorDescription = "template + model (test)"
        return (template, model)
    }

    /// Bit patterns, so that missing (NaN) values compare equal.
    static func endpointValues(_ pool: NaturalHistoryPool) -> [[UInt64]] {
        pool.patients.map { $0.subject.values.map(\.bitPattern) }
    }

    @Test func modelPoolIsDeterministicWhateverTheThreadCount() throws {
        let plan = try Self.plans().model
        let one = try PoolSampler(plan: plan, seed: 21, threads: 1).generate(count: 120)
        let two = try PoolSampler(plan: plan, seed: 21, threads: 2).generate(count: 120)
        #expect(one.patients.map(\.candidate) == two.patients.map(\.candidate))
        #expect(Self.endpointValues(one) == Self.endpointValues(two))
        #expect(one.patients.map { $0.record?.events ?? [] } == two.patients.map { $0.record?.events ?? [] })
    }

    @Test func modelDrivesTheVisitsAndAgreesWithTheTemplateOnAverage() throws {
        let (templatePlan, modelPlan) = try Self.plans()
        let withTemplate = try PoolSampler(plan: templatePlan, seed: 5, threads: 2).generate(count: 600)
        let withModel = try PoolSampler(plan: modelPlan, seed: 5, threads: 2).generate(count: 600)
        try #require(withTemplate.patients.count == 600 && withModel.patients.count == 600)
        // The same candidates, recorded differently.
        let templateByCandidate = Dictionary(uniqueKeysWithValues: withTemplate.patients.map {
            ($0.candidate, $0.subject.values)
        })
        var shared = 0, differing = 0
        for p in withModel.patients {
            guard let other = templateByCandidate[p.candidate] else { continue }
            shared += 1
            if other.map(\.bitPattern) != p.subject.values.map(\.bitPattern) { differing += 1 }
        }
        #expect(shared > 300)
        #expect(Double(differing) > 0.9 * Double(shared))
        // Every patient's noise-free baseline meets the mFARS criterion (20–80).
        let mfars = modelPlan.template.measureIndex("mfars")!
        #expect(withModel.patients.allSatisfy { (20...80).contains($0.followUp.baseline[mfars]) })
        // Cohort figures: the model was trained on template-made windows, so they should agree.
        func summary(_ pool: NaturalHistoryPool) throws -> (baseline: Double, change: Double, changeSD: Double) {
            let changes = pool.patients.map { $0.subject.values[3] - $0.subject.values[0] }.filter(\.isFinite)
            let baselines = pool.patients.map(\.subject.baseline).filter(\.isFinite)
            return (try Descriptive.mean(baselines), try Descriptive.mean(changes),
                    try Descriptive.standardDeviation(changes))
        }
        let t = try summary(withTemplate), m = try summary(withModel)
        print("MOXIe pool: baseline mFARS template \(t.baseline) model \(m.baseline); 3-year change template "
            + "\(t.change) (SD \(t.changeSD)) model \(m.change) (SD \(m.changeSD))")
        #expect(abs(m.baseline - t.baseline) < 3)
        #expect(abs(m.change - t.change) < 1.5)
        #expect(m.changeSD > 0.5 * t.changeSD && m.changeSD < 2 * t.changeSD)
    }
}
