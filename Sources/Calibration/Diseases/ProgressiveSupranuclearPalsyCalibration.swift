import Foundation
import Simulation

/// Progressive supranuclear palsy: onset, phenotype mix, PSPRS progression, survival from onset
/// overall and by phenotype, and survival and walking from a PSPRS of 40-49 (Golbe 2007).
struct ProgressiveSupranuclearPalsyCalibration {
    let c: CalibrationCohorts
    init(_ cohorts: CalibrationCohorts) { c = cohorts }

    /// Index of the phenotype value (template order: psp-rs, psp-p, psp-pgf, psp-other).
    func phenotype(_ p: SimulatedPatient) -> Int { p.course.context.categories[c.attribute("phenotype")] }

    func checks() -> [CalibrationCheck] {
        let onset = c.state("onset")
        let people = c.untreated.filter { $0.course.entryAge(of: onset) != nil }
        let onsetAges = people.map { $0.course.entryAge(of: onset)! }
        let isRS = people.map { phenotype($0) == 0 }
        // Whole simulated lives: every death is observed, so Kaplan–Meier is the plain survival curve.
        func survivalFromOnset(_ group: [SimulatedPatient]) -> [(time: Double, event: Bool)] {
            group.map { ($0.course.deathAge - $0.course.entryAge(of: onset)!, true) }
        }
        let all = survivalFromOnset(people)
        let rs = people.filter { phenotype($0) == 0 }, pspP = people.filter { phenotype($0) == 1 }
        let rsDuration = survivalFromOnset(rs).map(\.time), pDuration = survivalFromOnset(pspP).map(\.time)
        let rate = progressionRate(people)
        let band = fromScoreForties(people)
        return [
            CalibrationCheck(name: "age at onset, mean (y)", source: "Litvan 1996", target: 63,
                             simulated: Summary.mean(onsetAges), tolerance: 2.8,
                             toleranceReason: "24 autopsy cases (range 45-73, SD about 7): 95 % CI of the mean ±2.8 y",
                             sampleSize: onsetAges.count),
            CalibrationCheck(name: "Richardson syndrome among all PSP (%)", source: "Williams 2005 + O'Sullivan 2008",
                             target: 58.7, simulated: 100 * Summary.fraction(isRS), tolerance: 6.6,
                             toleranceReason: "125 of 213 pooled autopsy cases: 95 % CI ±6.6 points",
                             sampleSize: isRS.count),
            CalibrationCheck(name: "PSPRS progression, mean per-patient rate (points/y)", source: "Golbe 2007",
                             target: 11.3, simulated: rate.mean, tolerance: 1.7,
                             toleranceReason: "162 patients, SD 11.0: SE 0.86, 95 % CI ±1.7",
                             sampleSize: rate.count),
            CalibrationCheck(name: "survival from onset, median (y)", source: "Golbe 2007", target: 7.3,
                             simulated: Summary.kaplanMeierMedian(all), tolerance: 0.8,
                             toleranceReason: "actuarial median in 162 patients (no CI in the abstract); "
                                 + "Chiu 2010's CI for n = 197 is ±0.7 y",
                             sampleSize: all.count),
            // Chiu 2010's median of 8.0 y (95 % CI 7.3-8.7, Dutch referral cohort) is not a check: it
            // cannot be met together with Williams 2005's RS duration and Jecmenica-Lukic 2014's RS
            // 5-year survival; referral cohorts count only patients who live to be referred.
            CalibrationCheck(name: "RS: disease duration, mean (y)", source: "Williams 2005", target: 5.9,
                             simulated: Summary.mean(rsDuration), tolerance: 0.8,
                             toleranceReason: "56 autopsy cases; SD not in the abstract, about 3 y assumed: SE 0.4",
                             sampleSize: rsDuration.count),
            CalibrationCheck(name: "PSP-P: disease duration, mean (y)", source: "Williams 2005", target: 9.1,
                             simulated: Summary.mean(pDuration), tolerance: 1.4,
                             toleranceReason: "33 autopsy cases; SD not in the abstract, about 4 y assumed: SE 0.7",
                             sampleSize: pDuration.count),
            CalibrationCheck(name: "RS: 5-year survival from onset (%)", source: "Jecmenica-Lukic 2014", target: 66,
                             simulated: 100 * Summary.kaplanMeier(survivalFromOnset(rs), at: 5), tolerance: 13,
                             toleranceReason: "51 patients: 95 % CI of 66 % is about ±13 points",
                             sampleSize: rs.count),
            CalibrationCheck(name: "PSP-P: 5-year survival from onset (%)", source: "Jecmenica-Lukic 2014", target: 90,
                             simulated: 100 * Summary.kaplanMeier(survivalFromOnset(pspP), at: 5), tolerance: 13,
                             toleranceReason: "21 patients: 95 % CI of 90 % is about ±13 points",
                             sampleSize: pspP.count),
            CalibrationCheck(name: "PSPRS 40-49: 3-year survival (%)", source: "Golbe 2007", target: 41.9,
                             simulated: 100 * Summary.kaplanMeier(band.death, at: 3), tolerance: 12.8,
                             toleranceReason: "published 95 % CI 31.0-56.6 (half-width 12.8)",
                             sampleSize: band.death.count),
            CalibrationCheck(name: "PSPRS 40-49: 4-year survival (%)", source: "Golbe 2007", target: 17.9,
                             simulated: 100 * Summary.kaplanMeier(band.death, at: 4), tolerance: 10.7,
                             toleranceReason: "published 95 % CI 10.2-31.5 (half-width 10.7)",
                             sampleSize: band.death.count),
            CalibrationCheck(name: "PSPRS 40-49: still walking at 1 y (%, death censored)", source: "Golbe 2007",
                             target: 51.7, simulated: 100 * Summary.kaplanMeier(band.walking, at: 1), tolerance: 13.5,
                             toleranceReason: "published 95 % CI 40.0-66.9 (half-width 13.5)",
                             sampleSize: band.walking.count),
            CalibrationCheck(name: "PSPRS 40-49: still walking at 3 y (%, death censored)", source: "Golbe 2007",
                             target: 6.5, simulated: 100 * Summary.kaplanMeier(band.walking, at: 3), tolerance: 10.9,
                             toleranceReason: "published 95 % CI 1.8-23.5 (half-width 10.9)",
                             sampleSize: band.walking.count),
        ]
    }

