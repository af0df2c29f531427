import DiseaseModeling
import Simulation
import Timelines

/// Runs the calibration checks defined for a template's disease.
package enum Calibration {
    /// The diseases with calibration targets.
    package static let diseases = ["friedreich-ataxia", "fabry", "gaucher", "duchenne", "huntington", "multiple-system-atrophy", "pompe-late-onset", "progressive-supranuclear-palsy", "spinal-muscular-atrophy"]

    /// Simulates `patients` patients per cohort and compares with the published figures.
    package static func run(template: DiseaseTemplate, patients: Int, seed: UInt64,
                            threads: Int) throws(CalibrationError) -> CalibrationReport {
        let checks: [CalibrationCheck]
        let cohorts = CalibrationCohorts(template: template, patients: patients, seed: seed, threads: threads)
        switch template.id {
        case "friedreich-ataxia": checks = FriedreichCalibration(cohorts).checks()
        case "fabry": checks = FabryCalibration(cohorts).checks()
        case "gaucher": checks = GaucherCalibration(cohorts).checks()
        case "pompe-late-onset": checks = PompeCalibration(cohorts).checks()
        case "duchenne": checks = DuchenneCalibration(cohorts).checks()
        case "progressive-supranuclear-palsy": checks = ProgressiveSupranuclearPalsyCalibration(cohorts).checks()
        case "spinal-muscular-atrophy": checks = SpinalMuscularAtrophyCalibration(cohorts).checks()
        case "huntington": checks = HuntingtonCalibration(cohorts).checks()
        case "multiple-system-atrophy": checks = MultipleSystemAtrophyCalibration(cohorts).checks()
        default:
            throw CalibrationError(message: "no calibration targets are defined for \"\(template.id)\"; "
                + "calibrated diseases: \(diseases.joined(separator: ", "))")
        }
        return CalibrationReport(disease: template.name, templateVersion: template.version, patients: patients,
                                 seed: seed, checks: checks)
    }
}

/// The simulated cohorts calibration figures are computed on.
struct CalibrationCohorts {
    let template: DiseaseTemplate
    let concepts: TemplateConcepts
    /// Whole lives, no treatment: natural history as the older literature saw it.
    let untreated: [SimulatedPatient]
    /// Whole lives with treatments as the template says.
    let treated: [SimulatedPatient]

    init(template: DiseaseTemplate, patients: Int, seed: UInt64, threads: Int) {
        self.template = template
        concepts = TemplateConcepts(template)
        let natural = SimulationOptions(seed: seed, endDate: nil, treatmentsEnabled: false, requireDiagnosis: false)
        untreated = CohortSimulator(template: template, options: natural).patients(0..<patients, threads: threads)
        var withTreatment = natural
        withTreatment.treatmentsEnabled = true
        withTreatment.seed = seed &+ 1
        treated = CohortSimulator(template: template, options: withTreatment).patients(0..<patients, threads: threads)
    }

    func state(_ name: String) -> Int {
        guard let s = template.stateIndex(name) else {
            preconditionFailure("calibration refers to unknown state \(name)")
        }
        return s
    }

    func measure(_ id: String) -> Int {
        guard let m = template.measureIndex(id) else {
            preconditionFailure("calibration refers to unknown measure \(id)")
        }
        return m
    }

    func attribute(_ id: String) -> Int {
        guard let a = template.attributeIndex(id) else {
            preconditionFailure("calibration refers to unknown attribute \(id)")
        }
        return a
    }

    /// Observed values of a measure in a patient's record: (age, value).
    func observations(of m: Int, in patient: SimulatedPatient) -> [(age: Double, value: Double)] {
        let concept = concepts.measures[m]
        return patient.timeline.events.compactMap { e in
            e.kind == .quantity && e.concept == concept ? (patient.timeline.age(on: e.day), e.value) : nil
        }
    }
}
