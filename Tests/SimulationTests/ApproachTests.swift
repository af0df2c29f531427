import DiseaseModeling
import Foundation
import Testing
import ZebraTestSupport
@testable import Simulation

/// A treatment's step toward a goal (`approach`) and the progression after it: an event later in the course
/// starts a new trajectory segment, and the measure must keep the progression it made on treatment instead
/// of being pulled back to the goal set at treatment start (issue 15: Huntington's and Duchenne templates
/// saw motor scores fall back at every later event).
@Suite struct ApproachTests {
    static func template() throws -> DiseaseTemplate {
        let text = TestSupport.minimalTemplate.replacingOccurrences(
            of: #"{"measure": "score", "slopeMultiply": 0.5}"#,
            with: #"{"measure": "score", "approach": {"add": 10, "halfLifeYears": 0.1}}"#)
        return try DiseaseTemplate.decode(Array(text.utf8), file: "approach.json")
    }

    @Test(arguments: [UInt64(3), 4])
    func progressionOnTreatmentSurvivesLaterEvents(seed: UInt64) throws {
        let t = try Self.template()
        let drug = t.stateIndex(ofTreatment: 0), complication = t.stateIndex("complication")!
        let options = SimulationOptions(seed: seed, endDate: nil, treatmentsEnabled: true, requireDiagnosis: false)
        let people = CohortSimulator(template: t, options: options).patients(0..<1500, threads: 2)
        var checked = 0
        for p in people {
            let c = p.course
            // Treated long before a complication (the approach has converged), still alive 2 years after it,
            // and nothing else changing the slope in between.
            guard let start = c.entryAge(of: drug), let event = c.entryAge(of: complication),
                  event > start + 3, c.deathAge > event + 2,
                  c.exitAge(of: drug, after: start).map({ $0 > event + 2 }) ?? true else { continue }
            let changes = c.stateChanges.filter { $0.age > start && $0.age < event + 2 && $0.state != complication }
            guard changes.isEmpty else { continue }
            let before = c.value(ofMeasure: 0, atAge: event)
            let after = c.value(ofMeasure: 0, atAge: event + 2)
            let slope = try #require(c.segments[0].last { $0.startAge <= event }).slope
            guard before > 1, after < 99 else { continue }  // away from the floor and the ceiling
            // After the event the measure moves with its slope; it is not pulled back toward the old goal.
            #expect(abs(after - (before + 2 * slope)) < 1e-6, "before \(before), after \(after), slope \(slope)")
            checked += 1
        }
        #expect(checked >= 20)
    }

    /// A symptomatic drug (`wearsOff`): stopping it takes the added amount back, so two years after the
    /// stop the measure is where the untreated course would be; without `wearsOff` the gain stays.
    @Test(arguments: [true, false])
    func aStoppedSymptomaticDrugTakesItsBenefitBack(wearsOff: Bool) throws {
        let flag = wearsOff ? #", "wearsOff": true"# : ""
        let text = TestSupport.minimalTemplate.replacingOccurrences(
            of: #""effects": [{"measure": "score", "slopeMultiply": 0.5}]"#,
            with: #""stop": {"ratePerYear": 0.3}, "effects": [{"measure": "score", "approach": {"add": -10, "#
                + #""halfLifeYears": 0.05"# + flag + "}}]")
        #expect(text.contains("ratePerYear"))
        let t = try DiseaseTemplate.decode(Array(text.utf8), file: "wears-off.json")
        let drug = t.stateIndex(ofTreatment: 0)
        let options = SimulationOptions(seed: 9, endDate: nil, treatmentsEnabled: true, requireDiagnosis: false)
        let people = CohortSimulator(template: t, options: options).patients(0..<1500, threads: 2)
        var returns: [Double] = []
        for p in people {
            let c = p.course
            guard let start = c.entryAge(of: drug), let stop = c.exitAge(of: drug, after: start), stop > start + 1,
                  c.deathAge > stop + 2 else { continue }
            // Nothing else changes the course from a year before the stop to two years after it.
            guard c.stateChanges.allSatisfy({ $0.age <= start || $0.age >= stop + 2 || $0.state == drug }) else {
                continue
            }
            let slope = try #require(c.segments[0].last { $0.startAge <= stop }).slope
            let atStop = c.value(ofMeasure: 0, atAge: stop), later = c.value(ofMeasure: 0, atAge: stop + 2)
            guard atStop > 1, later < 89 else { continue }  // away from the floor and the ceiling
            returns.append(later - atStop - 2 * slope)
        }
        try #require(returns.count >= 20)
        for r in returns {
            // The 10 points come back within two years (40 half-lives), or none of them do.
            #expect(abs(r - (wearsOff ? 10 : 0)) < 1e-3, "change beyond the slope \(r)")
        }
    }
}
