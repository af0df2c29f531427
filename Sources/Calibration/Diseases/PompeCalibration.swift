import Foundation
import Simulation

/// Late-onset Pompe disease: genotype, diagnosis, untreated FVC decline, LOTS (78 weeks of alglucosidase alfa
/// vs placebo), FVC on ERT in the Pompe Registry, wheelchair and ventilation over follow-up, ERT and the risk of
/// wheelchair dependency, and survival by disability.
struct PompeCalibration {
    let c: CalibrationCohorts
    init(_ cohorts: CalibrationCohorts) { c = cohorts }

    func checks() -> [CalibrationCheck] {
        let onset = c.state("onset"), diagnosis = c.state("diagnosis")
        let genotype = c.attribute("gaa-genotype")
        let people = c.untreated
        // Huie 1994: adult-onset patients carrying c.-32-13T>G on one allele.
        let adultOnset = people.filter { ($0.course.entryAge(of: onset) ?? 0) >= 18 }
        let ivs1 = adultOnset.map { $0.course.context.categories[genotype] == 0 }
        // Güngör 2011: diagnosed adults (alive and diagnosed by 19, the youngest age at entry, or later).
        let diagnosed = people.filter { p in
            p.course.entryAge(of: diagnosis).map { $0 < p.course.deathAge } ?? false
        }
        let diagnosisAges = diagnosed.map { $0.course.entryAge(of: diagnosis)! }
        let survivalData: [(time: Double, event: Bool)] = diagnosed.map { p in
            (p.course.deathAge - p.course.entryAge(of: diagnosis)!, true)
        }
        let disability = survivalByDisability()
        let fvcDecline = untreatedFvcSlope()
        let lots = lotsChanges()
        let registry = fvcOnErt()
        let followUp = disabilityOverFollowUp()
        let wheelchairRatio = ertWheelchairRateRatio()
        return [
            check("adult onset: c.-32-13T>G on one allele (%)", "Huie 1994", 68, 100 * Summary.fraction(ivs1), 14,
                  "28 of 41 patients: 95 % CI about ±14 points", ivs1.count),
            check("age at diagnosis, median (y)", "Güngör 2011", 38, Summary.median(diagnosisAges), 3,
                  "268 adults; entry from 19 y, so few childhood diagnoses; MC SE 0.3 y", diagnosisAges.count),
            check("untreated: survival after diagnosis, median (y)", "Güngör 2011", 27,
                  Summary.kaplanMeierMedian(survivalData), 4,
                  "extrapolated from 23 deaths in 268 patients: a wide CI; ±4 y", survivalData.count),
            check("untreated 5-y survival, no wheelchair or respiratory support (%)", "Güngör 2011", 95,
                  disability.neither, 3, "the larger subgroup of 268: 95 % CI about ±3 points", disability.nNeither),
            check("untreated 5-y survival, wheelchair and respiratory support (%)", "Güngör 2011", 74,
                  disability.both, 12, "a subgroup of a few dozen patients: 95 % CI about ±12 points",
                  disability.nBoth),
            check("untreated adults 25-75: FVC upright change (%-points/y)", "van der Beek 2012", -1.3,
                  fvcDecline.mean, 0.4,
                  "94 patients over 1.6 y, p = 0.02 gives SE about 0.55; supine FVC in the paper, "
                      + "-1.6 %/y sitting in van der Beek 2009", fvcDecline.n),
            check("LOTS-like placebo: 6MWT change at 78 weeks (m)", "van der Ploeg 2010 (secondary)", -3.0,
                  lots.placeboWalk, 21,
                  "30 placebo patients; the difference's SE of 13.1 m (60 vs 30) implies an SD of change of about "
                      + "59 m, so a 95 % CI of about ±21 m for the placebo mean",
                  lots.nPlacebo),
            check("LOTS-like: 6MWT difference ERT - placebo at 78 weeks (m)", "van der Ploeg 2010 (secondary)", 28.1,
                  lots.walkDifference, 13, "28.1 ± 13.1 m (SE), 60 vs 30 patients: ±1 SE",
                  lots.nTreated),
            check("LOTS-like placebo: FVC change at 78 weeks (%-points)", "van der Ploeg 2010 (secondary)", -2.2,
                  lots.placeboFvc, 1.9,
                  "30 placebo patients; the difference's SE of 1.2 points implies an SD of change of about 5.4, "
                      + "so a 95 % CI of about ±1.9 for the placebo mean",
                  lots.nPlacebo),
            check("LOTS-like: FVC difference ERT - placebo at 78 weeks (%-points)", "van der Ploeg 2010 (secondary)",
                  3.4, lots.fvcDifference, 1.2, "3.4 ± 1.2 points (SE), 60 vs 30 patients: ±1 SE",
                  lots.nTreated),
            check("FVC upright at ERT start, median (%)", "Stockton 2020", 66.9, registry.baselineMedian, 5,
                  "registry n = 396, range 9-126; ±5 for the registry's mix of treatment timing", registry.n),
            check("FVC upright on ERT over 5 y, slope (%-points/y)", "Stockton 2020", -0.17, registry.slope, 0.35,
                  "mixed-model slope, p = 0.21 gives SE about 0.14; per-patient least squares here", registry.n),
            check("untreated, diagnosed: wheelchair within 16 y (%)", "van der Beek 2009", 50,
                  followUp.wheelchair, 24, "8 of 16 patients: 95 % CI about ±25 points", followUp.n),
            check("untreated, diagnosed: ventilation within 16 y (%)", "van der Beek 2009", 19,
                  followUp.ventilation, 19, "3 of 16 patients: 95 % CI 4-46 %", followUp.n),
            check("adults: ERT vs no ERT, rate ratio of wheelchair dependency", "van der Meijden 2018", 0.36,
                  wheelchairRatio.ratio, 0.2,
                  "HR 95 % CI 0.17-0.75 (46 events); Mantel-Haenszel rate ratio over 5-y disease-duration bands",
                  wheelchairRatio.events),
        ]
    }

