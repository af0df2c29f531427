import DiseaseModeling
import Statistics
import Testing
import Timelines
import ZebraTestSupport
@testable import Simulation

@Suite struct CompositionTests {
    @Test func hitsTheChosenSharesAndKeepsWithinGroupDistributions() throws {
        let fabry = try TestSupport.shippedTemplate("fabry")
        var balanced = SimulationOptions(seed: 6, endDate: nil, requireDiagnosis: false)
        balanced.composition = try Composition.parse("sex=male:0.3,female:0.7 phenotype=classic:0.5,later-onset:0.5",
                                                     template: fabry)
        let people = CohortSimulator(template: fabry, options: balanced).patients(0..<2000, threads: 2)
        let males = people.filter { $0.course.sex == .male }
        let classic = people.filter { $0.course.context.categories[0] == 0 }
        #expect(abs(Double(males.count) / 2000 - 0.3) < 0.005)
        #expect(abs(Double(classic.count) / 2000 - 0.5) < 0.005)
        let classicMales = people.filter { $0.course.sex == .male && $0.course.context.categories[0] == 0 }
        #expect(abs(Double(classicMales.count) / 2000 - 0.15) < 0.005)
        // Within classic males, the course is the template's: onset ages as in an unbalanced cohort.
        let plain = CohortSimulator(template: fabry,
                                    options: SimulationOptions(seed: 7, endDate: nil, requireDiagnosis: false))
            .patients(0..<3000, threads: 2).filter { $0.course.sex == .male && $0.course.context.categories[0] == 0 }
        let onset = { (p: [SimulatedPatient]) in p.compactMap { $0.course.entryAge(of: DiseaseTemplate.onsetState) } }
        let ks = try TwoSample.kolmogorovSmirnov(onset(classicMales), onset(plain))
        #expect(ks.pValue > 0.001, "onset ages differ: KS \(ks.statistic), p \(ks.pValue)")
    }

    /// Fixing an attribute whose frequency depends on sex draws sex from P(sex | value).
    @Test func balancingAnAttributeConditionsSex() throws {
        let toy = try TestSupport.minimalDiseaseTemplate()
        var options = SimulationOptions(seed: 2, endDate: nil, requireDiagnosis: false)
        options.composition = try Composition.parse("subtype=a:0.5,b:0.5", template: toy)
        let people = CohortSimulator(template: toy, options: options).patients(0..<4000, threads: 2)
        let a = people.filter { $0.course.context.categories[0] == 0 }
        // P(male | a) = 0.5·0.7 / (0.5·0.7 + 0.5·0.4) = 0.636
        let share = Double(a.filter { $0.course.sex == .male }.count) / Double(a.count)
        #expect(abs(share - 0.636) < 0.035)
        #expect(abs(Double(a.count) / 4000 - 0.5) < 0.005)
    }

    @Test(arguments: [
        ("sex=1.2", "sum to 1"), ("height=tall:1", "cannot balance 'height'"),
        ("subtype=c:1", "'c' is not a value of subtype"), ("subtype=a:0.5,b:0.4", "sum to 1"),
        ("sex", "is not NAME=SHARES"), ("sex=0.5 sex=0.4", "balanced twice"),
    ])
    func explainsBadSpecifications(spec: String, message: String) throws {
        let toy = try TestSupport.minimalDiseaseTemplate()
        do {
            _ = try Composition.parse(spec, template: toy)
            Issue.record("accepted \(spec)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
