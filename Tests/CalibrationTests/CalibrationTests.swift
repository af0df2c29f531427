import Calibration
import DiseaseModeling
import Serialization
import TemplateLearning
import Testing
import ZebraTestSupport

/// Each shipped template against its published figures, on 2,000 simulated patients per cohort.
/// The table is printed so that a run's log shows target, source, simulated value and tolerance.
@Suite struct CalibrationTests {
    @Test(arguments: ["friedreich-ataxia", "fabry", "gaucher", "multiple-system-atrophy"])
    func templateMatchesPublishedFigures(id: String) throws {
        let template = try TestSupport.shippedTemplate(id)
        let report = try Calibration.run(template: template, patients: 2000, seed: 2024, threads: 2)
        print(report.table())
        #expect(report.checks.count >= 6)
        for check in report.checks {
            #expect(check.passed,
                    "\(check.name): simulated \(check.simulated), target \(check.target) ± \(check.tolerance)")
        }
    }

    /// The default path: the shipped learned template (DiseaseModels/<id>.model) against the same figures.
    @Test(arguments: ["friedreich-ataxia", "fabry", "gaucher", "multiple-system-atrophy"])
    func shippedLearnedTemplateMatchesPublishedFigures(id: String) throws {
        let template = try TestSupport.shippedTemplate(id)
        let path = "\(TestSupport.modelsDirectory)/\(id).model"
        let learned = try LearnedTemplate.decode(try readFileBytes(path), file: path, template: template)
        try #require(!learned.adjustments.isEmpty)
        let report = try Calibration.run(template: try learned.apply(to: template), patients: 2000, seed: 2024,
                                         threads: 2)
        print("default path (\(path)):\n" + report.table())
        #expect(report.checks.count >= 6)
        for check in report.checks {
            #expect(check.passed,
                    "\(check.name): simulated \(check.simulated), target \(check.target) ± \(check.tolerance)")
        }
    }

    @Test func unknownDiseaseHasNoTargets() throws {
        let template = try TestSupport.minimalDiseaseTemplate()
        #expect(throws: CalibrationError.self) {
            try Calibration.run(template: template, patients: 100, seed: 1, threads: 1)
        }
    }
}
