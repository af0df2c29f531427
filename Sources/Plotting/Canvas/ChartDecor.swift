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
        // A y title longer than the plot is tall takes more lines, and they a wider margin; the
        // narrower plot may need more legend rows, so the height is worked out again.
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

    /// At most this many lines of y-axis title; a longer one is cut short with "…".
    static let maximumYLabelLines = 3

    /// The y-axis title as it fits along a plot `plotHeight` pixels tall: one line if it fits,
    /// else the fewest lines (up to three) of balanced length that do; a title too long even
    /// for that keeps its first three lines, the last ending in "…".
    static func yLabelLines(_ label: String, plotHeight: Double) -> [String] {
        guard !label.isEmpty, textWidth(label, size: labelSize) > plotHeight else { return [label] }
        let words = label.split(separator: " ").map(String.init)
        let fits = Swift.max(1, Int(plotHeight / (labelSize * 0.6)))
        for n in 2...maximumYLabelLines {
            let lines = balancedWrap(words, lines: n)
            if lines.count <= n, lines.allSatisfy({ $0.count <= fits }) { return lines }
        }
        let all = wrap(words, width: fits)
        var kept = all.prefix(maximumYLabelLines).map { $0.count <= fits ? $0 : String($0.prefix(fits - 1)) + "…" }
        if all.count > kept.count, let last = kept.popLast() {
            kept.append((last.hasSuffix("…") ? String(last.dropLast()) : String(last.prefix(fits - 1))) + "…")
        }
        return kept
    }

    /// The narrowest greedy wrap of `words` into at most `lines` lines, so the lines come out even.
    private static func balancedWrap(_ words: [String], lines: Int) -> [String] {
        let total = words.joined(separator: " ").count
        let longest = words.map(\.count).max() ?? 0
        for width in Swift.max(longest, total / lines)...Swift.max(longest, total) {
            let wrapped = wrap(words, width: width)
            if wrapped.count <= lines { return wrapped }
        }
        return [words.joined(separator: " ")]
    }

    /// `words` in lines of at most `width` characters, greedily; a longer word takes a line of its own.
    private static func wrap(_ words: [String], width: Int) -> [String] {
        var lines: [String] = []
        for word in words {
            if let last = lines.last, last.count + 1 + word.count <= width {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(word)
            }
        }
        return lines
    }
}
