import Foundation
import Plotting

extension PatientView {
    static let style = """
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:1000px;\
    color:#222;line-height:1.4;padding:0 1em}
    h1{font-size:1.4em;margin-bottom:.2em}.facts{margin:0 0 1.2em;color:#333}
    table{border-collapse:collapse;font-size:.9em;width:100%}td,th{border-bottom:1px solid #e3e3e3;padding:.25em .5em;\
    text-align:left;vertical-align:top}
    th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .visit td{background:#fafafa}.event td{font-weight:600}.death td{font-weight:600;color:#8a1c1c}
    .values{margin:0;padding:0;list-style:none}.values li{white-space:nowrap}.flag{font-weight:700;color:#b3261e}
    .range{color:#666}.on{color:#2d6a4f}.charts{display:flex;flex-wrap:wrap;gap:.8em;margin:1em 0}
    .charts svg{max-width:100%;height:auto}
    @media print{.charts{page-break-inside:avoid}}
    """

    /// The patient as one self-contained HTML page (inline CSS and SVG, nothing fetched).
    package func html() -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<title>Patient \(esc(id)): \(esc(disease))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        let lines = headline
        h += "<h1>\(esc(lines[0]))</h1>\n<div class=\"facts\">"
        h += lines.dropFirst().map(esc).joined(separator: "<br>\n") + "</div>\n"
        if !series.isEmpty {
            h += "<div class=\"charts\">\n"
            for s in series { h += SVGFormat.inlined(Self.chart(s).svg()) + "\n" }
            h += "</div>\n"
        }
        h += "<table>\n<tr><th>date</th><th>age</th><th>entry</th><th>values (reference range)</th></tr>\n"
        for row in rows { h += tableRow(row) }
        h += "</table>\n</body>\n</html>\n"
        return h
    }

    private func tableRow(_ row: Row) -> String {
        let kind: String = switch row.entry {
        case .visit: "visit"
        case .death: "death"
        case .event, .procedure, .diagnosis, .onset: "event"
        default: ""
        }
        var entry = esc(row.text)
        if !row.treatments.isEmpty {
            entry += " <span class=\"on\">on \(esc(row.treatments.joined(separator: ", ")))</span>"
        }
        var values = ""
        if !row.values.isEmpty {
            values = "<ul class=\"values\">" + row.values.map { v in
                var item = "\(esc(v.name)) <b>\(esc(v.text))</b> \(esc(v.unit))"
                if !v.flag.isEmpty { item += " <span class=\"flag\">\(v.flag)</span>" }
                if !v.range.isEmpty { item += " <span class=\"range\">(\(esc(v.range)))</span>" }
                return "<li>\(item)</li>"
            }.joined() + "</ul>"
        }
        return "<tr class=\"\(kind)\"><td class=\"n\">\(row.day.iso)</td><td class=\"n\">"
            + "\(DisplayNumber.age(row.age))</td><td>\(entry)</td><td>\(values)</td></tr>\n"
    }

    /// A measure over age, with its reference bounds as dashed lines, on the axis its template asks for.
    static func chart(_ s: Series) -> LineChart {
        var lines = [LineSeries(name: s.name, x: s.ages, y: s.values, showsPoints: true)]
        let span = [s.ages.first ?? 0, s.ages.last ?? 1]
        if let low = s.low { lines.append(LineSeries(name: "reference ≥ \(DisplayNumber.short(low))", x: span,
                                                     y: [low, low], dashed: true)) }
        if let high = s.high { lines.append(LineSeries(name: "reference ≤ \(DisplayNumber.short(high))", x: span,
                                                       y: [high, high], dashed: true)) }
        return LineChart(title: s.name, xLabel: "age (years)", yLabel: s.axis.title, series: lines,
                         size: ChartSize(width: 480, height: 300), yScale: s.axis.scale)
    }

    private func esc(_ s: String) -> String { SVGFormat.escape(s) }
}