    /// Five-year survival from a Güngör-like study entry (ten years after diagnosis, at 19 or older, before ERT
    /// existed for the untreated cohort) by the disability at entry.
    func survivalByDisability() -> (neither: Double, both: Double, nNeither: Int, nBoth: Int) {
        let diagnosis = c.state("diagnosis"), wheelchair = c.state("wheelchair-dependence")
        let support = c.state("respiratory-support")
        var neither: [Bool] = [], both: [Bool] = []
        for p in c.untreated {
            guard let d = p.course.entryAge(of: diagnosis) else { continue }
            let entry = max(d + 10, 19)
            guard p.course.deathAge > entry else { continue }
            let w = p.course.isActive(state: wheelchair, atAge: entry)
            let r = p.course.isActive(state: support, atAge: entry)
            let survived = p.course.deathAge > entry + 5
            if !w && !r { neither.append(survived) } else if w && r { both.append(survived) }
        }
        return (100 * Summary.fraction(neither), 100 * Summary.fraction(both), neither.count, both.count)
    }

    /// Mean per-patient least-squares slope of observed FVC over up to 4 years from the first visit at 25-75 y.
    func untreatedFvcSlope() -> (mean: Double, n: Int) {
        let fvc = c.measure("fvc-upright")
        var slopes: [Double] = []
        for p in c.untreated {
            let obs = c.observations(of: fvc, in: p).filter { $0.age >= 25 && $0.age <= 75 }
            guard let first = obs.first else { continue }
            let window = obs.filter { $0.age <= first.age + 4 }
            guard window.count >= 3, let last = window.last, last.age - first.age >= 1.5 else { continue }
            slopes.append(Summary.slope(window.map(\.age), window.map(\.value)))
        }
        return (Summary.mean(slopes), slopes.count)
    }

