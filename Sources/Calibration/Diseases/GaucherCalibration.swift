import Foundation
import DiseaseModeling
import Simulation

/// Gaucher disease type 1: onset, children at diagnosis, the mild untreated adult cohort,
/// ERT response, splenectomy and life expectancy.
struct GaucherCalibration {
    let c: CalibrationCohorts
    init(_ cohorts: CalibrationCohorts) { c = cohorts }

    func genotype(_ p: SimulatedPatient) -> Int { p.course.context.categories[c.attribute("genotype")] }

    func checks() -> [CalibrationCheck] {
        let onset = c.state("onset"), diagnosis = c.state("diagnosis")
        let spleen = c.measure("spleen-mn"), hb = c.measure("hemoglobin")
        let platelets = c.measure("platelets"), crisis = c.state("bone-crisis"), splenectomy = c.state("splenectomy")
        let people = c.untreated
        let onsetAges = people.compactMap { $0.course.entryAge(of: onset) }
        // Children at diagnosis (untreated cohort: nobody has had ERT before diagnosis anyway).
        let children = people.filter { p in
            p.course.entryAge(of: diagnosis).map { $0 < 18 && $0 < p.course.deathAge } ?? false
        }
        func atDiagnosis(_ p: SimulatedPatient, _ m: Int) -> Double {
            p.course.value(ofMeasure: m, atAge: p.course.entryAge(of: diagnosis)!)
        }
        let splenomegaly = children.map { atDiagnosis($0, spleen) > 1.5 }
        let thrombocytopenia = children.map { atDiagnosis($0, platelets) < 150 }
        let anaemia = children.map { atDiagnosis($0, hb) < 11.5 }
        let crisisHistory = children.map { p in
            p.course.entryAge(of: crisis).map { $0 <= p.course.entryAge(of: diagnosis)! } ?? false
        }
        let mild = mildAdults()
        let response = ertResponse()
        // Splenectomy within 10 years of onset, untreated, death censoring.
        let splenectomyData: [(time: Double, event: Bool)] = people.compactMap { p in
            guard let o = p.course.entryAge(of: onset) else { return nil }
            if let s = p.course.entryAge(of: splenectomy) { return (s - o, true) }
            return (p.course.deathAge - o, false)
        }
        let loss = lifeExpectancyLoss()
        let persistent = persistentThrombocytopenia()
        return [
            check("age at first signs or symptoms, median (y)", "Dutch cohort 2014", 30.1, Summary.median(onsetAges), 3,
                  "single-country cohort; wide spread of onset", onsetAges.count),
            check("children at diagnosis: splenomegaly > 1.5 MN (%)", "Kaplan 2006", 95,
                  100 * Summary.fraction(splenomegaly), 4,
                  "n = 887: CI ±1.5; the volume cut-off for 'splenomegaly' is ours", splenomegaly.count),
            check("children at diagnosis: platelets < 150 (%)", "Kaplan 2006", 50,
                  100 * Summary.fraction(thrombocytopenia), 8,
                  "n = 887: CI ±3.3; definition of thrombocytopenia not stated in the abstract",
                  thrombocytopenia.count),
            check("children at diagnosis: Hb < 11.5 g/dL (%)", "Kaplan 2006", 40, 100 * Summary.fraction(anaemia), 8,
                  "n = 887: CI ±3.2; paediatric anaemia cut-off approximated by 11.5 g/dL", anaemia.count),
            check("children at diagnosis: bone crisis before (%)", "Kaplan 2006", 9,
                  100 * Summary.fraction(crisisHistory), 4, "n = 887: CI ±1.9; history recall", crisisHistory.count),
            check("mild untreated adults (N370S/N370S): Hb (g/dL)", "Ontario 2009", 12.8, mild.hb, 0.6, "small cohort",
                  mild.n),
            check("mild untreated adults: platelets (10^9/L)", "Ontario 2009", 138, mild.platelets, 20,
                  "small cohort, wide SD", mild.n),
            check("mild untreated adults: spleen (MN)", "Ontario 2009", 6.6, mild.spleen, 1.5, "small cohort, wide SD",
                  mild.n),
            check("mild untreated adults: liver (MN)", "Ontario 2009", 1.2, mild.liver, 0.15, "small cohort", mild.n),
            check("mild untreated adults: spleen change (MN/y)", "Ontario 2009", 0, mild.spleenSlope, 0.3,
                  "'stable over 9.5 years'", mild.n),
            check("ERT: platelets at 6 months (% change)", "UK cohort (secondary)", 50, response.platelets6, 15,
                  "per-patient change, baseline < 150", response.n),
            check("ERT: platelets at 12 months (% change)", "UK cohort (secondary)", 91, response.platelets12, 20,
                  "per-patient change, baseline < 150", response.n),
            check("ERT: platelets at 24 months (% change)", "UK cohort (secondary)", 142, response.platelets24, 30,
                  "per-patient change, baseline < 150", response.n),
            check("ERT 4-5 y, intact spleen: platelets < 120 (%)", "Hollak 2012", 24.0, persistent.percent, 5,
                  "244 of 1,016 ICGG patients (CI ±2.6); last recorded count in the fifth year", persistent.n),
            check("ERT: Hb change at 2 years, anaemic at start (g/dL)", "UK cohort (secondary)", 2.0, response.hb, 0.5,
                  "baseline Hb < 12", response.nAnaemic),
            check("ERT: spleen volume at 5 years (% change)", "Pastores 2004 / UK", -56, response.spleen, 8,
                  "goal range -50 to -60 %", response.n),
            check("ERT: liver volume at 5 years (% change)", "UK cohort (secondary)", -27, response.liver, 8,
                  "UK -27 %, ICGG goals -30 to -40 %", response.n),
            check("splenectomy within 10 y of symptoms, untreated (%)", "Dutch cohort 2014", 21,
                  100 * (1 - Summary.kaplanMeier(splenectomyData, at: 10)), 5,
                  "cohort of 130 patients: CI about ±7", splenectomyData.count),
            check("life expectancy lost vs general population (y)", "Weinreb 2008", 9, loss.years, 2.5,
                  "registry era, mostly treated; background from the US 2019 life table", loss.n),
        ]
    }

