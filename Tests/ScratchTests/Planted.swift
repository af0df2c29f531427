import DiseaseModeling
import Foundation
import Learning
import Simulation
import Statistics
import Testing
import Timelines
import ZebraTestSupport

func noise(_ patients: [SimulatedPatient], measure: Int32, window: Double) -> Double {
    var rs: [Double] = []
    for p in patients {
        let obs = p.timeline.events.filter { $0.kind == .quantity && $0.concept == measure }.map { (p.timeline.age(on: $0.day), $0.value) }
        guard let first = obs.first else { continue }
        let w = obs.filter { $0.0 - first.0 <= window }
        guard w.count >= 4 else { continue }
        guard let fit = try? LinearRegression.fit(response: w.map(\.1), regressors: [Regressor("t", w.map(\.0))]) else { continue }
        rs.append(fit.residualStandardDeviation)
    }
    return (try? Descriptive.median(rs)) ?? .nan
}

func slopes(_ patients: [SimulatedPatient], measure: Int32, window: Double) -> [(index: Int, slope: Double)] {
    patients.compactMap { p in
        let obs = p.timeline.events.filter { $0.kind == .quantity && $0.concept == measure }.map { (p.timeline.age(on: $0.day), $0.value) }
        guard let first = obs.first else { return nil }
        let w = obs.filter { $0.0 - first.0 <= window }
        guard w.count >= 3, w.last!.0 - w.first!.0 >= 2 else { return nil }
        guard let fit = try? LinearRegression.fit(response: w.map(\.1), regressors: [Regressor("t", w.map(\.0))]) else { return nil }
        return (p.index, fit.coefficients[1])
    }
}

let plantedBase = """
{
  "format": "zebra-disease-template", "formatVersion": 1, "id": "planted", "name": "Planted", "description": "test", "version": "1",
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
    {"id": "score", "text": "Score", "codes": [{"system": "local", "code": "score"}], "unit": "{score}", "decimals": 1,
     "start": "onset", "initial": 10, "slope": {"value": 1.0, "effects": [{"randomEffect": "speed", "sd": 0.15} PLANT]},
     "floor": 0, "ceiling": 500, "noise": {"sd": 1}}
  ],
  "visits": {"from": "diagnosis", "rules": [{"intervalMonths": 12}], "jitterDays": 20, "missProbability": 0.05},
  "mortality": {"background": {"model": "gompertz-makeham", "male": {"a": 0.0009, "b": 0.00005, "c": 0.088},
                               "female": {"a": 0.0004, "b": 0.00002, "c": 0.094}}}
}
"""

func plantedTemplates(hidden: Bool, plant: String) throws -> (base: DiseaseTemplate, planted: DiseaseTemplate) {
    let hiddenAttribute = #"{"id": "hidden", "text": "Hidden", "type": "categorical", "codes": [{"system": "local", "code": "hidden"}], "values": [{"id": "slow", "codes": [{"system": "local", "code": "slow"}]}, {"id": "fast", "codes": [{"system": "local", "code": "fast"}]}], "probabilities": {"all": {"slow": 0.85, "fast": 0.15}}, "record": "none"},"#
    let base = plantedBase.replacingOccurrences(of: "HIDDEN", with: hidden ? hiddenAttribute : "").replacingOccurrences(of: "PLANT", with: "")
    let planted = plantedBase.replacingOccurrences(of: "HIDDEN", with: hidden ? hiddenAttribute : "").replacingOccurrences(of: "PLANT", with: plant)
    return (try DiseaseTemplate.decode(Array(base.utf8), file: "base.json"), try DiseaseTemplate.decode(Array(planted.utf8), file: "planted.json"))
}

@Suite struct Planted {
    func train(base: DiseaseTemplate, planted: DiseaseTemplate) -> (seed: [SimulatedPatient], model: SequenceVAE) {
        var opts = SimulationOptions(seed: 3)
        opts.registry = RegistryProtocol()
        let seedSim = CohortSimulator(template: planted, options: opts)
        let seedPatients = seedSim.patients(0..<Int(ProcessInfo.processInfo.environment["N"] ?? "400")!, threads: 2)
        let concepts = TemplateConcepts(base)
        let seeds = seedPatients.map { PatientSequence(timeline: $0.timeline, template: base, concepts: concepts) }.filter { !$0.visits.isEmpty }
        var o = TrainingOptions(); o.epochs = Int(ProcessInfo.processInfo.environment["EPOCHS"] ?? "150")!
        o.klWeight = Float(ProcessInfo.processInfo.environment["BETA"] ?? "1")!
        o.freeBits = Float(ProcessInfo.processInfo.environment["FB"] ?? "0.05")!
        var p = TrainingPipeline(template: base, options: o, pretrainPatients: Int(ProcessInfo.processInfo.environment["PRE"] ?? "500")!, pretrainEpochs: 30)
        p.configuration = ModelConfiguration(hidden: Int(ProcessInfo.processInfo.environment["H"] ?? "32")!, latent: 4)
        let start = Date()
        let r = p.run(seed: seeds, seedLabel: "planted")
        print("trained in", Date().timeIntervalSince(start), "epochs", r.fineTuning.epochs.count, "best", r.fineTuning.bestEpoch, "kl", r.fineTuning.epochs.last!.training.kl)
        return (seedPatients, r.model)
    }