    /// LOTS eligibility on the true course: 8 or older, FVC upright 30-80 %, walking at least 40 m,
    /// not wheelchair-dependent, not invasively ventilated.
    func lotsEligible(_ p: SimulatedPatient, at age: Double) -> Bool {
        let fvc = c.measure("fvc-upright"), walk = c.measure("six-minute-walk")
        let wheelchair = c.state("wheelchair-dependence"), invasive = c.state("invasive-ventilation")
        guard age >= 8, p.course.deathAge > age + 1.5 else { return false }
        let f = p.course.value(ofMeasure: fvc, atAge: age), w = p.course.value(ofMeasure: walk, atAge: age)
        return f >= 30 && f <= 80 && w >= 40 && !p.course.isActive(state: wheelchair, atAge: age)
            && !p.course.isActive(state: invasive, atAge: age)
    }

    /// Changes over 78 weeks (true values): placebo = untreated patients from their first LOTS-eligible yearly
    /// point after diagnosis; ERT = treated patients eligible at the start of alglucosidase alfa.
    func lotsChanges() -> (placeboWalk: Double, walkDifference: Double, placeboFvc: Double, fvcDifference: Double,
                           nPlacebo: Int, nTreated: Int) {
        let fvc = c.measure("fvc-upright"), walk = c.measure("six-minute-walk")
        let diagnosis = c.state("diagnosis"), ert = c.state("alglucosidase-alfa")
        let weeks78 = 78.0 * 7 / 365.25
        var pWalk: [Double] = [], pFvc: [Double] = [], tWalk: [Double] = [], tFvc: [Double] = []
        for p in c.untreated {
            guard let d = p.course.entryAge(of: diagnosis) else { continue }
            var age = d
            while age < p.course.deathAge, !lotsEligible(p, at: age) { age += 1 }
            guard age < p.course.deathAge, lotsEligible(p, at: age) else { continue }
            pWalk.append(p.course.value(ofMeasure: walk, atAge: age + weeks78) - p.course.value(ofMeasure: walk, atAge: age))
            pFvc.append(p.course.value(ofMeasure: fvc, atAge: age + weeks78) - p.course.value(ofMeasure: fvc, atAge: age))
        }
        for p in c.treated {
            guard let start = p.course.entryAge(of: ert), lotsEligible(p, at: start) else { continue }
            if let stop = p.course.exitAge(of: ert, after: start), stop < start + weeks78 { continue }
            tWalk.append(p.course.value(ofMeasure: walk, atAge: start + weeks78)
                - p.course.value(ofMeasure: walk, atAge: start))
            tFvc.append(p.course.value(ofMeasure: fvc, atAge: start + weeks78)
                - p.course.value(ofMeasure: fvc, atAge: start))
        }
        let placeboWalk = Summary.mean(pWalk), placeboFvc = Summary.mean(pFvc)
        return (placeboWalk, Summary.mean(tWalk) - placeboWalk, placeboFvc, Summary.mean(tFvc) - placeboFvc,
                pWalk.count, tWalk.count)
    }

    /// FVC at the start of alglucosidase alfa (true value) and the mean least-squares slope of the observed FVC
    /// over the first 5 years on it (patients with a baseline and at least 2 later values, as the registry
    /// analysis required).
    func fvcOnErt() -> (baselineMedian: Double, slope: Double, n: Int) {
        let fvc = c.measure("fvc-upright"), ert = c.state("alglucosidase-alfa")
        var baselines: [Double] = [], slopes: [Double] = []
        for p in c.treated {
            guard let start = p.course.entryAge(of: ert) else { continue }
            let end = min(start + 5, p.course.exitAge(of: ert, after: start) ?? .infinity)
            let obs = c.observations(of: fvc, in: p).filter { $0.age >= start - 0.25 && $0.age <= end }
            guard obs.count >= 3, let first = obs.first, first.age <= start + 0.25 else { continue }
            baselines.append(p.course.value(ofMeasure: fvc, atAge: start))
            slopes.append(Summary.slope(obs.map(\.age), obs.map(\.value)))
        }
        return (Summary.median(baselines), Summary.mean(slopes), slopes.count)
    }

