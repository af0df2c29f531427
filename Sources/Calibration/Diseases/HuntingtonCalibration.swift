import Foundation
import Simulation

/// Huntington's disease: onset by CAG (Langbehn 2004), juvenile share and its paternal share, reduced-penetrance
/// share, motor and functional decline (Dorsey 2013), survival from onset and causes of death.
struct HuntingtonCalibration {
    let c: CalibrationCohorts
    init(_ cohorts: CalibrationCohorts) { c = cohorts }

    /// Langbehn et al. 2004: the logistic's mean (also its median) and variance of onset age for a CAG length.
    static func langbehnMean(_ cag: Double) -> Double { 21.54 + exp(9.556 - 0.146 * cag) }
    static func langbehnVariance(_ cag: Double) -> Double { 35.55 + exp(17.72 - 0.3269 * cag) }

    func checks() -> [CalibrationCheck] {
        let onset = c.state("onset")
        let cagIndex = c.attribute("cag"), parentIndex = c.attribute("parent")
        let people = c.untreated
        func cag(_ p: SimulatedPatient) -> Double { p.course.context.numbers[cagIndex] }
        func paternal(_ p: SimulatedPatient) -> Bool { p.course.context.categories[parentIndex] == 0 }

        // Onset by CAG as Langbehn estimated it: survival analysis of onset, death before onset censoring.
        var checks: [CalibrationCheck] = []
        for repeats in [40.0, 42, 45, 50] {
            let group = people.filter { cag($0) == repeats }
            let data = group.map { p in
                p.course.entryAge(of: onset).map { (time: $0, event: true) } ?? (time: p.course.deathAge, event: false)
            }
            let scale = (3 * Self.langbehnVariance(repeats)).squareRoot() / Double.pi
            let se = 2 * scale / Double(max(group.count, 1)).squareRoot()
            checks.append(CalibrationCheck(
                name: "CAG \(Int(repeats)): median onset age, KM censored at death (y)", source: "Langbehn 2004",
                target: Self.langbehnMean(repeats), simulated: Summary.kaplanMeierMedian(data),
                tolerance: max(1.0, 2.5 * se),
                toleranceReason: "the published formula is exact; 2.5 Monte Carlo SEs of a logistic median "
                    + "(2 x scale / sqrt(n), scale \(String(format: "%.1f", scale)) y) with n = \(group.count) "
                    + "simulated carriers of this length",
                sampleSize: group.count))
        }

        let cases = people.filter { $0.course.entryAge(of: onset) != nil }
        let juvenile = cases.filter { $0.course.entryAge(of: onset)! < 21 }
        let juvenileShare = Double(juvenile.count) / Double(max(cases.count, 1))
        let paternalJuvenile = juvenile.map(paternal)
        let reducedPenetrance = people.map { cag($0) <= 39 }

        let tms = annualChange(measure: "tms"), tfc = annualChange(measure: "tfc")

        let survivalData = cases.map { p in (time: p.course.deathAge - p.course.entryAge(of: onset)!, event: true) }
        let causes = c.template.mortality.causes
        let pneumonia = causes.firstIndex { $0.id == "pneumonia" }, suicide = causes.firstIndex { $0.id == "suicide" }
        let deathCauses = cases.map(\.course.deathCause)

        checks += [
            CalibrationCheck(name: "onset at or before 20 y among cases (%)", source: "Quarrell 2012",
                             target: 4.92, simulated: 100 * juvenileShare, tolerance: 1.2,
                             toleranceReason: "meta-analysis 95 % CI 4.07-5.84 (about ±0.9) plus a Monte Carlo SE "
                                 + "of about 0.5 points",
                             sampleSize: cases.count),
            CalibrationCheck(name: "paternal transmission among juvenile cases (%)", source: "NeurometPlus (secondary)",
                             target: 80, simulated: 100 * Summary.fraction(paternalJuvenile), tolerance: 12,
                             toleranceReason: "a secondary round figure (about 75 % at 11-20 y, 90 % up to 10 y); "
                                 + "Monte Carlo SE about 4.5 points with about 90 juvenile cases",
                             sampleSize: paternalJuvenile.count),
            CalibrationCheck(name: "CAG 36-39 among carriers (%)", source: "Baake 2016", target: 4.5,
                             simulated: 100 * Summary.fraction(reducedPenetrance), tolerance: 2.0,
                             toleranceReason: "22 of 487 Leiden REGISTRY carriers: 95 % CI about 2.8-6.8 %",
                             sampleSize: reducedPenetrance.count),
            CalibrationCheck(name: "TMS change per year, manifest adults followed 3 y", source: "Dorsey 2013",
                             target: 3.0, simulated: tms.mean, tolerance: 0.5,
                             toleranceReason: "COHORT n = 334: 95 % CI 2.5-3.4", sampleSize: tms.count),
            CalibrationCheck(name: "TFC change per year, manifest adults followed 3 y", source: "Dorsey 2013",
                             target: -0.6, simulated: tfc.mean, tolerance: 0.12,
                             toleranceReason: "COHORT n = 334: 95 % CI 0.5-0.7 (±0.1), plus Monte Carlo error",
                             sampleSize: tfc.count),
            CalibrationCheck(name: "survival from onset, KM median (y)", source: "Rinaldi 2012", target: 20,
                             simulated: Summary.kaplanMeierMedian(survivalData), tolerance: 2.0,
                             toleranceReason: "135 patients, 41 deaths: 95 % CI 18.3-21.7 (±1.7), plus Monte Carlo "
                                 + "SE about 0.3 y",
                             sampleSize: survivalData.count),
            CalibrationCheck(name: "pneumonia among deaths after onset (%)", source: "Rodrigues 2017", target: 19.5,
                             simulated: 100 * Summary.fraction(deathCauses.map { $0 == pneumonia }), tolerance: 4,
                             toleranceReason: "533 REGISTRY deaths: 95 % CI about ±3.4 points, plus Monte Carlo "
                                 + "SE about 1 point",
                             sampleSize: deathCauses.count),
            CalibrationCheck(name: "suicide among deaths after onset (%)", source: "Rodrigues 2017", target: 6.6,
                             simulated: 100 * Summary.fraction(deathCauses.map { $0 == suicide }), tolerance: 2.5,
                             toleranceReason: "533 REGISTRY deaths: 95 % CI about ±2.1 points, plus Monte Carlo "
                                 + "SE about 0.6 point",
                             sampleSize: deathCauses.count),
        ]
        return checks
    }

    /// Mean annual change of a recorded measure as COHORT measured it: manifest patients with adult onset
    /// (21 y or later), from their first recorded value to the value recorded about 3 years later.
    func annualChange(measure id: String) -> (mean: Double, count: Int) {
        let m = c.measure(id), onset = c.state("onset")
        var rates: [Double] = []
        for p in c.untreated {
            guard let o = p.course.entryAge(of: onset), o >= 21 else { continue }
            let obs = c.observations(of: m, in: p)
            guard let baseline = obs.first else { continue }
            let candidates = obs.filter { abs($0.age - baseline.age - 3) <= 0.5 }
            guard let follow = candidates.min(by: {
                abs($0.age - baseline.age - 3) < abs($1.age - baseline.age - 3)
            }) else {
                continue
            }
            rates.append((follow.value - baseline.value) / (follow.age - baseline.age))
        }
        return (Summary.mean(rates), rates.count)
    }
}