    @Test func covariateSlope() throws {
        let (base, planted) = try plantedTemplates(hidden: false, plant: #", {"attribute": "marker", "addPer": 0.5}"#)
        let (seedPatients, model) = train(base: base, planted: planted)
        let measure = TemplateConcepts(base).measures[0]
        func corr(_ ps: [SimulatedPatient]) -> (Double, Int) {
            let s = slopes(ps, measure: measure, window: 6)
            let byIndex = Dictionary(uniqueKeysWithValues: ps.map { ($0.index, $0) })
            let x = s.map { byIndex[$0.index]!.course.context.numbers.last! }
            let fit = try! LinearRegression.fit(response: s.map(\.slope), regressors: [Regressor("m", x)])
            print("   coef", fit.coefficients[1], "resid sd", fit.residualStandardDeviation, "slope mean", try! Descriptive.mean(s.map(\.slope)))
            return ((try? Descriptive.pearsonCorrelation(x, s.map(\.slope))) ?? .nan, s.count)
        }
        var genOpts = SimulationOptions(seed: 99)
        genOpts.registry = RegistryProtocol()
        let templateOnly = CohortSimulator(template: base, options: genOpts).patients(0..<1000, threads: 2)
        let gen = ModelGenerator(simulator: CohortSimulator(template: base, options: genOpts), model: model)
        let generated = (0..<1000).map { gen.patient($0) }
        print("noise seed", noise(seedPatients, measure: measure, window: 6), "gen", noise(generated, measure: measure, window: 6), "visits/patient seed", Double(seedPatients.map(\.visitAges.count).reduce(0,+))/Double(seedPatients.count), "gen", Double(generated.map(\.visitAges.count).reduce(0,+))/Double(generated.count))
        print("seed corr", corr(seedPatients), "template-only", corr(templateOnly), "template+model", corr(generated))
    }

    @Test func subgroup() throws {
        let (base, planted) = try plantedTemplates(hidden: true, plant: #", {"attribute": "hidden", "equals": "fast", "multiply": 2}"#)
        let (seedPatients, model) = train(base: base, planted: planted)
        let measure = TemplateConcepts(base).measures[0]
        var genOpts = SimulationOptions(seed: 99)
        genOpts.registry = RegistryProtocol()
        let gen = ModelGenerator(simulator: CohortSimulator(template: base, options: genOpts), model: model)
        let generated = (0..<1000).map { gen.patient($0) }
        let s1 = slopes(seedPatients, measure: measure, window: 6)
        let byIndex = Dictionary(uniqueKeysWithValues: seedPatients.map { ($0.index, $0) })
        let fastSeed = s1.filter { byIndex[$0.index]!.course.context.categories[0] == 1 }.map(\.slope)
        let slowSeed = s1.filter { byIndex[$0.index]!.course.context.categories[0] == 0 }.map(\.slope)
        print("seed fast", fastSeed.count, try Descriptive.mean(fastSeed), "slow", slowSeed.count, try Descriptive.mean(slowSeed))
        let g = slopes(generated, measure: measure, window: 6).map(\.slope)
        let fastGen = g.filter { $0 > 1.5 }, slowGen = g.filter { $0 <= 1.5 }
        let all = s1.map(\.slope)
        print("seed frac above", Double(all.filter { $0 > 1.5 }.count) / Double(all.count), "gen frac", Double(fastGen.count) / Double(g.count), "gen means", try Descriptive.mean(fastGen), try Descriptive.mean(slowGen))
        let to = slopes(CohortSimulator(template: base, options: genOpts).patients(0..<1000, threads: 2), measure: measure, window: 6).map(\.slope)
        print("template-only frac above", Double(to.filter { $0 > 1.5 }.count) / Double(to.count))
    }
}
