/// Title, legend, grid and axes: the parts every chart draws the same way.
extension SVGBuilder {
    mutating func drawTitle(_ title: String) {
        guard !title.isEmpty else { return }
        text(title, x: width / 2, y: ChartDecor.outer + 15, size: ChartDecor.titleSize, anchor: .middle, bold: true)
    }

    mutating func drawLegend(_ entries: [LegendEntry], frame: PlotFrame, hasTitle: Bool) {
        let rows = ChartDecor.legendRows(entries, width: frame.width)
        var y = ChartDecor.outer + (hasTitle ? 24 : 0) + 12
        for row in rows {
            var x = frame.left
            for entry in row {
                drawLegendSymbol(entry, x: x, y: y - 4)
                text(entry.name, x: x + 22, y: y, size: ChartDecor.labelSize)
                x += ChartDecor.legendEntryWidth(entry)
            }
            y += ChartDecor.legendRowHeight
        }
    }

    private mutating func drawLegendSymbol(_ entry: LegendEntry, x: Double, y: Double) {
        switch entry.symbol {
        case .line(let dashed):
            line(x1: x, y1: y, x2: x + 16, y2: y, stroke: entry.color, width: 2.5, dashed: dashed)
        case .box:
            rect(x: x + 2, y: y - 5, width: 12, height: 10, fill: entry.color, opacity: 0.6, stroke: entry.color)
        case .dot(let filled):
            circle(cx: x + 8, cy: y, r: 4, fill: filled ? entry.color : "#FFFFFF", stroke: entry.color)
        }
    }

    /// Horizontal grid lines and left-axis labels at `ticks`.
    mutating func drawYAxis(ticks: [Double], labels: [String], frame: PlotFrame, grid: Bool = true) {
        for (value, label) in zip(ticks, labels) {
            let y = frame.y.map(value)
            if grid { line(x1: frame.left, y1: y, x2: frame.right, y2: y, stroke: Palette.grid) }
            line(x1: frame.left - 5, y1: y, x2: frame.left, y2: y, stroke: Palette.axis)
            text(label, x: frame.left - 8, y: y + 4, size: ChartDecor.tickSize, anchor: .end)
        }
    }

    /// Vertical grid lines and bottom-axis labels at `ticks`.
    mutating func drawXAxis(ticks: [Double], labels: [String], frame: PlotFrame, grid: Bool = true) {
        for (value, label) in zip(ticks, labels) {
            let x = frame.x.map(value)
            if grid { line(x1: x, y1: frame.top, x2: x, y2: frame.bottom, stroke: Palette.grid) }
            line(x1: x, y1: frame.bottom, x2: x, y2: frame.bottom + 5, stroke: Palette.axis)
            text(label, x: x, y: frame.bottom + 17, size: ChartDecor.tickSize, anchor: .middle)
        }
    }

    /// The two axis lines and the axis titles.
    mutating func drawAxisLines(frame: PlotFrame, xLabel: String, yLabel: String) {
        line(x1: frame.left, y1: frame.bottom, x2: frame.right, y2: frame.bottom, stroke: Palette.axis)
        line(x1: frame.left, y1: frame.top, x2: frame.left, y2: frame.bottom, stroke: Palette.axis)
        if !xLabel.isEmpty {
            text(xLabel, x: frame.left + frame.width / 2, y: frame.bottom + 35, size: ChartDecor.labelSize,
                 anchor: .middle)
        }
        if !yLabel.isEmpty {
            // Rotated, the first line sits leftmost: it is read above the second.
            let y = frame.top + frame.height / 2
            for (k, line) in ChartDecor.yLabelLines(yLabel, plotHeight: frame.height).enumerated() {
                let x = ChartDecor.outer + 10 + 14 * Double(k)
                text(line, x: x, y: y, size: ChartDecor.labelSize, anchor: .middle, rotate: true)
            }
        }
    }

    /// A note in the middle of an empty plot, so a blank chart is not mistaken for a bug.
    mutating func drawNoData(frame: PlotFrame) {
        text("No data", x: frame.left + frame.width / 2, y: frame.top + frame.height / 2,
             size: ChartDecor.labelSize, anchor: .middle, fill: Palette.reference)
    }
}
