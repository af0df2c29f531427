/// The pixel size of a chart.
public struct ChartSize: Sendable, Equatable, Hashable {
    /// Width in pixels (at least 200).
    public let width: Double
    /// Height in pixels (at least 150).
    public let height: Double

    /// A size, raised to the minimum that leaves room for axes and a plot area.
    public init(width: Double = 640, height: Double = 400) {
        self.width = width.isFinite ? Swift.max(200, width) : 640
        self.height = height.isFinite ? Swift.max(150, height) : 400
    }
}

/// Where the plot area sits in the SVG and how data coordinates map into it.
public struct PlotFrame: Sendable, Equatable {
    /// The x pixel of the plot area's left edge.
    public let left: Double
    /// The y pixel of the plot area's top edge.
    public let top: Double
    /// The plot area's width in pixels.
    public let width: Double
    /// The plot area's height in pixels.
    public let height: Double
    /// Data x to pixel x.
    public let x: LinearScale
    /// Data y to pixel y (upwards in data is downwards in pixels).
    public let y: LinearScale

    /// The x pixel of the right edge.
    public var right: Double { left + width }
    /// The y pixel of the bottom edge.
    public var bottom: Double { top + height }

    init(left: Double, top: Double, width: Double, height: Double, xDomain: (Double, Double), yDomain: (Double, Double)) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        x = LinearScale(domainLower: xDomain.0, domainUpper: xDomain.1, rangeStart: left, rangeEnd: left + width)
        y = LinearScale(domainLower: yDomain.0, domainUpper: yDomain.1, rangeStart: top + height, rangeEnd: top)
    }

    /// The pixel position of a data point.
    public func point(_ dataX: Double, _ dataY: Double) -> (Double, Double) {
        (x.map(dataX), y.map(dataY))
    }
}
