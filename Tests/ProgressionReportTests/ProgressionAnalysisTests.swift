import DiseaseModeling
import Foundation
import Simulation
import Statistics
import Testing
import Timelines
import ZebraTestSupport
@testable import ProgressionReport

/// The report's medians and slopes are the statistics module's on the same records, computed here
/// from the timelines without the report's code.
@Suite struct ProgressionAnalysisTests {
    func cohort(_ disease: String, _ n: Int, seed: UInt64) throws
        -> (DiseaseTemplate, TemplateConcepts, [PatientTimeline]) {
        let template = try TestSupport.shippedTemplate(disease)
        var options = SimulationOptions(seed: seed)
        options.registry = RegistryProtocol()
        let simulator = CohortSimulator(template: template, options: options)
        return (template, simulator.concepts, simulator.patients(0..<n, threads: 2).map(\.timeline))
    }

    @Test(arguments: [("friedreich-ataxia", 3), ("friedreich-ataxia", 4), ("fabry", 3), ("gaucher", 3)]
          as [(String, UInt64)])
    func milestoneMediansAreTheStatisticsModulesByHand(disease: String, seed: UInt64) throws {
        let (template, concepts, timelines) = try cohort(disease, 800, seed: seed)
        let analysis = ProgressionAnalysis(template: template, concepts: concepts,
                                           cohorts: [ProgressionCohort(name: "synthetic", timelines: timelines)],
                                           grouping: .sex)
        var compared = 0, reached = 0
        for (e, event) in template.events.enumerated() where event.record != .none {
            for sex in [Sex.female, .male] {
                // By hand: entry at the first visit, exit at the end of the record, prevalent cases out.
                var entries: [Double] = [], times: [Double] = [], events: [Bool] = []
                for t in timelines where t.sex == sex {
                    guard let first = t.events.filter({ $0.kind == .encounter }).map(\.day).min() else { continue }
                    let entry = t.age(on: first), exit = t.age(on: t.followUpEnd)
                    let age = t.events.filter { $0.concept == concepts.events[e] }.map { t.age(on: $0.day) }.min()
                    if let age, age <= entry { continue }
                    entries.append(entry)
                    times.append(min(age ?? exit, exit))
                    events.append(age.map { $0 <= exit } ?? false)
                }
                guard entries.count >= 5, events.contains(true) else { continue }
                let full = try KaplanMeier.estimate(entries: entries, times: times, events: events)
                guard let start = full.times.indices.first(where: { full.atRisk[$0] >= 10 }).map({ full.times[$0] })
                else { continue }
                let kept = times.indices.filter { times[$0] >= start }
                guard kept.contains(where: { events[$0] }) else { continue }
                let curve = try KaplanMeier.estimate(entries: kept.map { max(entries[$0], start - 1e-9) },
                                                     times: kept.map { times[$0] }, events: kept.map { events[$0] })
                let m = try #require(analysis.milestones.first {
                    $0.group == sex.rawValue && $0.event == event.concept.text
                }, "no curve for \(event.id), \(sex)")
                #expect(m.subjects == kept.count, "\(event.id) \(sex)")
                #expect(m.start == start)
                let median = try curve.medianSurvival()
                #expect(m.median.estimate == median.estimate && m.median.lower == median.lower, "\(event.id) \(sex)")
                compared += 1
                if median.estimate != nil { reached += 1 }
            }
        }
        try #require(compared >= 2, "too few milestone curves to compare (\(compared))")
        if disease == "friedreich-ataxia" { try #require(reached >= 2, "the median must be reached for the test to bite") }
    }

    @Test(arguments: [("fabry", "egfr"), ("friedreich-ataxia", "mfars"), ("gaucher", "platelets")])
    func slopesAreLeastSquaresOnUntreatedValues(disease: String, measure: String) throws {
        let (template, concepts, timelines) = try cohort(disease, 600, seed: 5)
        let analysis = ProgressionAnalysis(template: template, concepts: concepts,
                                           cohorts: [ProgressionCohort(name: "c", timelines: timelines)],
                                           grouping: .none)
        let egfr = try #require(template.measureIndex(measure))
        var byHand: [String: Double] = [:]
        for t in timelines {
            let treated = t.events.filter { $0.kind == .medicationStart }.map { t.age(on: $0.day) }.min() ?? .infinity
            let points = t.events.filter { $0.kind == .quantity && $0.concept == concepts.measures[egfr] }
                .map { (t.age(on: $0.day), $0.value) }.filter { $0.0 < treated }
            guard points.count >= 3, let a = points.map(\.0).min(), let b = points.map(\.0).max(), b - a >= 1 else {
                continue
            }
            let fit = try LinearRegression.fit(response: points.map(\.1),
                                               regressors: [Regressor("age", points.map(\.0))])
            byHand[t.id] = fit.coefficients[fit.coefficientNames.firstIndex(of: "age")!]
        }
        let name = template.measures[egfr].concept.text
        let s = try #require(analysis.slopes.first { $0.measure == name })
        try #require(s.patients.count > 30)
        #expect(s.patients.count == byHand.count)
        for p in s.patients { #expect(abs(p.slope - (byHand[p.id] ?? .nan)) < 1e-9) }
        let summary = try #require(analysis.slopeSummary().first { $0.measure == name })
        #expect(abs((summary.mean ?? .nan) - (try Descriptive.mean(Array(byHand.values)))) < 1e-9)
    }

    @Test func tablesHoldEveryCurveAndBin() throws {
        let (template, concepts, timelines) = try cohort("gaucher", 400, seed: 2)
        let genotype = try #require(template.attributes.firstIndex { $0.id == "genotype" })
        let analysis = ProgressionAnalysis(template: template, concepts: concepts,
                                           cohorts: [ProgressionCohort(name: "s", timelines: timelines)],
                                           grouping: .attribute(genotype))
        let tables = Dictionary(uniqueKeysWithValues: analysis.tables().map { ($0.name, $0.text) })
        let medians = try #require(tables["km_medians.csv"]).split(separator: "\n")
        #expect(medians.count == analysis.milestones.count + 1)
        let bins = try #require(tables["trajectories.csv"]).split(separator: "\n")
        #expect(bins.count == analysis.bins.count + 1)
        #expect(analysis.bins.allSatisfy { $0.count >= 5 && $0.p10 <= $0.median && $0.median <= $0.p90 })
        #expect(Set(analysis.bins.map(\.group)).isSubset(of: Set(analysis.groups)))
        let html = analysis.html(cohortSizes: ["s": 400])
        #expect(html.contains("<svg") && html.contains("Sample size per arm"))
    }

    /// Lyso-Gb3 (marked `plotScale: log`) is drawn on a log axis with 1–2–5 ticks through 1, 10 and
    /// 100; eGFR keeps a linear axis with evenly spaced ticks. Both axes are titled in words with units.
    @Test func slopeDistributionsAreDrawnPerMeasureAndCohort() throws {
        let (template, concepts, timelines) = try cohort("fabry", 400, seed: 5)
        let analysis = ProgressionAnalysis(template: template, concepts: concepts,
                                           cohorts: [ProgressionCohort(name: "s", timelines: timelines)],
                                           grouping: .sex)
        let html = analysis.html(cohortSizes: ["s": 400])
        let charts = analysis.slopes.filter { $0.patients.count >= 5 }.map(\.measure)
        try #require(!charts.isEmpty)
        for measure in Set(charts) {
            #expect(html.contains("Untreated \(measure) slopes, s"), "\(measure)")
        }
    }

    @Test func skewedLabsGetALogAxis() throws {
        let (template, concepts, timelines) = try cohort("fabry", 400, seed: 5)
        let analysis = ProgressionAnalysis(template: template, concepts: concepts,
                                           cohorts: [ProgressionCohort(name: "s", timelines: timelines)],
                                           grouping: .none)
        let lyso = try #require(analysis.trajectoryChart("Lyso-Gb3, serum", axis: "age"))
        #expect(lyso.yLabel == "Lyso-Gb3, serum (ng/mL, log scale)")
        let logLabels = Self.yTickLabels(lyso.svg())
        #expect(logLabels.contains("1") && logLabels.contains("10"), "\(logLabels)")
        let oneTwoFive = Set([1.0, 2, 5].flatMap { m in (-2...4).map { m * pow(10, Double($0)) } }.map(Self.rounded))
        #expect(logLabels.allSatisfy { Double($0).map { oneTwoFive.contains(Self.rounded($0)) } ?? false })
        let f = lyso.frame
        #expect(abs((f.y.map(1) - f.y.map(10)) - (f.y.map(10) - f.y.map(100))) < 1e-9)

        let egfr = try #require(analysis.trajectoryChart("eGFR (CKD-EPI 2021)", axis: "duration"))
        #expect(egfr.yLabel == "eGFR (CKD-EPI 2021), mL/min/1.73 m²" && egfr.xLabel == "years since onset")
        let values = Self.yTickLabels(egfr.svg()).compactMap(Double.init)
        let steps = Set(zip(values, values.dropFirst()).map { $0.1 - $0.0 })
        #expect(values.count >= 4 && steps.count == 1, "\(values)")
        let html = analysis.html(cohortSizes: ["s": 400])
        #expect(html.contains("log scale"))
        #expect(!html.contains(">median, 10–90 %</text>"))
    }

    private static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

    /// The y-axis tick labels of a chart: 11 px text anchored at its end, left of the plot.
    static func yTickLabels(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text ").dropFirst().compactMap { chunk -> String? in
            guard chunk.contains("font-size=\"11.00\""), chunk.contains("text-anchor=\"end\""),
                  let open = chunk.firstIndex(of: ">"), let close = chunk.range(of: "</text>") else { return nil }
            return String(chunk[chunk.index(after: open)..<close.lowerBound])
        }
    }
}
