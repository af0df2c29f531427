import DiseaseModeling
import Simulation
import Timelines

/// Runs the calibration checks defined for a template's disease.
package enum Calibration {
    /// Each calibrated disease and the checks that compare its simulated cohorts with published figures.
    private static let targets: [(id: String, checks: @Sendable (CalibrationCohorts) -> [CalibrationCheck])] = [
        ("friedreich-ataxia", { FriedreichCalibration($0).checks() }),
        ("fabry", { FabryCalibration($0).checks() }),
        ("gaucher", { GaucherCalibration($0).checks() }),
        ("duchenne", { DuchenneCalibration($0).checks() }),
        ("huntington", { HuntingtonCalibration($0).checks() }),
        ("multiple-system-atrophy", { MultipleSystemAtrophyCalibration($0).checks() }),
        ("pompe-late-onset", { PompeCalibration($0).checks() }),
        ("progressive-supranuclear-palsy", { ProgressiveSupranuclearPalsyCalibration($0).checks() }),
        ("spinal-muscular-atrophy", { SpinalMuscularAtrophyCalibration($0).checks() }),
        ("stiff-person-syndrome", { StiffPersonCalibration($0).checks() }),
    ]

    /// The diseases with calibration targets.
    package static var diseases: [String] { targets.map(\.id) }

    /// Simulates `patients` patients per cohort and compares with the published figures.
    package static func run(template: DiseaseTemplate, patients: Int, seed: UInt64,
                            threads: Int) throws(CalibrationError) -> CalibrationReport {
        guard let target = targets.first(where: { $0.id == template.id }) else {
            throw CalibrationError(message: "no calibration targets are defined for \"\(template.id)\"; "
                + "calibrated diseases: \(diseases.joined(separator: ", "))")
        }
        let cohorts = CalibrationCohorts(template: template, patients: patients, seed: seed, threads: threads)
        let checks = target.checks(cohorts)
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

    let patients: Int, seed: UInt64, threads: Int

    init(template: DiseaseTemplate, patients: Int, seed: UInt64, threads: Int, composition: Composition? = nil) {
        self.template = template
        (self.patients, self.seed, self.threads) = (patients, seed, threads)
        concepts = TemplateConcepts(template)
        var natural = SimulationOptions(seed: seed, endDate: nil, treatmentsEnabled: false, requireDiagnosis: false)
        natural.composition = composition
        untreated = CohortSimulator(template: template, options: natural).patients(0..<patients, threads: threads)
        var withTreatment = natural
        withTreatment.treatmentsEnabled = true
        withTreatment.seed = seed &+ 1
        treated = CohortSimulator(template: template, options: withTreatment).patients(0..<patients, threads: threads)
    }

    /// The same cohorts drawn from one of the template's named populations (its published mix),
    /// for figures a series of that population reports.
    func population(_ id: String) -> CalibrationCohorts {
        guard let variant = template.population.variant(id) else {
            preconditionFailure("calibration refers to unknown population \(id)")
        }
        return CalibrationCohorts(template: template, patients: patients, seed: seed, threads: threads,
                                  composition: Composition(population: variant))
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

    /// Years from `start` (birth when nil) to entering `state`, death before it censoring: Kaplan–Meier data.
    /// Every patient given must have entered `start`.
    func timeTo(_ state: Int, from start: Int?, in people: [SimulatedPatient]) -> [(time: Double, event: Bool)] {
        people.map { p in
            let origin = start.map { p.course.entryAge(of: $0)! } ?? 0
            if let age = p.course.entryAge(of: state) { return (age - origin, true) }
            return (p.course.deathAge - origin, false)
        }
    }

    /// Observed values of a measure in a patient's record: (age, value).
    func observations(of m: Int, in patient: SimulatedPatient) -> [(age: Double, value: Double)] {
        let concept = concepts.measures[m]
        return patient.timeline.events.compactMap { e in
            e.kind == .quantity && e.concept == concept ? (patient.timeline.age(on: e.day), e.value) : nil
        }
    }
}
