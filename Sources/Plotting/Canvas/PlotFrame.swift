/// The pixel size of a chart.
package struct ChartSize: Sendable, Equatable, Hashable {
    /// Width in pixels (at least 200).
    package let width: Double
    /// Height in pixels (at least 150).
    package let height: Double

    /// A size, raised to the minimum that leaves room for axes and a plot area.
    package init(width: Double = 640, height: Double = 400) {
        self.width = width.isFinite ? Swift.max(200, width) : 640
        self.height = height.isFinite ? Swift.max(150, height) : 400
    }
}

/// Where the plot area sits in the SVG and how data coordinates map into it.
package struct PlotFrame: Sendable, Equatable {
    /// The x pixel of the plot area's left edge.
    package let left: Double
    /// The y pixel of the plot area's top edge.
    package let top: Double
    /// The plot area's width in pixels.
    package let width: Double
    /// The plot area's height in pixels.
    package let height: Double
    /// Data x to pixel x.
    package let x: LinearScale
    /// Data y to pixel y (upwards in data is downwards in pixels), linear or logarithmic.
    package let y: LinearScale

    /// The x pixel of the right edge.
    package var right: Double { left + width }
    /// The y pixel of the bottom edge.
    package var bottom: Double { top + height }

    init(left: Double, top: Double, width: Double, height: Double, xDomain: (Double, Double),
         yDomain: (Double, Double), ySpacing: AxisScale = .linear) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        x = LinearScale(domainLower: xDomain.0, domainUpper: xDomain.1, rangeStart: left, rangeEnd: left + width)
        y = LinearScale(domainLower: yDomain.0, domainUpper: yDomain.1, rangeStart: top + height, rangeEnd: top,
                        spacing: ySpacing)
    }

    /// The pixel position of a data point.
    package func point(_ dataX: Double, _ dataY: Double) -> (Double, Double) {
        (x.map(dataX), y.map(dataY))
    }
}
