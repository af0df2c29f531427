/// One named group of bars: one value per category.
package struct BarGroup: Sendable, Equatable {
    /// The legend name.
    package var name: String
    /// The bar heights, one per category; non-finite values leave a gap.
    package var values: [Double]

    /// A group.
    package init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// Vertical bars grouped by category, one colour per group; the y axis always includes 0.
package struct BarChart: Sendable, Equatable {
    /// The heading above the chart; empty for none.
    package var title: String
    /// The x-axis title; empty for none.
    package var xLabel: String
    /// The y-axis title; empty for none.
    package var yLabel: String
    /// The category names along the x axis.
    package var categories: [String]
    /// The bar groups, coloured in palette order.
    package var groups: [BarGroup]
    /// The pixel size of the SVG.
    package var size: ChartSize

    /// A grouped bar chart.
    package init(
        title: String = "", xLabel: String = "", yLabel: String = "", categories: [String],
        groups: [BarGroup], size: ChartSize = ChartSize()
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.groups = groups
        self.size = size
    }

    private var yScale: NiceScale {
        var ys = DataExtent()
        ys.include(0)
        for g in groups { ys.include(g.values.prefix(categories.count)) }
        return ys.scale(fixed: nil)
    }

    private var decor: ChartDecor {
        ChartDecor(
            title: title, xLabel: xLabel, yLabel: yLabel,
            legend: groups.enumerated().map {
                LegendEntry(name: $0.element.name, color: Palette.color($0.offset), symbol: .box)
            },
            yTickLabels: yScale.labels, xTickLabels: categories.suffix(1).map { $0 })
    }

    /// Where the plot area lies; category i spans data x from i to i + 1.
    package var frame: PlotFrame {
        let y = yScale
        return decor.frame(size: size, xDomain: (0, Double(Swift.max(categories.count, 1))),
                           yDomain: (y.lower, y.upper))
    }

    /// The chart as a self-contained SVG document.
    package func svg() -> String {
        let decor = self.decor, frame = self.frame, y = yScale
        var svg = SVGBuilder(width: size.width, height: size.height)
        svg.drawTitle(title)
        svg.drawLegend(decor.legend, frame: frame, hasTitle: !title.isEmpty)
        svg.drawYAxis(ticks: y.ticks, labels: y.labels, frame: frame)
        for (i, name) in categories.enumerated() {
            let x = frame.x.map(Double(i) + 0.5)
            svg.line(x1: x, y1: frame.bottom, x2: x, y2: frame.bottom + 5, stroke: Palette.axis)
            svg.text(name, x: x, y: frame.bottom + 17, size: ChartDecor.tickSize, anchor: .middle)
        }
        svg.beginClippedGroup()
        let groupCount = Double(Swift.max(groups.count, 1))
        let barWidth = 0.8 / groupCount
        let base = frame.y.map(0)
        var drewAny = false
        for (k, g) in groups.enumerated() {
            for (i, v) in g.values.prefix(categories.count).enumerated() where v.isFinite {
                let x0 = frame.x.map(Double(i) + 0.1 + Double(k) * barWidth)
                let x1 = frame.x.map(Double(i) + 0.1 + Double(k + 1) * barWidth)
                let top = frame.y.map(v)
                svg.rect(x: x0 + 0.5, y: Swift.min(top, base), width: x1 - x0 - 1, height: Swift.abs(base - top),
                         fill: Palette.color(k))
                drewAny = true
            }
        }
        svg.endGroup()
        svg.line(x1: frame.left, y1: base, x2: frame.right, y2: base, stroke: Palette.axis)
        svg.drawAxisLines(frame: frame, xLabel: xLabel, yLabel: yLabel)
        if !drewAny { svg.drawNoData(frame: frame) }
        return svg.document(title: title.isEmpty ? "Bar chart" : title, clip: frame)
    }
}
