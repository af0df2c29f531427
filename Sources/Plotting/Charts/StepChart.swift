/// One Kaplan–Meier (or other right-continuous step) curve.
package struct StepSeries: Sendable, Equatable {
    /// The legend name.
    package var name: String
    /// The times at which the curve changes, ascending; usually starting at 0.
    package var times: [Double]
    /// The value from each time until the next (the survival estimate after each event).
    package var values: [Double]
    /// The lower confidence limit at each time, if a band is drawn.
    package var lower: [Double]?
    /// The upper confidence limit at each time, if a band is drawn.
    package var upper: [Double]?
    /// Times of censored observations, marked with a tick on the curve.
    package var censorTimes: [Double]
    /// Where the last step ends; defaults to the latest event or censor time.
    package var endTime: Double?

    /// A step series; extra values in the longer of the arrays are ignored.
    package init(
        name: String, times: [Double], values: [Double], lower: [Double]? = nil, upper: [Double]? = nil,
        censorTimes: [Double] = [], endTime: Double? = nil
    ) {
        self.name = name
        self.times = times
        self.values = values
        self.lower = lower
        self.upper = upper
        self.censorTimes = censorTimes
        self.endTime = endTime
    }

    /// The finite (time, value) steps, in the given order.
    var steps: [(Double, Double)] {
        (0..<Swift.min(times.count, values.count)).compactMap { i in
            times[i].isFinite && values[i].isFinite ? (times[i], values[i]) : nil
        }
    }

    var lastTime: Double? {
        var extent = DataExtent()
        extent.include(steps.map(\.0))
        extent.include(censorTimes)
        if let endTime { extent.include(endTime) }
        return extent.isEmpty ? nil : extent.upper
    }

    /// The curve's value at `t`: the last step at or before `t`.
    func value(at t: Double) -> Double? {
        var current: Double?
        for (time, v) in steps where time <= t { current = v }
        return current
    }

    /// The path through the steps as points: across at the old value, then down to the new one.
    static func stepPoints(_ steps: [(Double, Double)], end: Double?) -> [(Double, Double)] {
        var points: [(Double, Double)] = []
        for (i, (t, v)) in steps.enumerated() {
            if i > 0 { points.append((t, steps[i - 1].1)) }
            points.append((t, v))
        }
        if let end, let last = steps.last, end > last.0 { points.append((end, last.1)) }
        return points
    }
}

/// Kaplan–Meier style step curves with optional confidence bands and censor ticks.
package struct StepChart: Sendable, Equatable {
    /// The heading above the chart; empty for none.
    package var title: String
    /// The x-axis title; empty for none.
    package var xLabel: String
    /// The y-axis title; empty for none.
    package var yLabel: String
    /// The curves, coloured in palette order.
    package var series: [StepSeries]
    /// The pixel size of the SVG.
    package var size: ChartSize
    /// The y axis range; survival probabilities by default.
    package var yDomain: ClosedRange<Double>?
    /// Draws a small vertical tick at each censoring time.
    package var showsCensorTicks: Bool

    /// A chart whose y axis defaults to 0...1.
    package init(
        title: String = "", xLabel: String = "Time", yLabel: String = "Survival probability",
        series: [StepSeries], size: ChartSize = ChartSize(), yDomain: ClosedRange<Double>? = 0...1,
        showsCensorTicks: Bool = true
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.size = size
        self.yDomain = yDomain
        self.showsCensorTicks = showsCensorTicks
    }

    /// Where the plot area lies and how data maps to pixels.
    package var frame: PlotFrame { canvas.frame }

    private var canvas: CartesianCanvas {
        var xs = DataExtent(), ys = DataExtent()
        for s in series {
            xs.include(0)
            if let last = s.lastTime { xs.include(last) }
            ys.include(s.steps.map(\.1))
            ys.include(s.lower ?? [])
            ys.include(s.upper ?? [])
        }
        let legend = series.enumerated().map {
            LegendEntry(name: $0.element.name, color: Palette.color($0.offset), symbol: .line(dashed: false))
        }
        return CartesianCanvas(
            size: size, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
            xScale: xs.scale(fixed: nil), yScale: ys.scale(fixed: yDomain))
    }

    /// The chart as a self-contained SVG document.
    package func svg() -> String {
        let canvas = self.canvas
        return canvas.render(isEmpty: series.allSatisfy { $0.steps.isEmpty }) { svg, frame in
            for (k, s) in series.enumerated() { drawBand(s, color: Palette.color(k), svg: &svg, frame: frame) }
            for (k, s) in series.enumerated() {
                let color = Palette.color(k)
                let points = StepSeries.stepPoints(s.steps, end: s.lastTime).map { frame.point($0.0, $0.1) }
                svg.polyline(points.map { Optional($0) }, stroke: color)
                guard showsCensorTicks else { continue }
                for t in s.censorTimes where t.isFinite {
                    guard let v = s.value(at: t), v.isFinite else { continue }
                    let (px, py) = frame.point(t, v)
                    svg.line(x1: px, y1: py - 4, x2: px, y2: py + 4, stroke: color, width: 1.5)
                }
            }
        }
    }

    private func drawBand(_ s: StepSeries, color: String, svg: inout SVGBuilder, frame: PlotFrame) {
        guard let lower = s.lower, let upper = s.upper else { return }
        let n = Swift.min(s.times.count, lower.count, upper.count)
        let finite = (0..<n).filter { s.times[$0].isFinite && lower[$0].isFinite && upper[$0].isFinite }
        guard finite.count >= 1 else { return }
        let end = s.lastTime
        let top = StepSeries.stepPoints(finite.map { (s.times[$0], upper[$0]) }, end: end)
        let bottom = StepSeries.stepPoints(finite.map { (s.times[$0], lower[$0]) }, end: end)
        let outline = top.map { frame.point($0.0, $0.1) } + bottom.reversed().map { frame.point($0.0, $0.1) }
        svg.polygon(outline, fill: color, opacity: 0.15)
    }
}
