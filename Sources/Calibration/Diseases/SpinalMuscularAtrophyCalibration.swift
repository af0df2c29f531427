import Foundation
import Simulation

/// Spinal muscular atrophy: type mix, untreated type 1 event-free survival, type 2 survival, type 3
/// ambulation, HFMSE in CHERISH-like type 2 children, ENDEAR-like infants on nusinersen.
struct SpinalMuscularAtrophyCalibration {
    let c: CalibrationCohorts
    init(_ cohorts: CalibrationCohorts) { c = cohorts }

    /// 0: type 1, 1: type 2, 2: type 3 (the order of the attribute's values).
    func type(_ p: SimulatedPatient) -> Int { p.course.context.categories[c.attribute("sma-type")] }
    func copies(_ p: SimulatedPatient) -> Double { p.course.context.numbers[c.attribute("smn2-copies")] }

    /// Age at death or permanent ventilation, whichever comes first.
    func eventAge(_ p: SimulatedPatient) -> Double {
        min(p.course.entryAge(of: c.state("permanent-ventilation")) ?? .infinity, p.course.deathAge)
    }

    func checks() -> [CalibrationCheck] {
        let people = c.untreated
        let onset = c.state("onset")
        let type1 = people.filter { type($0) == 0 }
        let typeShare = people.map { type($0) == 0 }
        // Months from birth to death or permanent ventilation (every untreated type 1 infant reaches it).
        let t1Events: [(time: Double, event: Bool)] = type1.map { (12 * eventAge($0), true) }
        let t1TwoCopies: [(time: Double, event: Bool)] = type1.filter { copies($0) == 2 }.map { (12 * eventAge($0), true) }
        let t1Years: [(time: Double, event: Bool)] = type1.map { (eventAge($0), true) }
        // Type 2 survival from birth.
        let type2Deaths: [(time: Double, event: Bool)] = people.filter { type($0) == 1 }.map { ($0.course.deathAge, true) }
        // Type 3 walking after onset, death censoring (Kaplan–Meier).
        let loa = c.state("loss-of-ambulation")
        func walking(_ late: Bool) -> [(time: Double, event: Bool)] {
            c.timeTo(loa, from: onset, in: people.filter { p in
                guard type(p) == 2, let o = p.course.entryAge(of: onset) else { return false }
                return (o >= 3) == late
            })
        }
        let type3a = walking(false), type3b = walking(true)
        let sham = cherishSham(), treated = cherishTreated()
        let endear = endearComparison()
        let chop = chopChangeOnNusinersen()
        return [
            CalibrationCheck(name: "type 1 among all SMA (%)", source: "Verhaart 2017", target: 60,
                             simulated: 100 * Summary.fraction(typeShare), tolerance: 6,
                             toleranceReason: "reviews give 'around 60 %', the Cure SMA sibships 54.5 %; MC SE 1.1",
                             sampleSize: typeShare.count),
            CalibrationCheck(name: "untreated type 1: median age at death or permanent ventilation (months)",
                             source: "Finkel 2014", target: 13.5, simulated: Summary.kaplanMeierMedian(t1Events),
                             tolerance: 4,
                             toleranceReason: "n = 34, IQR 8.1-22.0: SE of the median about 2.2 months; ±4 is 1.8 SE",
                             sampleSize: t1Events.count),
            CalibrationCheck(name: "untreated type 1, 2 SMN2 copies: median age at death or ventilation (months)",
                             source: "Finkel 2014 (2-copy subgroup, as the brief quotes)", target: 10.5,
                             simulated: Summary.kaplanMeierMedian(t1TwoCopies), tolerance: 3,
                             toleranceReason: "a subgroup of the 34 infants (about 23): SE about 2 months",
                             sampleSize: t1TwoCopies.count),
            CalibrationCheck(name: "untreated type 1: free of death and permanent ventilation at 2 y (%)",
                             source: "Zerres 1995 (survival, ventilation rarely offered)", target: 32,
                             simulated: 100 * Summary.kaplanMeier(t1Years, at: 2), tolerance: 7,
                             toleranceReason: "n = 197: SE 3.3 points; the figure is survival in an era when "
                                 + "permanent ventilation was seldom offered, so it is compared with event-free survival",
                             sampleSize: t1Years.count),
            CalibrationCheck(name: "untreated type 2: survival at 5 y (%)", source: "Zerres 1997", target: 98.5,
                             simulated: 100 * Summary.kaplanMeier(type2Deaths, at: 5), tolerance: 2,
                             toleranceReason: "n = 240: SE 0.8 points", sampleSize: type2Deaths.count),
            CalibrationCheck(name: "untreated type 2: survival at 25 y (%)", source: "Zerres 1997", target: 68.5,
                             simulated: 100 * Summary.kaplanMeier(type2Deaths, at: 25), tolerance: 7,
                             toleranceReason: "n = 240 with censoring: SE about 3.5 points", sampleSize: type2Deaths.count),
            CalibrationCheck(name: "type 3a (onset < 3 y): walking 10 y after onset (%)", source: "Zerres 1997",
                             target: 70.3, simulated: 100 * Summary.kaplanMeier(type3a, at: 10), tolerance: 10,
                             toleranceReason: "2 x combined SE: published n = 195 (SE 3.3) and about 140 simulated "
                                 + "type 3a (MC SE 3.9)", sampleSize: type3a.count),
            CalibrationCheck(name: "type 3a (onset < 3 y): walking 40 y after onset (%)", source: "Zerres 1997",
                             target: 22.0, simulated: 100 * Summary.kaplanMeier(type3a, at: 40), tolerance: 12,
                             toleranceReason: "2 x combined SE: published n = 195, few followed 40 y (SE about 4.5) "
                                 + "and MC SE about 4",
                             sampleSize: type3a.count),
            CalibrationCheck(name: "type 3b (onset >= 3 y): walking 10 y after onset (%)", source: "Zerres 1997",
                             target: 96.7, simulated: 100 * Summary.kaplanMeier(type3b, at: 10), tolerance: 5,
                             toleranceReason: "2 x combined SE: published n = 134 (SE 1.6) and MC SE 1.7",
                             sampleSize: type3b.count),
            CalibrationCheck(name: "type 3b (onset >= 3 y): walking 40 y after onset (%)", source: "Zerres 1997",
                             target: 58.7, simulated: 100 * Summary.kaplanMeier(type3b, at: 40), tolerance: 14,
                             toleranceReason: "2 x combined SE: published n = 134, few followed 40 y (SE about 5) and "
                                 + "about 115 simulated (MC SE about 5)",
                             sampleSize: type3b.count),
            CalibrationCheck(name: "CHERISH-like untreated type 2, age 2-9 sitting: HFMSE change in 15 months",
                             source: "Mercuri 2018 (sham arm)", target: -1.0, simulated: sham.mean, tolerance: 1.2,
                             toleranceReason: "sham arm n = 42: SE of the mean change about 0.6",
                             sampleSize: sham.count),
            CalibrationCheck(name: "CHERISH-like type 2 on nusinersen from age 2-9: HFMSE change in 15 months",
                             source: "Mercuri 2018", target: 3.9, simulated: treated.mean, tolerance: 1.2,
                             toleranceReason: "nusinersen arm n = 84: SE about 0.5; MC SE about 0.4 with few treated",
                             sampleSize: treated.count),
            CalibrationCheck(name: "type 1 on nusinersen: CHOP INTEND change in 6 months", source: "Pechmann 2018",
                             target: 9.0, simulated: chop.mean, tolerance: 2.5,
                             toleranceReason: "n = 61, SD 8.0: SE 1.0; older children (mean 21 months) than the model's "
                                 + "treated infants, noise-free scores",
                             sampleSize: chop.count),
            CalibrationCheck(name: "ENDEAR-like infants on nusinersen: CHOP INTEND +4 or more at 6 months (%)",
                             source: "Finkel 2017", target: 71, simulated: 100 * endear.responders,
                             tolerance: 15,
                             toleranceReason: "2 x combined SE: nusinersen arm n = 73 (SE 5.3) and about 55 simulated "
                                 + "treated infants (MC SE 6); noise-free scores (ENDEAR measured at the last "
                                 + "visit, up to 13 months)",
                             sampleSize: endear.treatedCount),
            CalibrationCheck(name: "ENDEAR-like untreated infants: CHOP INTEND +4 or more at 6 months (%)",
                             source: "Finkel 2017 (sham arm)", target: 3, simulated: 100 * endear.shamResponders,
                             tolerance: 4, toleranceReason: "sham arm n = 37: 1 responder, 95 % CI 0-14 %",
                             sampleSize: endear.shamCount),
            CalibrationCheck(name: "ENDEAR-like untreated infants: death or permanent ventilation in 13 months (%)",
                             source: "Finkel 2017 (sham arm)", target: 68, simulated: 100 * endear.shamEventFraction,
                             tolerance: 15,
                             toleranceReason: "2 x combined SE: 28 of 41 sham infants (SE 7.3) and MC SE 2; Kaplan–Meier "
                                 + "from 5.4 months of age",
                             sampleSize: endear.shamCount),
            CalibrationCheck(name: "ENDEAR-like infants on nusinersen: sitting without support within 13 months (%)",
                             source: "Finkel 2017", target: 8, simulated: 100 * endear.sitting, tolerance: 11.5,
                             toleranceReason: "2 x combined SE: 6 of 73 (SE 3.2) and about 30 simulated infants "
                                 + "followed 13 months (MC SE 4.8)",
                             sampleSize: endear.sittingCount),
            CalibrationCheck(name: "ENDEAR-like infants: hazard ratio of death or permanent ventilation, 13 months",
                             source: "Finkel 2017", target: 0.53, simulated: endear.hazardRatio, tolerance: 0.3,
                             toleranceReason: "2 x combined SE: published 95 % CI 0.32-0.89 (SE about 0.14 on the HR "
                                 + "scale) and about 50 simulated treated infants (MC SE about 0.1); ratio of cumulative "
                                 + "hazards (Kaplan–Meier) at 13 months",
                             sampleSize: endear.treatedCount),
        ]
    }

