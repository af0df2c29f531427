/// A "love plot": standardized mean differences per covariate before and after adjustment (or
/// real against synthetic), as a horizontal dot plot with reference lines at ±threshold.
package struct LovePlot: Sendable, Equatable {
    /// The heading above the chart; empty for none.
    package var title: String
    /// The x-axis title; empty for none.
    package var xLabel: String
    /// The covariate names, one row each, top to bottom.
    package var covariates: [String]
    /// The SMD of each covariate before; non-finite values are not drawn.
    package var before: [Double]
    /// The SMD of each covariate after; non-finite values are not drawn.
    package var after: [Double]
    /// The legend name of the open dots.
    package var beforeLabel: String
    /// The legend name of the filled dots.
    package var afterLabel: String
    /// Where the dashed balance lines go (0.1 is the usual rule of thumb).
    package var threshold: Double
    /// Plots |SMD| on an axis starting at 0 instead of signed SMDs.
    package var absolute: Bool
    /// The chart size; by default the height grows with the number of covariates.
    package var size: ChartSize

    /// A love plot; rows beyond the shortest of the three arrays are dropped.
    package init(
        title: String = "", xLabel: String = "Standardized mean difference", covariates: [String],
        before: [Double], after: [Double], beforeLabel: String = "Before", afterLabel: String = "After",
        threshold: Double = 0.1, absolute: Bool = false, size: ChartSize? = nil
    ) {
        self.title = title
        self.xLabel = absolute && xLabel == "Standardized mean difference" ? "|Standardized mean difference|" : xLabel
        self.covariates = covariates
        self.before = before
        self.after = after
        self.beforeLabel = beforeLabel
        self.afterLabel = afterLabel
        self.threshold = threshold.isFinite ? Swift.abs(threshold) : 0.1
        self.absolute = absolute
        let rows = Swift.min(covariates.count, before.count, after.count)
        self.size = size ?? ChartSize(width: 640, height: 130 + 22 * Double(rows))
    }

    private var rows: Int { Swift.min(covariates.count, before.count, after.count) }

    private func shown(_ v: Double) -> Double { absolute ? Swift.abs(v) : v }

    private var xScale: NiceScale {
        var xs = DataExtent()
        xs.include(0)
        xs.include(threshold)
        if !absolute { xs.include(-threshold) }
        for i in 0..<rows {
            xs.include(shown(before[i]))
            xs.include(shown(after[i]))
        }
        return xs.scale(fixed: nil)
    }

    private var decor: ChartDecor {
        ChartDecor(
            title: title, xLabel: xLabel, yLabel: "",
            legend: [
                LegendEntry(name: beforeLabel, color: Palette.color(1), symbol: .dot(filled: false)),
                LegendEntry(name: afterLabel, color: Palette.color(0), symbol: .dot(filled: true)),
            ],
            yTickLabels: Array(covariates.prefix(rows)), xTickLabels: xScale.labels)
    }

    /// Where the plot area lies; row i is centred at data y = i + 0.5, counted from the top.
    package var frame: PlotFrame {
        let x = xScale
        return decor.frame(size: size, xDomain: (x.lower, x.upper), yDomain: (Double(Swift.max(rows, 1)), 0))
    }

    /// The chart as a self-contained SVG document.
    package func svg() -> String {
        let decor = self.decor, frame = self.frame, x = xScale
        var svg = SVGBuilder(width: size.width, height: size.height)
        svg.drawTitle(title)
        svg.drawLegend(decor.legend, frame: frame, hasTitle: !title.isEmpty)
        svg.drawXAxis(ticks: x.ticks, labels: x.labels, frame: frame)
        for i in 0..<rows {
            let y = frame.y.map(Double(i) + 0.5)
            svg.line(x1: frame.left, y1: y, x2: frame.right, y2: y, stroke: Palette.grid)
            svg.text(covariates[i], x: frame.left - 8, y: y + 4, size: ChartDecor.tickSize, anchor: .end)
        }
        svg.beginClippedGroup()
        svg.line(x1: frame.x.map(0), y1: frame.top, x2: frame.x.map(0), y2: frame.bottom, stroke: Palette.axis)
        for t in absolute ? [threshold] : [-threshold, threshold] where threshold > 0 {
            svg.line(x1: frame.x.map(t), y1: frame.top, x2: frame.x.map(t), y2: frame.bottom,
                     stroke: Palette.reference, dashed: true)
        }
        for i in 0..<rows {
            let y = frame.y.map(Double(i) + 0.5)
            let b = shown(before[i]), a = shown(after[i])
            if b.isFinite, a.isFinite {
                svg.line(x1: frame.x.map(b), y1: y, x2: frame.x.map(a), y2: y, stroke: "#BBBBBB", width: 1.5)
            }
            if b.isFinite { svg.circle(cx: frame.x.map(b), cy: y, r: 4, fill: "#FFFFFF", stroke: Palette.color(1)) }
            if a.isFinite {
                svg.circle(cx: frame.x.map(a), cy: y, r: 4, fill: Palette.color(0), stroke: Palette.color(0))
            }
        }
        svg.endGroup()
        svg.drawAxisLines(frame: frame, xLabel: xLabel, yLabel: "")
        if rows == 0 { svg.drawNoData(frame: frame) }
        return svg.document(title: title.isEmpty ? "Love plot" : title, clip: frame)
    }
}
