/// One named line, optionally with a shaded band such as mean ± SD or a confidence interval.
package struct LineSeries: Sendable, Equatable {
    /// The legend name.
    package var name: String
    /// The x values, in drawing order.
    package var x: [Double]
    /// The y values; a non-finite value breaks the line.
    package var y: [Double]
    /// The band's lower edge at each x, if a band is drawn.
    package var lower: [Double]?
    /// The band's upper edge at each x, if a band is drawn.
    package var upper: [Double]?
    /// Draws the line dashed, e.g. for a reference or a synthetic counterpart.
    package var dashed: Bool
    /// Marks each point with a dot.
    package var showsPoints: Bool

    /// A series; extra values in the longer of the arrays are ignored.
    package init(
        name: String, x: [Double], y: [Double], lower: [Double]? = nil, upper: [Double]? = nil,
        dashed: Bool = false, showsPoints: Bool = false
    ) {
        self.name = name
        self.x = x
        self.y = y
        self.lower = lower
        self.upper = upper
        self.dashed = dashed
        self.showsPoints = showsPoints
    }

    var count: Int { Swift.min(x.count, y.count) }

    /// The band as (x, lower, upper) runs of finite points; a non-finite value starts a new run.
    var bandRuns: [[(Double, Double, Double)]] { bandRuns(drawable: \.isFinite) }

    /// The band as runs of points whose edges are `drawable`; any other value starts a new run.
    func bandRuns(drawable: (Double) -> Bool) -> [[(Double, Double, Double)]] {
        guard let lower, let upper else { return [] }
        let n = Swift.min(x.count, lower.count, upper.count)
        var runs: [[(Double, Double, Double)]] = [[]]
        for i in 0..<n {
            if x[i].isFinite, drawable(lower[i]), drawable(upper[i]) {
                runs[runs.count - 1].append((x[i], lower[i], upper[i]))
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { $0.count >= 2 }
    }
}

/// A line chart of several named series with optional shaded bands.
package struct LineChart: Sendable, Equatable {
    /// The heading above the chart; empty for none.
    package var title: String
    /// The x-axis title; empty for none.
    package var xLabel: String
    /// The y-axis title; empty for none.
    package var yLabel: String
    /// The lines, coloured in palette order.
    package var series: [LineSeries]
    /// The pixel size of the SVG.
    package var size: ChartSize
    /// Pins the x axis to this range instead of the data's nice range.
    package var xDomain: ClosedRange<Double>?
    /// Pins the y axis to this range instead of the data's nice range.
    package var yDomain: ClosedRange<Double>?
    /// Linear, or log10 for values spread over decades; on a log axis values (and band edges)
    /// that are not positive have no place, so they break the line like missing values.
    package var yScale: AxisScale

    /// A chart; axes default to nice ranges around all finite values, bands included.
    package init(
        title: String = "", xLabel: String = "", yLabel: String = "", series: [LineSeries],
        size: ChartSize = ChartSize(), xDomain: ClosedRange<Double>? = nil, yDomain: ClosedRange<Double>? = nil,
        yScale: AxisScale = .linear
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.size = size
        self.xDomain = xDomain
        self.yDomain = yDomain
        self.yScale = yScale
    }

    /// Where the plot area lies and how data maps to pixels.
    package var frame: PlotFrame { canvas.frame }

    /// Whether `y` can be drawn on the y axis: finite, and positive on a log axis.
    private func drawable(_ y: Double) -> Bool {
        y.isFinite && (yScale == .linear || y > 0)
    }

    private func bandRuns(_ s: LineSeries) -> [[(Double, Double, Double)]] {
        yScale == .linear ? s.bandRuns : s.bandRuns(drawable: drawable)
    }

    private var canvas: CartesianCanvas {
        var xs = DataExtent(), ys = DataExtent()
        for s in series {
            for i in 0..<s.count where s.x[i].isFinite && drawable(s.y[i]) {
                xs.include(s.x[i])
                ys.include(s.y[i])
            }
            for run in bandRuns(s) {
                for (x, lo, hi) in run {
                    xs.include(x)
                    ys.include(lo)
                    ys.include(hi)
                }
            }
        }
        let legend = series.enumerated().map {
            LegendEntry(name: $0.element.name, color: Palette.color($0.offset),
                        symbol: .line(dashed: $0.element.dashed))
        }
        switch yScale {
        case .linear:
            return CartesianCanvas(
                size: size, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
                xScale: xs.scale(fixed: xDomain), yScale: ys.scale(fixed: yDomain))
        case .logarithmic:
            return CartesianCanvas(
                size: size, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
                xScale: xs.scale(fixed: xDomain), logScale: ys.logScale(fixed: yDomain))
        }
    }

    /// The chart as a self-contained SVG document.
    package func svg() -> String {
        let canvas = self.canvas
        let isEmpty = series.allSatisfy { s in (0..<s.count).allSatisfy { !(s.x[$0].isFinite && drawable(s.y[$0])) } }
        return canvas.render(isEmpty: isEmpty) { svg, frame in
            // Bands first so every line stays visible on top of every band.
            for (k, s) in series.enumerated() {
                for run in bandRuns(s) {
                    let top = run.map { frame.point($0.0, $0.2) }
                    let bottom = run.reversed().map { frame.point($0.0, $0.1) }
                    svg.polygon(top + bottom, fill: Palette.color(k), opacity: 0.18)
                }
            }
            for (k, s) in series.enumerated() {
                let points: [(Double, Double)?] = (0..<s.count).map { i in
                    s.x[i].isFinite && drawable(s.y[i]) ? frame.point(s.x[i], s.y[i]) : nil
                }
                svg.polyline(points, stroke: Palette.color(k), dashed: s.dashed)
                if s.showsPoints {
                    for case let (px, py)? in points { svg.circle(cx: px, cy: py, r: 3, fill: Palette.color(k)) }
                }
            }
        }
    }
}