    /// Untreated type 2 children at age 6 (within CHERISH's 2-9) who sit: noise-free HFMSE change over 15 months.
    func cherishSham() -> (mean: Double, count: Int) {
        let m = c.measure("hfmse"), lost = c.state("loss-of-sitting")
        var changes: [Double] = []
        for p in c.untreated where type(p) == 1 {
            let index = 6.0
            guard p.course.deathAge > index + 1.25, !p.course.isActive(state: lost, atAge: index) else { continue }
            changes.append(p.course.value(ofMeasure: m, atAge: index + 1.25) - p.course.value(ofMeasure: m, atAge: index))
        }
        return (Summary.mean(changes), changes.count)
    }

    /// Type 2 children who start nusinersen aged 2-9 while sitting: noise-free HFMSE change over 15 months.
    func cherishTreated() -> (mean: Double, count: Int) {
        let m = c.measure("hfmse"), lost = c.state("loss-of-sitting"), drug = c.state("nusinersen")
        var changes: [Double] = []
        for p in c.treated where type(p) == 1 {
            guard let start = p.course.entryAge(of: drug), start >= 2, start < 10,
                  p.course.deathAge > start + 1.25, !p.course.isActive(state: lost, atAge: start) else { continue }
            changes.append(p.course.value(ofMeasure: m, atAge: start + 1.25) - p.course.value(ofMeasure: m, atAge: start))
        }
        return (Summary.mean(changes), changes.count)
    }