    /// Per-patient PSPRS rate as a clinic measures it: (last − first observed score) over the years
    /// between, for patients with observations at least a year apart.
    func progressionRate(_ people: [SimulatedPatient]) -> (mean: Double, count: Int) {
        let m = c.measure("psprs")
        var rates: [Double] = []
        for p in people {
            let obs = c.observations(of: m, in: p)
            guard let first = obs.first, let last = obs.last, last.age - first.age >= 1 else { continue }
            rates.append((last.value - first.value) / (last.age - first.age))
        }
        return (Summary.mean(rates), rates.count)
    }

    /// From the first visit with an observed PSPRS of 40-49: time to death, and time to loss of
    /// walking (death censoring) in those still walking at that visit.
    func fromScoreForties(_ people: [SimulatedPatient])
        -> (death: [(time: Double, event: Bool)], walking: [(time: Double, event: Bool)]) {
        let m = c.measure("psprs"), wheelchair = c.state("loss-of-ambulation")
        var death: [(time: Double, event: Bool)] = [], walking: [(time: Double, event: Bool)] = []
        for p in people {
            guard let visit = c.observations(of: m, in: p).first(where: { $0.value >= 40 && $0.value < 50 }) else {
                continue
            }
            death.append((p.course.deathAge - visit.age, true))
            let lost = p.course.entryAge(of: wheelchair)
            if let l = lost, l <= visit.age { continue }
            if let l = lost { walking.append((l - visit.age, true)) } else {
                walking.append((p.course.deathAge - visit.age, false))
            }
        }
        return (death, walking)
    }
}
