import DiseaseModeling
import Testing
import ZebraTestSupport
@testable import Simulation

/// Issue 15: a template's named populations (MSA: Europe, Japan, USA) set the cohort's mix.
@Suite struct PopulationVariantTests {
    func cohort(_ template: DiseaseTemplate, _ composition: Composition?, seed: UInt64) -> [SimulatedPatient] {
        var options = SimulationOptions(seed: seed, endDate: nil, requireDiagnosis: false)
        options.composition = composition
        return CohortSimulator(template: template, options: options).patients(0..<2000, threads: 2)
    }

    @Test(arguments: [UInt64(1), 2])
    func theJapanesePopulationIsMostlyCerebellar(seed: UInt64) throws {
        let msa = try TestSupport.shippedTemplate("multiple-system-atrophy")
        let japan = try #require(msa.population.variant("japan"))
        #expect(japan.maleProbability == 0.57)
        try #require(japan.mixes.count == 1)
        #expect(japan.mixes[0].shares == [0.326, 0.674])
        let subtype = try #require(msa.attributeIndex("subtype"))
        func shares(_ people: [SimulatedPatient]) -> (cerebellar: Double, men: Double) {
            let n = Double(people.count)
            return (Double(people.filter { $0.course.context.categories[subtype] == 1 }.count) / n,
                    Double(people.filter { $0.course.sex == .male }.count) / n)
        }
        let japanese = cohort(msa, Composition(population: japan), seed: seed)
        try #require(japanese.count == 2000)
        let j = shares(japanese)
        #expect(abs(j.cerebellar - 0.674) < 0.005)
        #expect(abs(j.men - 0.57) < 0.005)
        // Without a population the template's European mix stands.
        let european = shares(cohort(msa, nil, seed: seed))
        #expect(abs(european.cerebellar - 0.32) < 0.035)
        #expect(abs(european.men - 0.5) < 0.035)
    }

    /// `--balance` overrides the variables it names and keeps the population's others.
    @Test func balanceOverridesThePopulationsVariable() throws {
        let msa = try TestSupport.shippedTemplate("multiple-system-atrophy")
        let japan = Composition(population: try #require(msa.population.variant("japan")))
        let merged = japan.overridden(by: try Composition.parse("subtype=msa-p:1,msa-c:0", template: msa))
        try #require(merged.variables.count == 2)
        #expect(merged.variables[0].attribute == nil && merged.variables[0].shares[0] == 0.57)
        #expect(abs(merged.variables[0].shares[1] - 0.43) < 1e-12)
        #expect(merged.variables[1].shares == [1, 0])
        let people = cohort(msa, merged, seed: 3)
        try #require(people.count == 2000)
        #expect(people.allSatisfy { $0.course.context.categories[0] == 0 })
        #expect(abs(Double(people.filter { $0.course.sex == .male }.count) / 2000 - 0.57) < 0.005)
    }
}
