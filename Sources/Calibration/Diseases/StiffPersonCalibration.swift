import Simulation

/// Stiff person syndrome: onset, sex, phenotype mix and diagnostic delay (Johns Hopkins), GAD65
/// positivity and its sex ratio, autoimmune comorbidity, falls, walking aids, the response to IVIG and
/// deaths in PERM. Most anchors are abstracts of referral cohorts, and three are a registry summary: the
/// tolerances say so.
struct StiffPersonCalibration {
    let c: CalibrationCohorts
    init(_ cohorts: CalibrationCohorts) { c = cohorts }

    /// Index of the phenotype value (template order: classic, sps-plus, perm, partial).
    func phenotype(_ p: SimulatedPatient) -> Int { p.course.context.categories[c.attribute("phenotype")] }

    func checks() -> [CalibrationCheck] {
        let onset = c.state("onset"), diagnosis = c.state("diagnosis"), gad = c.state("gad65-autoimmunity")
        let people = c.untreated.filter { $0.course.entryAge(of: onset) != nil }
        let onsetAges = people.map { $0.course.entryAge(of: onset)! }
        let delays = people.compactMap { p -> Double? in
            guard let d = p.course.entryAge(of: diagnosis) else { return nil }
            return d - p.course.entryAge(of: onset)!
        }
        let positive = people.filter { $0.course.entryAge(of: gad) != nil }
        /// Share of `group` that entered `state` by `years` after `origin` (alive then or not).
        func share(_ state: String, by years: Double, after origin: Int, in group: [SimulatedPatient]) -> [Bool] {
            let s = c.state(state)
            return group.compactMap { p in
                guard let o = p.course.entryAge(of: origin) else { return nil }
                return p.course.entryAge(of: s).map { $0 <= o + years } ?? false
            }
        }
        let diagnosed = people.filter { $0.course.entryAge(of: diagnosis) != nil }
        let t1d = share("type-1-diabetes", by: 10, after: diagnosis, in: diagnosed)
        let thyroid = share("autoimmune-thyroiditis", by: 10, after: diagnosis, in: diagnosed)
        let falls = share("falls", by: 0, after: diagnosis, in: diagnosed)
        let treatedPeople = c.treated.filter { $0.course.entryAge(of: onset) != nil }
        let aid = c.timeTo(c.state("walking-aid"), from: onset, in: treatedPeople)
        // Rakocevic's NIH patients had GAD65-positive SPS, not PERM, which can disable within months.
        let earlyAid = c.timeTo(c.state("walking-aid"), from: onset, in: treatedPeople.filter { phenotype($0) != 2 })
        let perm = treatedPeople.filter { phenotype($0) == 2 }
        let permDeaths = perm.map { (time: $0.course.deathAge - $0.course.entryAge(of: onset)!, event: true) }
        let response = ivigResponse()
        return [
            check("age at onset, mean (y)", "Wang 2024", 42.9, Summary.mean(onsetAges), 1.9,
                  "n = 227, SD 14.1: 95 % CI of the mean ±1.8 y", onsetAges.count),
            check("age at onset, SD (y)", "Wang 2024", 14.1, Summary.sd(onsetAges), 1.4,
                  "n = 227: 95 % CI of the SD about ±1.3 y; the template truncates at 8 and 85", onsetAges.count),
            check("women (%)", "Wang 2024", 75.8, 100 * Summary.fraction(people.map { $0.course.sex == .female }),
                  5.6, "n = 227: 95 % CI ±5.6 points; other centres 62-79 %", people.count),
            check("classic phenotype (%)", "Wang 2024", 67.8, 100 * Summary.fraction(people.map { phenotype($0) == 0 }),
                  6.1, "154 of 227: 95 % CI ±6.1 points (Barcelona finds 41 %, with more stiff-limb)", people.count),
            check("onset to diagnosis, median (y)", "Wang 2024", 36.2 / 12, Summary.median(delays), 0.6,
                  "n = 227, spread not in the abstract; a log-SD of 1 gives a 95 % CI of the median ±0.5 y",
                  delays.count),
            check("GAD65 antibodies (%)", "Orphanet (secondary)", 75, 100 * Double(positive.count) / Double(people.count),
                  10, "a registry summary's 70-80 %, widened: cohorts find 43 % (Barcelona) to 68 % of seropositive "
                      + "(Mayo)", people.count),
            check("women among GAD65-positive (%)", "Martinez-Hernandez 2016", 86.5,
                  100 * Summary.fraction(positive.map { $0.course.sex == .female }), 9.3,
                  "45 of 52: 95 % CI ±9.3 points", positive.count),
            check("type 1 diabetes by 10 y after diagnosis (%)", "Orphanet (secondary)", 30,
                  100 * Summary.fraction(t1d), 8,
                  "registry summary without n; ±8 as for a cohort of about 120", t1d.count),
            check("autoimmune thyroiditis by 10 y after diagnosis (%)", "Orphanet (secondary)", 10,
                  100 * Summary.fraction(thyroid), 5.4, "registry summary without n; ±5.4 as for about 120",
                  thyroid.count),
            check("recurrent falls by diagnosis (%)", "Chia 2023", 76, 100 * Summary.fraction(falls), 12,
                  "48 confirmed patients: 95 % CI ±12 points", falls.count),
            check("walking aid within 2 y of onset, PERM excluded (%, death censored)", "Rakocevic 2019", 0,
                  100 * (1 - Summary.kaplanMeier(earlyAid, at: 2)), 5.2,
                  "none of 57: the one-sided 95 % upper bound is 5.2 %", earlyAid.count),
            check("walking aid by 10 y after onset (%, death censored)", "Johns Hopkins 2023 (abstracts)", 72,
                  100 * (1 - Summary.kaplanMeier(aid, at: 10)), 8,
                  "'more than 70 %' after a mean follow-up of about 10 y (n about 205): ±6 points, widened for the "
                      + "inexact figure", aid.count),
            check("IVIG: stiffness index down at least 1 after 3 months (%)", "Yi 2022", 67, response.percent, 15,
                  "24 of 36 responders: 95 % CI ±15 points; the latent index, before measurement noise",
                  response.count),
            check("PERM: died within 5 y of onset (%)", "Carvajal-González 2014; Guasp 2025", 18,
                  100 * (1 - Summary.kaplanMeier(permDeaths, at: 5)), 10,
                  "9 % in the acute disease (n = 45) to 27 % (n = 41, follow-up not read): the midpoint, "
                      + "spanning both", permDeaths.count),
        ]
    }

    /// Patients who started IVIG with at least 3 months to live: the share whose latent stiffness index
    /// fell by at least one region over those 3 months.
    func ivigResponse() -> (percent: Double, count: Int) {
        let ivig = c.state("ivig"), m = c.measure("stiffness-index")
        var responded: [Bool] = []
        for p in c.treated {
            guard let start = p.course.entryAge(of: ivig), p.course.deathAge > start + 0.25 else { continue }
            let before = p.course.value(ofMeasure: m, atAge: start)
            responded.append(p.course.value(ofMeasure: m, atAge: start + 0.25) <= before - 1)
        }
        return (100 * Summary.fraction(responded), responded.count)
    }
}
