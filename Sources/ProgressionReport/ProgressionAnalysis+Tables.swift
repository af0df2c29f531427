import Foundation
import Serialization
import Statistics

extension ProgressionAnalysis {
    /// Every table and curve of the report as CSV, by file name (under `tables/`).
    package func tables() -> [(name: String, text: String)] {
        [("trajectories.csv", trajectoriesCSV()), ("km_curves.csv", curvesCSV()), ("km_medians.csv", mediansCSV()),
         ("slopes.csv", slopesCSV()), ("slope_summary.csv", slopeSummaryCSV()), ("sample_size.csv", sampleSizeCSV())]
    }

    func trajectoriesCSV() -> String {
        var lines = [csvLine(["cohort", "group", "measure", "axis", "from", "to", "n", "median", "p10", "p90"])]
        for b in bins {
            lines.append(csvLine([b.cohort, b.group, b.measure, b.axis, num(b.low), num(b.high), "\(b.count)",
                                  num(b.median), num(b.p10), num(b.p90)]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func curvesCSV() -> String {
        var lines = [csvLine(["cohort", "group", "event", "age", "at_risk", "events", "censored", "survival",
                              "lower95", "upper95"])]
        for m in milestones {
            for (k, t) in m.curve.times.enumerated() {
                let ci = try? m.curve.confidenceInterval(at: t)
                lines.append(csvLine([m.cohort, m.group, m.event, num(t), num(m.curve.atRisk[k]),
                                      num(m.curve.events[k]), num(m.curve.censored[k]), num(m.curve.survival[k]),
                                      num(ci?.lower), num(ci?.upper)]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func mediansCSV() -> String {
        var lines = [csvLine(["cohort", "group", "event", "from_age", "subjects", "events", "median_age", "lower95",
                              "upper95", "risk_2y_from_entry"])]
        for m in milestones {
            lines.append(csvLine([m.cohort, m.group, m.event, num(m.start), "\(m.subjects)",
                                  num(m.curve.events.reduce(0, +)),
                                  num(m.median.estimate), num(m.median.lower), num(m.median.upper),
                                  num(m.twoYearRisk)]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func slopesCSV() -> String {
        var lines = [csvLine(["cohort", "group", "measure", "patient", "slope_per_year", "values", "years"])]
        for s in slopes {
            for p in s.patients {
                lines.append(csvLine([s.cohort, s.group, s.measure, p.id, num(p.slope), "\(p.count)", num(p.span)]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per cohort, group and measure: n, mean, SD, median and quartiles of the per-patient slopes.
    package func slopeSummary() -> [(cohort: String, group: String, measure: String, unit: String, n: Int,
                                     mean: Double?, sd: Double?, median: Double?, p25: Double?, p75: Double?)] {
        slopes.map { s in
            let v = s.values
            let q = v.isEmpty ? nil : try? Descriptive.quantiles(v, [0.5, 0.25, 0.75])
            return (s.cohort, s.group, s.measure, s.unit, v.count, try? Descriptive.mean(v),
                    v.count > 1 ? try? Descriptive.standardDeviation(v) : nil, q?[0], q?[1], q?[2])
        }
    }

    func slopeSummaryCSV() -> String {
        var lines = [csvLine(["cohort", "group", "measure", "unit", "patients", "mean", "sd", "median", "p25", "p75"])]
        for s in slopeSummary() {
            lines.append(csvLine([s.cohort, s.group, s.measure, s.unit, "\(s.n)", num(s.mean), num(s.sd),
                                  num(s.median), num(s.p25), num(s.p75)]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func sampleSizeCSV() -> String {
        var lines = [csvLine(["cohort", "endpoint", "kind", "effect", "power", "patients_per_arm", "events"])]
        for r in sampleSizes {
            lines.append(csvLine([r.cohort, r.endpoint, r.kind, num(r.effect), num(r.power),
                                  r.perArm.map(String.init) ?? "", r.events.map(String.init) ?? ""]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Six significant digits; empty for a missing or non-finite value.
    func num(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "" }
        return String(format: "%.6g", x)
    }
}
