import DiseaseModeling
import Foundation
import RecordChecks
import Simulation
@testable import TemplateLearning
import Testing
import Timelines
import ZebraTestSupport

/// Registry extracts simulated from a "truth" (the shipped template with planted adjustments),
/// learned from against the shipped template: the learner must find what was planted, leave alone
/// what was not, and generate records that keep every rule.
@Suite struct TemplateLearnerTests {
    /// A registry extract of `patients` from `template`, read back as the learner reads records.
    static func registry(_ template: DiseaseTemplate, patients: Int, seed: UInt64) -> [PatientSequence] {
        var options = SimulationOptions(seed: seed)
        options.registry = RegistryProtocol()
        let simulator = CohortSimulator(template: template, options: options)
        return simulator.patients(0..<patients, threads: 2).map {
            PatientSequence(timeline: $0.timeline, template: template, concepts: simulator.concepts)
        }
    }

    static func learn(_ base: DiseaseTemplate, from records: [PatientSequence], threads: Int = 2) throws
        -> [TemplateAdjustment] {
        var options = LearningOptions()
        options.threads = threads
        options.rounds = 6
        options.twinsPerPatient = 4
        return try TemplateLearner(template: base, options: options).learn(from: records).adjustments
    }

    static func multiplier(_ adjustments: [TemplateAdjustment], _ target: TemplateAdjustment.Target,
                           _ condition: TemplateAdjustment.Condition = .init()) -> Double {
        adjustments.first { $0.target == target && $0.condition == condition }?.value ?? 1
    }

    @Test func nothingPlantedLeavesTheTemplateAlmostAsItIs() throws {
        let fa = try TestSupport.shippedTemplate("friedreich-ataxia")
        let learned = try Self.learn(fa, from: Self.registry(fa, patients: 300, seed: 41))
        let multipliers = learned.filter { $0.target != .sexMix && $0.male == nil }.map(\.value)
        try #require(multipliers.count >= 10)
        let logs = multipliers.map { abs(log($0)) }.sorted()
        // Shrinkage keeps noise small: the median learned number is within 10 % of the template's.
        #expect(logs[logs.count / 2] < log(1.1), "median |log multiplier| \(logs[logs.count / 2])")
        let men = Self.multiplier(learned, .mortality, .init(sex: .male))
        #expect(men > 0.6 && men < 1.6, "mortality in men ×\(men) with nothing planted")
    }

    /// An X-linked disease seen only in boys stays so: learning must not invent girls (the mix's odds are
    /// infinite, and the learner's clamp to [0.01, 0.99] once made 1 % of Duchenne patients female).
    @Test func aOneSexDiseaseKeepsItsSexMix() throws {
        let dmd = try TestSupport.shippedTemplate("duchenne")
        try #require(dmd.population.maleProbability == 1)
        let records = Self.registry(dmd, patients: 200, seed: 47)
        try #require(records.count == 200)
        let learned = try Self.learn(dmd, from: records)
        let mix = learned.first { $0.target == .sexMix }?.value ?? 1
        #expect(mix == 1)
        #expect(try dmd.adjusted(by: learned).population.maleProbability == 1)
    }

    @Test func aSexEffectOnProgressionIsLearned() throws {
        let fa = try TestSupport.shippedTemplate("friedreich-ataxia")
        let truth = try fa.adjusted(by: [TemplateAdjustment(target: .measureSlope(measure: "mfars"),
                                                            condition: .init(sex: .female), value: 1.8)])
        let learned = try Self.learn(fa, from: Self.registry(truth, patients: 300, seed: 42))
        let women = Self.multiplier(learned, .measureSlope(measure: "mfars"), .init(sex: .female))
        let men = Self.multiplier(learned, .measureSlope(measure: "mfars"), .init(sex: .male))
        #expect(women / men > 1.35 && women / men < 2.4, "women ×\(women), men ×\(men); planted 1.8")
    }

    @Test func moreDeathsAreLearned() throws {
        let gaucher = try TestSupport.shippedTemplate("gaucher")
        let truth = try gaucher.adjusted(by: [TemplateAdjustment(target: .mortality, value: 2.5)])
        let learned = try Self.learn(gaucher, from: Self.registry(truth, patients: 300, seed: 43))
        for sex in Sex.allCases {
            let m = Self.multiplier(learned, .mortality, .init(sex: sex))
            #expect(m > 1.5, "mortality (\(sex)) ×\(m); planted 2.5")
        }
    }

    @Test func theRegistrysMixIsLearned() throws {
        let fabry = try TestSupport.shippedTemplate("fabry")
        let truth = try fabry.adjusted(by: [
            TemplateAdjustment(target: .categoryMix(attribute: "phenotype"), value: 1, male: [0.15, 0.85],
                               female: [0.15, 0.85]),
            TemplateAdjustment(target: .sexMix, value: 0.3),
        ])
        let learned = try fabry.adjusted(by: Self.learn(fabry, from: Self.registry(truth, patients: 300, seed: 44)))
        guard case .categorical(_, let male, let female) = learned.attributes[0].kind else {
            Issue.record("phenotype is not categorical")
            return
        }
        #expect(abs(male[1] - 0.85) < 0.1 && abs(female[1] - 0.85) < 0.1, "later-onset share \(male[1]), \(female[1])")
        #expect(abs(learned.population.maleProbability - 0.3) < 0.08)
    }

    @Test func aTreatmentResponseByGenotypeIsLearned() throws {
        let gaucher = try TestSupport.shippedTemplate("gaucher")
        let target = TemplateAdjustment.Target.treatmentResponse(treatment: "imiglucerase", measure: "spleen-mn")
        let condition = TemplateAdjustment.Condition(attribute: "genotype", value: "N370S/L444P")
        let truth = try gaucher.adjusted(by: [TemplateAdjustment(target: target, condition: condition, value: 0.3)])
        let learned = try Self.learn(gaucher, from: Self.registry(truth, patients: 300, seed: 45))
        let m = Self.multiplier(learned, target, condition)
        #expect(m < 0.7, "spleen response to ERT in N370S/L444P ×\(m); planted 0.3")
    }

    @Test func learnedRecordsKeepEveryRule() throws {
        let fabry = try TestSupport.shippedTemplate("fabry")
        let truth = try fabry.adjusted(by: [
            TemplateAdjustment(target: .measureSlope(measure: "egfr"), condition: .init(sex: .female), value: 2),
            TemplateAdjustment(target: .mortality, value: 2),
        ])
        let learned = try fabry.adjusted(by: Self.learn(fabry, from: Self.registry(truth, patients: 300, seed: 46)))
        let simulator = CohortSimulator(template: learned, options: SimulationOptions(seed: 3))
        let timelines = simulator.patients(0..<600, threads: 2).map(\.timeline)
        try #require(timelines.count == 600)
        let report = RecordChecker(template: learned, concepts: simulator.concepts).check(timelines)
        #expect(report.contradictions == 0, "\(report.text())")
        #expect(report.allHold, "\(report.text())")
    }

    @Test func learningIsTheSameOnOneThreadAndOnTwo() throws {
        let fa = try TestSupport.shippedTemplate("friedreich-ataxia")
        let records = Self.registry(fa, patients: 120, seed: 47)
        #expect(try Self.learn(fa, from: records, threads: 1) == Self.learn(fa, from: records, threads: 2))
    }
}