    func check(_ name: String, _ source: String, _ target: Double, _ simulated: Double, _ tolerance: Double,
               _ reason: String, _ n: Int) -> CalibrationCheck {
        CalibrationCheck(name: name, source: source, target: target, simulated: simulated, tolerance: tolerance,
                         toleranceReason: reason, sampleSize: n)
    }

    /// First observed values and spleen slope in untreated adult N370S homozygotes.
    func mildAdults() -> (hb: Double, platelets: Double, spleen: Double, liver: Double, spleenSlope: Double, n: Int) {
        var hb: [Double] = [], plt: [Double] = [], spl: [Double] = [], liv: [Double] = [], slopes: [Double] = []
        for p in c.untreated where genotype(p) == 0 {
            func first(_ id: String) -> Double? {
                c.observations(of: c.measure(id), in: p).first { $0.age >= 18 }?.value
            }
            if let v = first("hemoglobin") { hb.append(v) }
            if let v = first("platelets") { plt.append(v) }
            if let v = first("spleen-mn") { spl.append(v) }
            if let v = first("liver-mn") { liv.append(v) }
            let s = c.observations(of: c.measure("spleen-mn"), in: p).filter { $0.age >= 18 }.prefix(6)
            if s.count >= 3, let a = s.first, let b = s.last, b.age - a.age >= 3 {
                slopes.append(Summary.slope(s.map(\.age), s.map(\.value)))
            }
        }
        return (Summary.mean(hb), Summary.mean(plt), Summary.mean(spl), Summary.mean(liv), Summary.mean(slopes),
                hb.count)
    }

    /// Per-patient changes after starting ERT (true values, patients with a spleen, not on ERT before).
    func ertResponse() -> (platelets6: Double, platelets12: Double, platelets24: Double, hb: Double, spleen: Double,
                           liver: Double, n: Int, nAnaemic: Int) {
        let ert = c.state("imiglucerase"), splenectomy = c.state("splenectomy")
        let plt = c.measure("platelets"), hb = c.measure("hemoglobin"), spleen = c.measure("spleen-mn"),
            liver = c.measure("liver-mn")
        var p6: [Double] = [], p12: [Double] = [], p24: [Double] = [], dHb: [Double] = [], dSpleen: [Double] = [],
            dLiver: [Double] = []
        for p in c.treated {
            guard let start = p.course.entryAge(of: ert), p.course.deathAge > start + 5 else { continue }
            if let s = p.course.entryAge(of: splenectomy), s <= start + 5 { continue }
            func v(_ m: Int, _ t: Double) -> Double { p.course.value(ofMeasure: m, atAge: start + t) }
            let base = v(plt, 0)
            if base < 150 {
                p6.append(100 * (v(plt, 0.5) / base - 1))
                p12.append(100 * (v(plt, 1) / base - 1))
                p24.append(100 * (v(plt, 2) / base - 1))
            }
            if v(hb, 0) < 12 { dHb.append(v(hb, 2) - v(hb, 0)) }
            dSpleen.append(100 * (v(spleen, 5) / v(spleen, 0) - 1))
            dLiver.append(100 * (v(liver, 5) / v(liver, 0) - 1))
        }
        return (Summary.mean(p6), Summary.mean(p12), Summary.mean(p24), Summary.mean(dHb), Summary.mean(dSpleen),
                Summary.mean(dLiver), p6.count, dHb.count)
    }

    /// Share of patients on continuous ERT for 4-5 years with an intact spleen whose last recorded platelet
    /// count in the fifth year is below 120 x 10^9/L (Hollak 2012's definition).
    func persistentThrombocytopenia() -> (percent: Double, n: Int) {
        let ert = c.state("imiglucerase"), splenectomy = c.state("splenectomy"), plt = c.measure("platelets")
        var low: [Bool] = []
        for p in c.treated {
            guard let start = p.course.entryAge(of: ert), p.course.deathAge > start + 5 else { continue }
            if let stop = p.course.exitAge(of: ert, after: start), stop < start + 5 { continue }
            if let s = p.course.entryAge(of: splenectomy), s <= start + 5 { continue }
            guard let last = c.observations(of: plt, in: p).last(where: { $0.age >= start + 4 && $0.age <= start + 5 })
            else { continue }
            low.append(last.value < 120)
        }
        return (100 * Summary.fraction(low), low.count)
    }

    /// Mean age at death (treated cohort) below the general population's, with the same sex mix.
    func lifeExpectancyLoss() -> (years: Double, n: Int) {
        let mortality = c.template.mortality
        func e0(_ g: Mortality.GompertzMakeham) -> Double {
            var survival = 1.0, total = 0.0
            let step = 0.05
            for i in 0..<Int(110 / step) {
                let age = Double(i) * step
                let next = survival * exp(-g.cumulative(from: age, to: age + step))
                total += 0.5 * (survival + next) * step
                survival = next
            }
            return total
        }
        let males = Double(c.treated.filter { $0.course.sex == .male }.count)
        let n = Double(c.treated.count)
        let background = (males * e0(mortality.male) + (n - males) * e0(mortality.female)) / n
        return (background - Summary.mean(c.treated.map(\.course.deathAge)), c.treated.count)
    }
}
