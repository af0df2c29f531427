import Simulation

/// Friedreich ataxia: onset, GAA1, loss of ambulation, mFARS, cardiomyopathy, diabetes, survival.
struct FriedreichCalibration {
    let c: CalibrationCohorts
    init(_ cohorts: CalibrationCohorts) { c = cohorts }

    func checks() -> [CalibrationCheck] {
        let onset = c.state("onset"), diagnosis = c.state("diagnosis")
        let loa = c.state("loss-of-ambulation"), cm = c.state("cardiomyopathy"), dm = c.state("diabetes")
        let gaa = c.attribute("gaa1")
        let people = c.untreated
        let withOnset = people.filter { $0.course.entryAge(of: onset) != nil }
        let onsetAges = withOnset.map { $0.course.entryAge(of: onset)! }
        let gaaValues = withOnset.map { $0.course.context.numbers[gaa] }
        let delays = people.compactMap { p -> Double? in
            guard let o = p.course.entryAge(of: onset), let d = p.course.entryAge(of: diagnosis) else { return nil }
            return d - o
        }
        // Loss of ambulation after onset < 15 y, death before it censoring (Kaplan–Meier).
        let early = withOnset.filter { $0.course.entryAge(of: onset)! < 15 }
        let loaData = c.timeTo(loa, from: onset, in: early)
        let aliveAt15 = withOnset.filter { $0.course.deathAge > $0.course.entryAge(of: onset)! + 15 }
        let cmAt15 = aliveAt15.map { p in
            (p.course.entryAge(of: cm).map { $0 <= p.course.entryAge(of: onset)! + 15 } ?? false)
        }
        let aliveAt35 = withOnset.filter { $0.course.deathAge > 35 && $0.course.entryAge(of: onset)! <= 35 }
        let dmBy35 = aliveAt35.map { p in p.course.entryAge(of: dm).map { $0 <= 35 } ?? false }
        let dmAges = people.compactMap { $0.course.entryAge(of: dm) }
        let at31 = people.filter { p in
            p.course.deathAge > 31 && (p.course.entryAge(of: diagnosis).map { $0 <= 31 } ?? false)
        }
        let survived = at31.map { $0.course.deathAge > 41 }
        // Causes of the deaths in those ten years, as EFACTS counted them (13 of 44 cardiovascular).
        let cardiac = c.template.mortality.causes.firstIndex { $0.id == "cardiac" }
        let deathsBy41 = at31.filter { $0.course.deathAge <= 41 }.map { $0.course.deathCause == cardiac }
        let change = mfarsThreeYearChange(people)
        return [
            CalibrationCheck(name: "age at onset, mean (y)", source: "McCormick 2017", target: 13.7,
                             simulated: Summary.mean(onsetAges), tolerance: 1.0,
                             toleranceReason: "FACOMS cohort mean (n=811) vs a model of all patients; MC SE 0.2 y",
                             sampleSize: onsetAges.count),
            CalibrationCheck(name: "age at onset, SD (y)", source: "McCormick 2017", target: 10.0,
                             simulated: Summary.sd(onsetAges), tolerance: 1.5,
                             toleranceReason: "the tail beyond 50 y is truncated in the "
                                 + "template; published SD from a skewed sample",
                             sampleSize: onsetAges.count),
            CalibrationCheck(name: "correlation GAA1 vs onset age", source: "Indelicato 2020", target: -0.6,
                             simulated: Summary.correlation(gaaValues, onsetAges), tolerance: 0.06,
                             toleranceReason: "95 % CI of r = -0.6 with n = 554 is about ±0.05",
                             sampleSize: onsetAges.count),
            CalibrationCheck(name: "onset to diagnosis, median (y)", source: "Indelicato 2020", target: 2.0,
                             simulated: Summary.median(delays), tolerance: 0.4,
                             toleranceReason: "published as a whole-year median (IQR 1-5)", sampleSize: delays.count),
            CalibrationCheck(name: "onset<15: onset to loss of ambulation, KM median (y)", source: "Rummey 2020",
                             target: 11.5, simulated: Summary.kaplanMeierMedian(loaData), tolerance: 1.0,
                             toleranceReason: "IQR 8.6-16.2 in n = 1021; ±1 y is about twice the median's SE",
                             sampleSize: loaData.count),
            CalibrationCheck(name: "mFARS change over 3 y, untreated, age 16-40, mFARS 20-80", source: "Lynch 2024",
                             target: 6.6, simulated: change.mean, tolerance: 1.0,
                             toleranceReason: "matched FACOMS cohort n = 136, SE of the mean change about 0.6",
                             sampleSize: change.count),
            CalibrationCheck(name: "cardiomyopathy by 15 y after onset (%)", source: "Weidemann 2012", target: 68,
                             simulated: 100 * Summary.fraction(cmAt15), tolerance: 6,
                             toleranceReason: "n = 205: 95 % CI of 68 % is about ±6.4 points",
                             sampleSize: cmAt15.count),
            CalibrationCheck(name: "diabetes by age 35 (%)", source: "Tamaroff 2022", target: 8.7,
                             simulated: 100 * Summary.fraction(dmBy35), tolerance: 2.5,
                             toleranceReason: "registry prevalence at mixed ages; 2.5 points spans the age mix",
                             sampleSize: dmBy35.count),
            CalibrationCheck(name: "age at diabetes diagnosis, median (y)", source: "Tamaroff 2022", target: 27,
                             simulated: Summary.median(dmAges), tolerance: 2.5,
                             toleranceReason: "secondary report of a median; few cases (about 95)",
                             sampleSize: dmAges.count),
            CalibrationCheck(name: "10-year survival from age 31 (%)", source: "Indelicato 2024", target: 87,
                             simulated: 100 * Summary.fraction(survived), tolerance: 4,
                             toleranceReason: "EFACTS n = 602; inclusion ages vary around the median of 31",
                             sampleSize: survived.count),
            CalibrationCheck(name: "cardiac deaths among deaths in 10 y from age 31 (%)", source: "Indelicato 2024",
                             target: 29.5, simulated: 100 * Summary.fraction(deathsBy41), tolerance: 13.5,
                             toleranceReason: "13 of 44 EFACTS deaths (news report of the paper): 95 % CI about ±13.5",
                             sampleSize: deathsBy41.count),
        ]
    }

    /// Mean change in observed mFARS over 3 years in MOXIe-like patients (age 16-40, mFARS 20-80).
    func mfarsThreeYearChange(_ people: [SimulatedPatient]) -> (mean: Double, count: Int) {
        let m = c.measure("mfars")
        var changes: [Double] = []
        for p in people {
            let obs = c.observations(of: m, in: p)
            guard let baseline = obs.first(where: {
                $0.age >= 16 && $0.age <= 40 && $0.value >= 20 && $0.value <= 80
            }) else {
                continue
            }
            let candidates = obs.filter { abs($0.age - baseline.age - 3) <= 0.5 }
            guard let follow = candidates.min(by: {
                abs($0.age - baseline.age - 3) < abs($1.age - baseline.age - 3)
            }) else {
                continue
            }
            changes.append(follow.value - baseline.value)
        }
        return (Summary.mean(changes), changes.count)
    }
}
