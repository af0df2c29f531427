/// How a legend entry is drawn.
enum LegendSymbol: Equatable {
    case line(dashed: Bool)
    case box
    case dot(filled: Bool)
}

struct LegendEntry: Equatable {
    let name: String
    let color: String
    let symbol: LegendSymbol
}

/// The text around a plot area: title, axis labels, legend and the widest y tick label.
struct ChartDecor {
    var title: String
    var xLabel: String
    var yLabel: String
    var legend: [LegendEntry]
    /// The y-axis labels whose width sets the left margin (tick labels or category names).
    var yTickLabels: [String]
    var xTickLabels: [String] = []
    var yTickFontSize: Double = 11

    static let outer = 12.0
    static let titleSize = 15.0
    static let labelSize = 12.0
    static let tickSize = 11.0
    static let legendRowHeight = 18.0

    /// Estimated width of `text` in a sans-serif face: 0.6 em per character is a safe
    /// average and, unlike measuring, is the same on every machine.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.6
    }

    static func legendEntryWidth(_ entry: LegendEntry) -> Double {
        22 + textWidth(entry.name, size: labelSize) + 14
    }

    /// Lays the legend entries into rows no wider than `width`.
    static func legendRows(_ entries: [LegendEntry], width: Double) -> [[LegendEntry]] {
        var rows: [[LegendEntry]] = []
        var current: [LegendEntry] = []
        var used = 0.0
        for entry in entries {
            let w = legendEntryWidth(entry)
            if !current.isEmpty, used + w > width {
                rows.append(current)
                current = []
                used = 0
            }
            current.append(entry)
            used += w
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// The plot frame for a chart of `size` with data domains `xDomain` and `yDomain`. Only the
    /// left margin depends on the y tick labels; the plot height does not.
    func frame(size: ChartSize, xDomain: (Double, Double), yDomain: (Double, Double),
               ySpacing: AxisScale = .linear) -> PlotFrame {
        let o = Self.outer
        let widest = yTickLabels.map { Self.textWidth($0, size: yTickFontSize) }.max() ?? 0
        let firstX = xTickLabels.first.map { Self.textWidth($0, size: Self.tickSize) / 2 } ?? 0
        let lastX = xTickLabels.last.map { Self.textWidth($0, size: Self.tickSize) / 2 } ?? 0
        let right = Swift.max(o + 8, lastX + 4)
        // A y title longer than the plot is tall takes a second line, and that line a wider margin;
        // the narrower plot may need more legend rows, so the height is worked out again.
        var lines = 1
        while true {
            let labelWidth = yLabel.isEmpty ? 0 : Self.yLabelMargin(lines: lines)
            let left = Swift.max(o + labelWidth + widest + 9, o + firstX)
            let width = Swift.max(40, size.width - left - right)
            let rows = Self.legendRows(legend, width: width).count
            let top = o + (title.isEmpty ? 0 : 24) + Double(rows) * Self.legendRowHeight
                + (rows > 0 ? 4 : 0) + 8
            let bottom = o + 20 + (xLabel.isEmpty ? 0 : 18)
            let height = Swift.max(30, size.height - top - bottom)
            let needed = Self.yLabelLines(yLabel, plotHeight: height).count
            if needed > lines {
                lines = needed
                continue
            }
            return PlotFrame(left: left, top: top, width: width, height: height, xDomain: xDomain, yDomain: yDomain,
                             ySpacing: ySpacing)
        }
    }

    /// The room a y-axis title of `lines` lines takes left of the tick labels.
    static func yLabelMargin(lines: Int) -> Double { 6 + 14 * Double(lines) }

    /// The y-axis title as it fits along a plot `plotHeight` pixels tall: one line; else two,
    /// broken at the space that best balances them; a line that still does not fit ends in "…".
    static func yLabelLines(_ label: String, plotHeight: Double) -> [String] {
        guard !label.isEmpty, textWidth(label, size: labelSize) > plotHeight else { return [label] }
        let characters = Array(label)
        let breaks = characters.indices.filter { characters[$0] == " " }
        guard let split = breaks.min(by: { balance(characters, at: $0) < balance(characters, at: $1) }) else {
            return [truncated(label, plotHeight: plotHeight)]
        }
        let first = String(characters[..<split]), second = String(characters[(split + 1)...])
        return [truncated(first, plotHeight: plotHeight), truncated(second, plotHeight: plotHeight)]
    }

    /// The longer of the two lines a break at `index` makes, in characters.
    private static func balance(_ characters: [Character], at index: Int) -> Int {
        Swift.max(index, characters.count - index - 1)
    }

    private static func truncated(_ line: String, plotHeight: Double) -> String {
        let fits = Int(plotHeight / (labelSize * 0.6))
        return line.count <= fits ? line : String(line.prefix(Swift.max(1, fits - 1))) + "…"
    }
}