    /// Untreated diagnosed patients not yet using a wheelchair (or ventilation) at diagnosis: the share with
    /// the event within 16 years of diagnosis (Kaplan–Meier, death censoring).
    func disabilityOverFollowUp() -> (wheelchair: Double, ventilation: Double, n: Int) {
        let diagnosis = c.state("diagnosis"), wheelchair = c.state("wheelchair-dependence")
        let support = c.state("respiratory-support")
        var w: [(time: Double, event: Bool)] = [], v: [(time: Double, event: Bool)] = []
        for p in c.untreated {
            guard let d = p.course.entryAge(of: diagnosis), d < p.course.deathAge else { continue }
            func data(_ s: Int) -> (time: Double, event: Bool)? {
                if let e = p.course.entryAge(of: s) {
                    return e <= d ? nil : (e - d, true)
                }
                return (p.course.deathAge - d, false)
            }
            if let x = data(wheelchair) { w.append(x) }
            if let x = data(support) { v.append(x) }
        }
        return (100 * (1 - Summary.kaplanMeier(w, at: 16)), 100 * (1 - Summary.kaplanMeier(v, at: 16)), w.count)
    }

    /// Adults followed in 2002-2016 without a wheelchair: the rate of wheelchair dependency on ERT (treated
    /// cohort, from the start of alglucosidase alfa) against the rate without it (untreated cohort, from
    /// diagnosis), Mantel–Haenszel over 5-year bands of disease duration (the survey adjusted for duration).
    func ertWheelchairRateRatio() -> (ratio: Double, events: Int) {
        let onset = c.state("onset"), diagnosis = c.state("diagnosis"), wheelchair = c.state("wheelchair-dependence")
        let ert = c.state("alglucosidase-alfa")
        let bands = 12, width = 5.0
        var treatedEvents = [Double](repeating: 0, count: bands), treatedTime = treatedEvents
        var untreatedEvents = treatedEvents, untreatedTime = treatedEvents
        func accumulate(_ p: SimulatedPatient, from: Double, to: Double, events: inout [Double], time: inout [Double]) {
            guard let o = p.course.entryAge(of: onset) else { return }
            let calendarStart = Double(p.course.birth.components.year)
            let start = max(from, 18, 2002 - calendarStart)
            let w = p.course.entryAge(of: wheelchair)
            let end = min(to, p.course.deathAge, 2016 - calendarStart, w ?? .infinity)
            guard end > start else { return }
            var t = start
            while t < end {
                let band = min(bands - 1, max(0, Int((t - o) / width)))
                let bandEnd = min(end, o + Double(band + 1) * width)
                let next = band == bands - 1 ? end : max(bandEnd, t + 1e-9)
                time[band] += min(next, end) - t
                t = min(next, end)
            }
            if let w, w <= end, w > start {
                let band = min(bands - 1, max(0, Int((w - o) / width)))
                events[band] += 1
            }
        }
        for p in c.treated {
            guard let s = p.course.entryAge(of: ert) else { continue }
            let stop = p.course.exitAge(of: ert, after: s) ?? .infinity
            accumulate(p, from: s, to: stop, events: &treatedEvents, time: &treatedTime)
        }
        for p in c.untreated {
            guard let d = p.course.entryAge(of: diagnosis) else { continue }
            accumulate(p, from: d, to: .infinity, events: &untreatedEvents, time: &untreatedTime)
        }
        var numerator = 0.0, denominator = 0.0
        for b in 0..<bands {
            let total = treatedTime[b] + untreatedTime[b]
            guard total > 0 else { continue }
            numerator += treatedEvents[b] * untreatedTime[b] / total
            denominator += untreatedEvents[b] * treatedTime[b] / total
        }
        let events = Int((treatedEvents + untreatedEvents).reduce(0, +))
        return (denominator > 0 ? numerator / denominator : .nan, events)
    }
}
