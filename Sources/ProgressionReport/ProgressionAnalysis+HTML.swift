import Foundation
import Plotting
import RecordDisplay
import Statistics

extension ProgressionAnalysis {
    static let style = """
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:1100px;\
    color:#222;line-height:1.4;padding:0 1em}
    h1{font-size:1.5em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.8em}h3{margin:.6em 0 .2em}
    table{border-collapse:collapse;margin:.4em 0 1.2em;font-size:.88em}th,td{border:1px solid #ddd;padding:.25em .5em;\
    text-align:left}th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
    .charts{display:flex;flex-wrap:wrap;gap:.8em}.charts svg{max-width:100%;height:auto}
    .method{color:#444;max-width:900px;font-size:.92em}
    """

    /// The report as one self-contained HTML page (inline CSS and SVG, nothing fetched).
    package func html(cohortSizes: [String: Int]) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<title>Progression: \(esc(disease))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        h += "<h1>Natural history of \(esc(disease))</h1>\n<p>"
        h += cohorts.map { "\(esc($0)): \(cohortSizes[$0] ?? 0) patients" }.joined(separator: "; ")
        h += ". Subgroups: \(esc(groupingName)).</p>\n"
        h += "<p class=\"method\">Trajectories: every recorded value in 5-year bins of age and of years since onset "
            + "(or diagnosis), median and 10–90 % range, bins with 5 or more values. Milestones: Kaplan–Meier on "
            + "the age scale with entry at the first visit (left truncation); patients with the milestone recorded "
            + "before entry are left out; each curve starts at the first age with 10 or more at risk (it is "
            + "conditional on being event-free then); 95 % log(−log) intervals; median with its "
            + "Brookmeyer–Crowley interval. "
            + "Slopes: per-patient least-squares slopes of the values recorded before any treatment (at least 3 "
            + "values over at least a year). Sample sizes: two arms, two-sided α = 0.05; slope endpoints as a "
            + "reduction of the mean slope with the between-patient SD of slopes; milestones by Schoenfeld's "
            + "formula over 2 years of follow-up with the cohort's own 2-year risk from entry. Every figure is "
            + "in tables/*.csv.</p>\n"
        h += trajectorySection() + milestoneSection() + slopeSection() + sampleSizeSection()
        h += "</body>\n</html>\n"
        return h
    }

    private func trajectorySection() -> String {
        var h = "<h2>Trajectories</h2>\n<p class=\"method\">Lines: the median of the values in each bin; "
            + "bands: the 10–90 % range. Measures whose values spread over decades are drawn on a log scale.</p>\n"
        for measure in Set(bins.map(\.measure)).sorted() {
            h += "<h3>\(esc(measure))</h3>\n<div class=\"charts\">\n"
            for axis in ["age", "duration"] {
                guard let chart = trajectoryChart(measure, axis: axis) else { continue }
                h += SVGFormat.inlined(chart.svg()) + "\n"
            }
            h += "</div>\n"
        }
        return h
    }

    /// A measure's median and 10–90 % range per bin of age or of years since onset (`axis`), one
    /// line per cohort and group, on the axis the template asks for; nil with no bins.
    func trajectoryChart(_ measure: String, axis: String) -> LineChart? {
        var series: [LineSeries] = []
        for cohort in cohorts {
            for group in groups {
                let b = bins.filter { $0.measure == measure && $0.axis == axis && $0.cohort == cohort
                    && $0.group == group }
                guard !b.isEmpty else { continue }
                series.append(LineSeries(name: seriesName(cohort, group), x: b.map { ($0.low + $0.high) / 2 },
                                         y: b.map(\.median), lower: b.map(\.p10), upper: b.map(\.p90),
                                         dashed: cohort != cohorts.first, showsPoints: true))
            }
        }
        guard !series.isEmpty else { return nil }
        let y = axes[measure] ?? MeasureAxis(name: measure, unit: "", plotScale: .linear)
        return LineChart(title: "\(measure) by \(axis == "age" ? "age" : "disease duration")",
                         xLabel: axis == "age" ? "age (years)" : "years since onset", yLabel: y.title,
                         series: series, size: ChartSize(width: 520, height: 340), yScale: y.scale)
    }

    private func milestoneSection() -> String {
        var h = "<h2>Milestones</h2>\n"
        for event in Set(milestones.map(\.event)).sorted() {
            let curves = milestones.filter { $0.event == event }
            let series = curves.map { m -> StepSeries in
                let start = m.start
                let bands = m.curve.times.map { try? m.curve.confidenceInterval(at: $0) }
                return StepSeries(name: seriesName(m.cohort, m.group), times: [start] + m.curve.times,
                                  values: [1] + m.curve.survival, lower: [1] + bands.map { $0?.lower ?? .nan },
                                  upper: [1] + bands.map { $0?.upper ?? .nan })
            }
            let chart = StepChart(title: "Free of \(event.lowercased())", xLabel: "age (years)",
                                  yLabel: "probability without the event", series: series,
                                  size: ChartSize(width: 620, height: 380), showsCensorTicks: false)
            h += "<h3>\(esc(event))</h3>\n<div class=\"charts\">\(SVGFormat.inlined(chart.svg()))</div>\n"
            let ages = stride(from: 10.0, through: 70, by: 10).map { $0 }
            h += "<table><tr><th>cohort, group</th><th>from age</th><th>patients</th><th>events</th>"
            h += "<th>median age (95 % CI)</th>"
            h += ages.map { "<th>at risk, age \(Int($0))</th>" }.joined() + "</tr>\n"
            for m in curves {
                let med = m.median.estimate.map { String(format: "%.1f", $0) } ?? "not reached"
                let ci = "\(m.median.lower.map { String(format: "%.1f", $0) } ?? "–")–"
                    + "\(m.median.upper.map { String(format: "%.1f", $0) } ?? "–")"
                h += "<tr><td>\(esc(seriesName(m.cohort, m.group)))</td>"
                h += "<td class=\"n\">\(String(format: "%.1f", m.start))</td><td class=\"n\">\(m.subjects)</td>"
                h += "<td class=\"n\">\(Int(m.curve.events.reduce(0, +)))</td><td class=\"n\">\(med) (\(ci))</td>"
                h += ages.map { "<td class=\"n\">\($0 < m.start ? "–" : String(atRisk(m, $0)))</td>" }.joined()
                h += "</tr>\n"
            }
            h += "</table>\n"
        }
        return milestones.isEmpty ? h + "<p>No milestone had enough patients and events.</p>\n" : h
    }

    /// The number at risk just after `age`: entered before it and not yet left.
    private func atRisk(_ m: Milestone, _ age: Double) -> Int {
        guard let k = m.curve.times.firstIndex(where: { $0 > age }) else { return 0 }
        return Int(m.curve.atRisk[k])
    }

    private func slopeSection() -> String {
        var h = "<h2>Untreated slopes</h2>\n<table><tr><th>measure</th><th>cohort, group</th><th>patients</th>"
        h += "<th>mean</th><th>SD</th><th>median</th><th>25–75 %</th></tr>\n"
        for s in slopeSummary() where s.n > 0 {
            h += "<tr><td>\(esc(s.measure)) (\(esc(s.unit)))</td><td>\(esc(seriesName(s.cohort, s.group)))</td>"
            h += "<td class=\"n\">\(s.n)</td><td class=\"n\">\(f3(s.mean))</td><td class=\"n\">\(f3(s.sd))</td>"
            h += "<td class=\"n\">\(f3(s.median))</td><td class=\"n\">\(f3(s.p25)) – \(f3(s.p75))</td></tr>\n"
        }
        h += "</table>\n"
        // The distribution of the slopes per measure and cohort, each group a sample (the 1st to 99th
        // centile, so that a few short, noisy series do not set the axis).
        var keys: [(measure: String, cohort: String)] = []
        for s in slopes where !keys.contains(where: { $0 == (s.measure, s.cohort) }) { keys.append((s.measure, s.cohort)) }
        var charts = ""
        for key in keys {
            let groups = slopes.filter { $0.measure == key.measure && $0.cohort == key.cohort && $0.patients.count >= 5 }
            let pooled = groups.flatMap(\.values).sorted()
            guard pooled.count >= 10 else { continue }
            let lo = pooled[Int(0.01 * Double(pooled.count - 1))], hi = pooled[Int(0.99 * Double(pooled.count - 1))]
            let samples = groups.map { g in
                HistogramSample(name: seriesName(g.cohort, g.group), values: g.values.filter { $0 >= lo && $0 <= hi })
            }
            let unit = groups.first?.unit ?? ""
            let chart = HistogramChart(title: "Untreated \(key.measure) slopes, \(key.cohort)",
                                       xLabel: unit.isEmpty ? key.measure : "\(key.measure), \(unit)",
                                       samples: samples, size: ChartSize(width: 520, height: 320))
            charts += SVGFormat.inlined(chart.svg()) + "\n"
        }
        if !charts.isEmpty { h += "<div class=\"charts\">\n" + charts + "</div>\n" }
        return h
    }

    private func sampleSizeSection() -> String {
        var h = "<h2>Sample size per arm</h2>\n<p class=\"method\">Effect: the reduction of the mean untreated "
            + "slope, or 1 − the hazard ratio of a milestone; two-sided α = 0.05; milestones over 2 years of "
            + "follow-up, events in brackets.</p>\n<table><tr><th>cohort</th><th>endpoint</th>"
        let effects = Self.effects
        h += effects.flatMap { e in
            Self.powers.map { "<th>\(Int(e * 100)) %, power \(Int($0 * 100)) %</th>" }
        }.joined()
        h += "</tr>\n"
        let keys = sampleSizes.map { "\($0.cohort)\u{1}\($0.endpoint)" }
        var seen = Set<String>()
        for key in keys where seen.insert(key).inserted {
            let rows = sampleSizes.filter { "\($0.cohort)\u{1}\($0.endpoint)" == key }
            guard let first = rows.first else { continue }
            h += "<tr><td>\(esc(first.cohort))</td><td>\(esc(first.endpoint))</td>"
            for e in effects {
                for p in Self.powers {
                    let r = rows.first { $0.effect == e && $0.power == p }
                    let text = r?.perArm.map(String.init) ?? "–"
                    h += "<td class=\"n\">\(text)\(r?.events.map { " (\($0) events)" } ?? "")</td>"
                }
            }
            h += "</tr>\n"
        }
        return h + "</table>\n"
    }

    private func seriesName(_ cohort: String, _ group: String) -> String {
        let c = cohorts.count > 1 ? cohort : ""
        let g = groups.count > 1 ? group : ""
        return [c, g].filter { !$0.isEmpty }.joined(separator: ", ").isEmpty ? cohort
            : [c, g].filter { !$0.isEmpty }.joined(separator: ", ")
    }

    private func f3(_ x: Double?) -> String { x.map { String(format: "%.3g", $0) } ?? "–" }

    private func esc(_ s: String) -> String { SVGFormat.escape(s) }
}
