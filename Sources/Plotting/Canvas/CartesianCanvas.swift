/// A chart with numeric x and y axes: computes the frame and draws everything but the data.
struct CartesianCanvas {
    let size: ChartSize
    let decor: ChartDecor
    let xScale: NiceScale
    let yScale: NiceScale
    let frame: PlotFrame

    init(size: ChartSize, title: String, xLabel: String, yLabel: String, legend: [LegendEntry],
         xScale: NiceScale, yScale: NiceScale) {
        self.size = size
        self.xScale = xScale
        self.yScale = yScale
        decor = ChartDecor(title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
                           yTickLabels: yScale.labels, xTickLabels: xScale.labels)
        frame = decor.frame(size: size, xDomain: (xScale.lower, xScale.upper), yDomain: (yScale.lower, yScale.upper))
    }

    /// The finished SVG: axes and decoration, then `drawData` clipped to the plot area.
    func render(isEmpty: Bool, drawData: (inout SVGBuilder, PlotFrame) -> Void) -> String {
        var svg = SVGBuilder(width: size.width, height: size.height)
        svg.drawTitle(decor.title)
        svg.drawLegend(decor.legend, frame: frame, hasTitle: !decor.title.isEmpty)
        svg.drawYAxis(ticks: yScale.ticks, labels: yScale.labels, frame: frame)
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
}
