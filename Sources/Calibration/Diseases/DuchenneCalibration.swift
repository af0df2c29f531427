import Simulation

/// Duchenne muscular dystrophy: first signs and diagnosis, loss of ambulation with and without
/// glucocorticoids, the 6-minute walk and NSAA on steroids, FVC after loss of ambulation,
/// cardiomyopathy by age, survival without ventilation and in boys born after 1990.
struct DuchenneCalibration {
    let c: CalibrationCohorts
    init(_ cohorts: CalibrationCohorts) { c = cohorts }

    func checks() -> [CalibrationCheck] {
        let onset = c.state("onset"), diagnosis = c.state("diagnosis")
        let loa = c.state("loss-of-ambulation"), cm = c.state("cardiomyopathy"), steroid = c.state("glucocorticoid")
        let untreated = c.untreated
        let onsetAges = untreated.compactMap { $0.course.entryAge(of: onset) }
        let diagnosisAges = untreated.compactMap { p -> Double? in
            guard let d = p.course.entryAge(of: diagnosis), d < p.course.deathAge else { return nil }
            return d
        }
        // Age at loss of ambulation, death censoring (Kaplan–Meier on age).
        func loaData(_ people: [SimulatedPatient]) -> [(time: Double, event: Bool)] {
            c.timeTo(loa, from: nil, in: people)
        }
        let naive = loaData(untreated)
        // Steroid-treated as Koeks 2017 grouped them: boys who started a glucocorticoid while still walking.
        let onSteroids = c.treated.filter { p in
            guard let s = p.course.entryAge(of: steroid) else { return false }
            return p.course.entryAge(of: loa).map { s < $0 } ?? true
        }
        let treatedLoa = loaData(onSteroids)
        let walk1 = walkChange(years: 1), walk2 = walkChange(years: 2)
        let nsaa = nsaaAnnualChange()
        let fvc = fvcAnnualChangeNonAmbulant()
        func cmBy(_ age: Double) -> [Bool] {
            untreated.filter { $0.course.deathAge > age }.map { p in
                p.course.entryAge(of: cm).map { $0 <= age } ?? false
            }
        }
        let cm15 = cmBy(15), cm20 = cmBy(20)
        let survivalNaive = untreated.map { (time: $0.course.deathAge, event: true) }
        let bornAfter1990 = c.treated.filter { $0.timeline.birth.components.year >= 1990 }
        let survivalModern = bornAfter1990.map { (time: $0.course.deathAge, event: true) }
        return [
            check("age at first signs, mean (y)", "Ciafaloni 2009", 2.5, Summary.mean(onsetAges), 0.3,
                  "MD STARnet n = 156, SD not given (about 1.2 y would give a 95 % CI of ±0.2); MC SE 0.03",
                  onsetAges.count),
            check("age at definitive diagnosis, mean (y)", "Ciafaloni 2009", 4.9, Summary.mean(diagnosisAges), 0.4,
                  "MD STARnet n = 156, SD not given (about 2 y would give a 95 % CI of ±0.3)", diagnosisAges.count),
            check("loss of ambulation without steroids, KM median age (y)", "Koeks 2017", 10,
                  Summary.kaplanMeierMedian(naive), 0.75,
                  "TREAT-NMD registry (n = 5345) reports whole years: ±0.5 rounding plus sampling error", naive.count),
            check("loss of ambulation, steroids started while walking, KM median age (y)", "Koeks 2017", 13,
                  Summary.kaplanMeierMedian(treatedLoa), 0.75,
                  "TREAT-NMD registry reports whole years: ±0.5 rounding plus sampling error; mixed daily and "
                      + "intermittent regimens (Ricotti 2013: 12 y intermittent, 14.5 y daily)", treatedLoa.count),
            check("6MWD change over 1 y, on steroids, ambulant, baseline 7-12.5 y (m)", "Goemans 2013", -43,
                  walk1.mean, 36, "N = 25, SD 90 m: 95 % CI of the mean ±35 m; baseline age simulated "
                      + String(format: "%.1f", walk1.baselineAge) + " vs 9.5 y", walk1.count),
            check("6MWD change over 2 y, on steroids, ambulant, baseline 7-12.5 y (m)", "Goemans 2013", -125,
                  walk2.mean, 74, "N = 14, SD 139 m: 95 % CI of the mean ±73 m; baseline age simulated "
                      + String(format: "%.1f", walk2.baselineAge) + " vs 10.0 y", walk2.count),
            check("NSAA change over 1 y, ambulant boys > 7 y, mostly on steroids (points)",
                  "natural history abstract (secondary)", -2.6, nsaa.mean, 1.2,
                  "53 ambulant boys; SD of the change not given (about 4 points gives a 95 % CI of ±1.1)", nsaa.count),
            check("FVC % predicted change over 1 y, non-ambulant, 10-18 y (points)",
                  "natural history abstract (secondary)", -6.5, fvc.mean, 1.5,
                  "29 non-ambulant boys; SD of the change not given (about 4 points gives ±1.5)", fvc.count),
            check("cardiomyopathy by 15 y (%)", "Szabo 2021 (review)", 70, 100 * Summary.fraction(cm15), 8,
                  "registry estimates pooled in a review; definitions and surveillance differ", cm15.count),
            check("cardiomyopathy by 20 y (%)", "Szabo 2021 (review)", 95, 100 * Summary.fraction(cm20), 5,
                  "'almost all by 20 years': read as 90-100 %", cm20.count),
            check("median survival without ventilation or steroids (y)", "Landfeldt 2020", 19.0,
                  Summary.kaplanMeierMedian(survivalNaive), 1.5,
                  "pooled median 19.0 (95 % CI 18.0-20.9) over 15 publications", survivalNaive.count),
            check("median survival, born after 1990, with care as the template gives it (y)", "Broomfield 2021",
                  28.1, Summary.kaplanMeierMedian(survivalModern), 2.5,
                  "95 % CI 25.1-30.3 from reconstructed Kaplan-Meier data", survivalModern.count),
        ]
    }