    /// Type 1 patients on nusinersen: noise-free CHOP INTEND change over the first 6 months.
    func chopChangeOnNusinersen() -> (mean: Double, count: Int) {
        let m = c.measure("chop-intend"), drug = c.state("nusinersen")
        var changes: [Double] = []
        for p in c.treated where type(p) == 0 {
            guard let start = p.course.entryAge(of: drug), eventAge(p) > start + 0.5 else { continue }
            changes.append(p.course.value(ofMeasure: m, atAge: start + 0.5) - p.course.value(ofMeasure: m, atAge: start))
        }
        return (Summary.mean(changes), changes.count)
    }

    /// ENDEAR-like infants: type 1, 2 SMN2 copies, onset by 6 months, free of death and permanent ventilation
    /// at the index. Treated: nusinersen started by 7 months of age (index = start). Untreated: index at
    /// 5.4 months (about ENDEAR's median age at first dose).
    func endearComparison() -> (responders: Double, shamResponders: Double, hazardRatio: Double,
                                treatedCount: Int, shamCount: Int, shamEventFraction: Double,
                                sitting: Double, sittingCount: Int) {
        let sits = c.state("sits-on-treatment")
        var sat: [Bool] = []
        let m = c.measure("chop-intend"), drug = c.state("nusinersen")
        func eligible(_ p: SimulatedPatient) -> Bool { type(p) == 0 && copies(p) == 2 }
        var treatedEvents: [(time: Double, event: Bool)] = [], shamEvents: [(time: Double, event: Bool)] = []
        var treatedResponse: [Bool] = [], shamResponse: [Bool] = []
        func follow(_ p: SimulatedPatient, from index: Double) -> (time: Double, event: Bool) {
            let t = eventAge(p) - index
            return t <= 13.0 / 12 ? (t, true) : (13.0 / 12, false)
        }
        func responded(_ p: SimulatedPatient, from index: Double) -> Bool? {
            guard eventAge(p) > index + 0.5 else { return nil }
            return p.course.value(ofMeasure: m, atAge: index + 0.5) - p.course.value(ofMeasure: m, atAge: index) >= 4
        }
        for p in c.treated where eligible(p) {
            guard let start = p.course.entryAge(of: drug), start <= 7.0 / 12, eventAge(p) > start else { continue }
            treatedEvents.append(follow(p, from: start))
            if eventAge(p) > start + 13.0 / 12 {
                sat.append(p.course.entryAge(of: sits).map { $0 <= start + 13.0 / 12 } ?? false)
            }
            if let r = responded(p, from: start) { treatedResponse.append(r) }
        }
        let shamIndex = 5.4 / 12
        for p in c.untreated where eligible(p) && eventAge(p) > shamIndex {
            shamEvents.append(follow(p, from: shamIndex))
            if let r = responded(p, from: shamIndex) { shamResponse.append(r) }
        }
        let st = Summary.kaplanMeier(treatedEvents, at: 13.0 / 12), sc = Summary.kaplanMeier(shamEvents, at: 13.0 / 12)
        let hr = (st > 0 && sc > 0 && sc < 1) ? log(st) / log(sc) : .nan
        return (Summary.fraction(treatedResponse), Summary.fraction(shamResponse), hr,
                treatedEvents.count, shamEvents.count, 1 - sc, Summary.fraction(sat), sat.count)
    }
}
