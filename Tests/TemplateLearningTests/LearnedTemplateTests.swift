import DiseaseModeling
import Foundation
import TemplateLearning
import Testing
import Timelines
import ZebraTestSupport

/// Adjustments apply where they say, and a learned-template file refuses damage and the wrong template.
@Suite struct LearnedTemplateTests {
    @Test func adjustmentsChangeOnlyWhatTheyName() throws {
        let fabry = try TestSupport.shippedTemplate("fabry")
        let adjusted = try fabry.adjusted(by: [
            TemplateAdjustment(target: .sexMix, value: 0.7),
            TemplateAdjustment(target: .measureSlope(measure: "egfr"), condition: .init(sex: .female), value: 2),
            TemplateAdjustment(target: .visitInterval, value: 0.5),
        ])
        #expect(adjusted.population.maleProbability == 0.7)
        let egfr = try #require(fabry.measureIndex("egfr"))
        #expect(adjusted.measures[egfr].slope.effects.count == fabry.measures[egfr].slope.effects.count + 1)
        #expect(adjusted.visits.rules.map(\.intervalYears) == fabry.visits.rules.map { $0.intervalYears * 0.5 })
        // The slope doubles for women and stays for men, in the same situation.
        for (sex, factor) in [(Sex.female, 2.0), (.male, 1.0)] {
            var context = PatientContext(sex: sex, categories: [0], numbers: [.nan],
                                         randomEffects: [Double](repeating: 0, count: fabry.randomEffects.count),
                                         stateCount: fabry.stateNames.count)
            context.activeStates = 1 << UInt64(DiseaseTemplate.onsetState)
            let before = fabry.measures[egfr].slope.value(in: context)
            #expect(abs(adjusted.measures[egfr].slope.value(in: context) - factor * before) < 1e-12)
        }
        #expect(adjusted.digest == fabry.digest)
    }

    /// Each shipped model still loads against its shipped template: prose and display keys (notes,
    /// reference ranges, plot scales) may change, the digest the model was trained against may not.
    @Test(arguments: ["friedreich-ataxia", "fabry", "gaucher", "duchenne"])
    func shippedModelsMatchTheirTemplatesDigest(id: String) throws {
        let template = try TestSupport.shippedTemplate(id)
        let path = "\(TestSupport.modelsDirectory)/\(id).model"
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let learned = try LearnedTemplate.decode(bytes, file: path, template: template)
        #expect(learned.templateDigest == template.digest)
    }

    /// A mortality multiplier reaches every cause of death, not only the general excess.
    @Test func mortalityAdjustmentsScaleEachCausesExcess() throws {
        let fabry = try TestSupport.shippedTemplate("fabry")
        let renal = try #require(fabry.mortality.causes.firstIndex { $0.id == "renal" })
        let esrd = try #require(fabry.eventIndex("esrd"))
        let adjusted = try fabry.adjusted(by: [TemplateAdjustment(target: .mortality, condition: .init(sex: .male),
                                                                  value: 2)])
        for (sex, factor) in [(Sex.male, 2.0), (.female, 1.0)] {
            var context = PatientContext(sex: sex, categories: [0], numbers: [.nan],
                                         randomEffects: [Double](repeating: 0, count: fabry.randomEffects.count),
                                         stateCount: fabry.stateNames.count)
            context.activeStates = 1 << UInt64(fabry.stateIndex(ofEvent: esrd))
            let before = fabry.mortality.causes[renal].excess.value(in: context)
            #expect(before > 0.1)
            #expect(abs(adjusted.mortality.causes[renal].excess.value(in: context) - factor * before) < 1e-12)
        }
    }

    @Test func impossibleAdjustmentsAreRefusedWithTheirReason() throws {
        let fabry = try TestSupport.shippedTemplate("fabry")
        #expect(throws: AdjustmentError.self) {
            try fabry.adjusted(by: [TemplateAdjustment(target: .eventRate(event: "esrd"), value: 2)])
        }
        #expect(throws: AdjustmentError.self) {
            try fabry.adjusted(by: [TemplateAdjustment(target: .measureSlope(measure: "nope"), value: 2)])
        }
        #expect(throws: AdjustmentError.self) {
            try fabry.adjusted(by: [TemplateAdjustment(target: .categoryMix(attribute: "phenotype"), value: 1,
                                                       male: [1], female: [1])])
        }
    }

    @Test func aLearnedTemplateFileRoundTripsAndRefusesDamage() throws {
        let fabry = try TestSupport.shippedTemplate("fabry")
        let learned = LearnedTemplate(
            template: fabry, learning: LearningRecord(seedRecords: "x", patients: 3, rounds: 1, twinsPerPatient: 1,
                                                      seed: 1),
            adjustments: [TemplateAdjustment(target: .mortality, condition: .init(sex: .male), value: 1.5)])
        let bytes = try learned.encoded()
        #expect(try LearnedTemplate.decode(bytes, file: "f", template: fabry) == learned)
        var damaged = bytes
        damaged[bytes.count / 2] ^= 1
        #expect(throws: LearnedTemplateError.self) { try LearnedTemplate.decode(damaged, file: "f") }
        #expect(throws: LearnedTemplateError.self) { try LearnedTemplate.decode(Array(bytes.dropLast(5)), file: "f") }
        let gaucher = try TestSupport.shippedTemplate("gaucher")
        #expect(throws: LearnedTemplateError.self) { try LearnedTemplate.decode(bytes, file: "f", template: gaucher) }
    }
}
