import Testing
import Timelines
import ZebraTestSupport
@testable import DiseaseModeling

/// Reference intervals at the patient's age: children's bands, adult cut-offs, women's bounds.
@Suite struct ReferenceRangeTests {
    @Test func haemoglobinFollowsTheWHOThresholdsByAgeAndSex() throws {
        let gaucher = try TestSupport.shippedTemplate("gaucher")
        let range = try #require(gaucher.measures.first { $0.id == "hemoglobin" }?.referenceRange)
        #expect(range.bounds(for: .male, atAge: 3).low == 11.0)
        #expect(range.bounds(for: .female, atAge: 8).low == 11.5)
        #expect(range.bounds(for: .male, atAge: 14.9).low == 12.0)
        #expect(range.bounds(for: .male, atAge: 15).low == 13.0)
        #expect(range.bounds(for: .female, atAge: 40).low == 12.0)
    }

    @Test func adultCutOffsDoNotApplyToChildren() throws {
        let fabry = try TestSupport.shippedTemplate("fabry")
        let lvmi = try #require(fabry.measures.first { $0.id == "lvmi" }?.referenceRange)
        #expect(lvmi.bounds(for: .male, atAge: 12).high == nil && lvmi.bounds(for: .male, atAge: 12).low == nil)
        #expect(lvmi.bounds(for: .female, atAge: 30).high == 47)
        let upcr = try #require(fabry.measures.first { $0.id == "upcr" }?.referenceRange)
        #expect(upcr.bounds(for: .male, atAge: 1).high == 0.5)
        #expect(upcr.bounds(for: .male, atAge: 10).high == 0.2)
        #expect(upcr.bounds(for: .male, atAge: 18).high == 0.15)
    }
}
