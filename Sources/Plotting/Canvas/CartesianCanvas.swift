/// A chart with numeric x and y axes: computes the frame and draws everything but the data.
struct CartesianCanvas {
    /// A y axis ready to draw: its ends, tick values with their labels, and its spacing.
    struct YAxis {
        var lower: Double
        var upper: Double
        var ticks: [Double]
        var labels: [String]
        var spacing: AxisScale
    }

    let size: ChartSize
    let decor: ChartDecor
    let xScale: NiceScale
    let yAxis: YAxis
    let frame: PlotFrame

    init(size: ChartSize, title: String, xLabel: String, yLabel: String, legend: [LegendEntry],
         xScale: NiceScale, yScale: NiceScale) {
        self.init(size: size, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend, xScale: xScale,
                  yAxis: YAxis(lower: yScale.lower, upper: yScale.upper, ticks: yScale.ticks, labels: yScale.labels,
                               spacing: .linear))
    }

    /// A canvas with a log10 y axis whose ticks are thinned to the plot height, so labels never collide.
    init(size: ChartSize, title: String, xLabel: String, yLabel: String, legend: [LegendEntry],
         xScale: NiceScale, logScale: LogScale) {
        // The plot height does not depend on the y tick labels (they only set the left margin),
        // so a frame laid out without them tells how many ticks fit.
        let probe = ChartDecor(title: title, xLabel: xLabel, yLabel: yLabel, legend: legend, yTickLabels: [],
                               xTickLabels: xScale.labels)
            .frame(size: size, xDomain: (xScale.lower, xScale.upper), yDomain: (logScale.lower, logScale.upper))
        let ticks = logScale.ticks(plotHeight: probe.height)
        self.init(size: size, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend, xScale: xScale,
                  yAxis: YAxis(lower: logScale.lower, upper: logScale.upper, ticks: ticks,
                               labels: ticks.map(LogScale.label), spacing: .logarithmic))
    }

    init(size: ChartSize, title: String, xLabel: String, yLabel: String, legend: [LegendEntry],
         xScale: NiceScale, yAxis: YAxis) {
        self.size = size
        self.xScale = xScale
        self.yAxis = yAxis
        decor = ChartDecor(title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
                           yTickLabels: yAxis.labels, xTickLabels: xScale.labels)
        frame = decor.frame(size: size, xDomain: (xScale.lower, xScale.upper), yDomain: (yAxis.lower, yAxis.upper),
                            ySpacing: yAxis.spacing)
    }

    /// The finished SVG: axes and decoration, then `drawData` clipped to the plot area.
    func render(isEmpty: Bool, drawData: (inout SVGBuilder, PlotFrame) -> Void) -> String {
        var svg = SVGBuilder(width: size.width, height: size.height)
        svg.drawTitle(decor.title)
        svg.drawLegend(decor.legend, frame: frame, hasTitle: !decor.title.isEmpty)
        svg.drawYAxis(ticks: yAxis.ticks, labels: yAxis.labels, frame: frame)
        svg.drawXAxis(ticks: xScale.ticks, labels: xScale.labels, frame: frame)
        svg.beginClippedGroup()
        drawData(&svg, frame)
        svg.endGroup()
        svg.drawAxisLines(frame: frame, xLabel: decor.xLabel, yLabel: decor.yLabel)
        if isEmpty { svg.drawNoData(frame: frame) }
        return svg.document(title: decor.title.isEmpty ? "Chart" : decor.title, clip: frame)
    }
}

/// Running bounds over finite values only, so NaN and infinities never widen an axis.
struct DataExtent {
    private(set) var lower = Double.infinity
    private(set) var upper = -Double.infinity

    var isEmpty: Bool { lower > upper }

    mutating func include(_ v: Double) {
        guard v.isFinite else { return }
        lower = Swift.min(lower, v)
        upper = Swift.max(upper, v)
    }

    mutating func include<S: Sequence>(_ values: S) where S.Element == Double {
        for v in values { include(v) }
    }

    /// A nice scale over the extent, or over `fixed` when the caller pinned the axis.
    func scale(fixed: ClosedRange<Double>?, fallback: (Double, Double) = (0, 1), ticks: Int = 6) -> NiceScale {
        if let fixed, fixed.lowerBound.isFinite, fixed.upperBound.isFinite {
            return NiceScale(minimum: fixed.lowerBound, maximum: fixed.upperBound, targetTickCount: ticks,
                             expand: false)
        }
        if isEmpty { return NiceScale(minimum: fallback.0, maximum: fallback.1, targetTickCount: ticks) }
        return NiceScale(minimum: lower, maximum: upper, targetTickCount: ticks)
    }

    /// A log10 scale over the extent (which should hold only positive values), or over `fixed`
    /// when the caller pinned the axis to a positive range.
    func logScale(fixed: ClosedRange<Double>?) -> LogScale {
        if let fixed, fixed.lowerBound > 0, fixed.upperBound.isFinite {
            return LogScale(minimum: fixed.lowerBound, maximum: fixed.upperBound, expand: false)
        }
        if isEmpty || lower <= 0 { return LogScale(minimum: 1, maximum: 10) }
        return LogScale(minimum: lower, maximum: upper)
    }
}
