import Foundation
import Plotting

extension Evaluation {
    static let style = """
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;\
    line-height:1.4;padding:0 1em}
    h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
    table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}th,td{border:1px solid #ddd;padding:.3em .6em;\
    text-align:left;vertical-align:top}
    th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .flag{display:inline-block;width:.9em;height:.9em;border-radius:50%;vertical-align:middle;margin-right:.4em}
    .green{background:#2e9d4a}.amber{background:#e6a700}.red{background:#d0342c}.none{background:#bbb}
    .figures{display:flex;flex-wrap:wrap;gap:1em}.figure{flex:0 1 auto;max-width:100%}.figure svg{max-width:100%;\
    height:auto}
    .caption{font-size:.85em;color:#555;max-width:560px}.meta td{border:none;padding:.1em .8em .1em 0}
    details{margin:.5em 0 1em}summary{cursor:pointer;font-weight:600}
    """

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func cell(_ x: Double?) -> String {
        guard let x else { return "—" }
        if x == x.rounded(), Swift.abs(x) < 1e9 { return String(Int(x)) }
        return String(format: Swift.abs(x) >= 100 ? "%.1f" : "%.3f", x)
    }

    /// A self-contained HTML report (inline CSS and SVG, no scripts, nothing fetched): a summary
    /// table with traffic lights, then Fidelity, Privacy, Fairness and Notes.
    package func htmlReport() -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<title>Zebra evaluation: \(Self.escape(diseaseName))</title>\n"
            + "<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        h += "<h1>Synthetic data evaluation: \(Self.escape(diseaseName))</h1>\n<table class=\"meta\">\n"
        let rows: [(String, String)] = [
            ("Template", "\(disease) v\(templateVersion)"),
            ("Real (seed) records", sources["real"] ?? "—"), ("Synthetic records", sources["synthetic"] ?? "—"),
            ("Holdout records", sources["holdout"] ?? "none (no real-vs-real baseline)"),
            ("Model", sources["model"] ?? "none"),
            ("Patients compared",
             "real \(patients.real), synthetic \(patients.synthetic)"
                 + (patients.holdout.map { ", holdout \($0)" } ?? "")),
            ("Windows",
             windowing.sampled ? "sampled from the synthetic records like the real ones"
                 : "synthetic records used as they are"),
            ("Seed", String(seed)),
        ]
        for (k, v) in rows { h += "<tr><td><b>\(Self.escape(k))</b></td><td>\(Self.escape(v))</td></tr>\n" }
        h += "</table>\n"
        h += summaryTable()
        for section in MetricSection.allCases {
            h += "<h2 id=\"\(section.rawValue)\">\(section.rawValue.capitalized)</h2>\n"
            if section == .privacy {
                h += "<p><b>Note:</b> distance-based checks alone are not proof "
                    + "of privacy; they test particular attacks. See Notes.</p>\n"
            }
            let figs = figures.filter { $0.section == section }
            if !figs.isEmpty {
                h += "<div class=\"figures\">\n"
                for f in figs {
                    h += "<div class=\"figure\"><h3>\(Self.escape(f.title))</h3>\n\(SVGFormat.inlined(f.svg))\n<p "
                        + "class=\"caption\">\(Self.escape(f.caption))</p></div>\n"
                }
                h += "</div>\n"
            }
            let all = metrics.filter { $0.section == section }
            h += metricTable(all.filter { $0.group == nil })
            let grouped = all.filter { $0.group != nil }
            if !grouped.isEmpty {
                h += "<details><summary>By group (\(grouped.count) figures)</summary>\n" + metricTable(grouped)
                    + "</details>\n"
            }
        }
        h += "<h2 id=\"notes\">Notes</h2>\n<ul>\n"
        for n in notes { h += "<li>\(Self.escape(n))</li>\n" }
        h += "</ul>\n</body>\n</html>\n"
        return h
    }

    func summaryTable() -> String {
        var h = "<h2 id=\"summary\">Summary</h2>\n<table>\n"
            + "<tr><th>Section</th><th>Figure</th><th>Synthetic</th><th>Holdout "
            + "baseline</th><th>Flag</th><th>Thresholds</th></tr>\n"
        for line in headlines {
            h += "<tr><td>\(line.section.rawValue.capitalized)</td><td>\(Self.escape(line.title))</td>"
            h += "<td class=\"n\">\(Self.cell(line.value))</td><td class=\"n\">\(Self.cell(line.baseline))</td>"
            h += "<td><span class=\"flag "
                + "\(line.flag.rawValue)\"></span>\(line.flag.rawValue)</td><td>\(Self.escape(line.rule))</td></tr>\n"
        }
        return h + "</table>\n"
    }

    func metricTable(_ list: [Metric]) -> String {
        guard !list.isEmpty else { return "" }
        let grouped = list.contains { $0.group != nil }
        var h = "<table>\n<tr><th>Figure</th>" + (grouped ? "<th>Group</th>" : "")
            + "<th>Synthetic</th><th>Holdout baseline</th><th>Unit</th><th>Definition</th></tr>\n"
        for m in list {
            h += "<tr><td><code>\(Self.escape(m.name))</code></td>"
                + (grouped ? "<td>\(Self.escape(m.group ?? ""))</td>" : "")
            h += "<td class=\"n\">\(Self.cell(m.value))</td><td class=\"n\">\(Self.cell(m.baseline))</td>"
            h += "<td>\(Self.escape(m.unit ?? ""))</td><td>\(Self.escape(m.definition))</td></tr>\n"
        }
        return h + "</table>\n"
    }
}