    /// Mean change of the recorded 6MWD over `years` (±12 weeks) in boys on a glucocorticoid for at least a
    /// year at baseline (Goemans 2013's daily-steroid cohort), baseline the walk recorded at 7-12.5 y nearest
    /// the published mean baseline age; completers only, as the paper reports changes in boys tested at both
    /// times (25 of 65 at 1 y, 14 at 2 y): a boy who lost ambulation has no follow-up walk.
    func walkChange(years: Double) -> (mean: Double, baselineAge: Double, count: Int) {
        let m = c.measure("six-minute-walk"), steroid = c.state("glucocorticoid")
        var changes: [Double] = [], ages: [Double] = []
        for p in c.treated {
            guard let s = p.course.entryAge(of: steroid) else { continue }
            let obs = c.observations(of: m, in: p)
            // Baseline: the walk recorded nearest the cohort's mean baseline age (9.5 y at 1 y, 10.0 y at 2 y).
            let centre = years >= 2 ? 10.0 : 9.5
            let eligible = obs.filter { $0.age >= 7 && $0.age < 12.5 && $0.age >= s + 1 }
            guard let base = eligible.min(by: { abs($0.age - centre) < abs($1.age - centre) }) else { continue }
            if let stop = p.course.exitAge(of: steroid, after: s), stop < base.age + years { continue }
            let target = base.age + years
            let window = obs.filter { abs($0.age - target) <= 12.0 / 52 }
            guard let follow = window.min(by: { abs($0.age - target) < abs($1.age - target) }) else { continue }
            changes.append(follow.value - base.value)
            ages.append(base.age)
        }
        return (Summary.mean(changes), Summary.mean(ages), changes.count)
    }

    /// Mean change of the recorded NSAA over 1 year (±3 months) from the first score after 7 y in
    /// ambulant boys on a glucocorticoid (completers: both scores recorded, so still walking).
    func nsaaAnnualChange() -> (mean: Double, count: Int) {
        let m = c.measure("nsaa"), steroid = c.state("glucocorticoid")
        var changes: [Double] = []
        for p in c.treated {
            guard let s = p.course.entryAge(of: steroid) else { continue }
            let obs = c.observations(of: m, in: p)
            guard let base = obs.first(where: { $0.age > 7 && $0.age < 12 && $0.age > s }) else { continue }
            let window = obs.filter { abs($0.age - base.age - 1) <= 0.25 }
            guard let follow = window.min(by: { abs($0.age - base.age - 1) < abs($1.age - base.age - 1) })
            else { continue }
            changes.append(follow.value - base.value)
        }
        return (Summary.mean(changes), changes.count)
    }

    /// Mean change of the recorded FVC % predicted over 1 year (±3 months) in non-ambulant boys aged 10-18
    /// (treated cohort), from the first value after loss of ambulation.
    func fvcAnnualChangeNonAmbulant() -> (mean: Double, count: Int) {
        let m = c.measure("fvc-percent"), loa = c.state("loss-of-ambulation")
        var changes: [Double] = []
        for p in c.treated {
            guard let l = p.course.entryAge(of: loa) else { continue }
            let obs = c.observations(of: m, in: p)
            guard let base = obs.first(where: { $0.age > l && $0.age >= 10 && $0.age < 18 }) else { continue }
            let window = obs.filter { abs($0.age - base.age - 1) <= 0.25 }
            guard let follow = window.min(by: { abs($0.age - base.age - 1) < abs($1.age - base.age - 1) })
            else { continue }
            changes.append(follow.value - base.value)
        }
        return (Summary.mean(changes), changes.count)
    }
}
