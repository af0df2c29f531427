/// One named cloud of points.
package struct ScatterSeries: Sendable, Equatable {
    /// The legend name.
    package var name: String
    /// The x values.
    package var x: [Double]
    /// The y values; points with a non-finite coordinate are skipped.
    package var y: [Double]

    /// A series; extra values in the longer array are ignored.
    package init(name: String, x: [Double], y: [Double]) {
        self.name = name
        self.x = x
        self.y = y
    }

    var points: [(Double, Double)] {
        (0..<Swift.min(x.count, y.count)).compactMap { i in
            x[i].isFinite && y[i].isFinite ? (x[i], y[i]) : nil
        }
    }
}

/// A scatter plot of one or more series, optionally with the line y = x.
package struct ScatterChart: Sendable, Equatable {
    /// The heading above the chart; empty for none.
    package var title: String
    /// The x-axis title; empty for none.
    package var xLabel: String
    /// The y-axis title; empty for none.
    package var yLabel: String
    /// The point clouds, coloured in palette order.
    package var series: [ScatterSeries]
    /// The pixel size of the SVG.
    package var size: ChartSize
    /// Draws the diagonal y = x, for comparing paired values such as real against synthetic.
    package var showsIdentityLine: Bool
    /// Dot radius in pixels.
    package var pointRadius: Double

    /// A scatter chart with axes fitted to all finite points.
    package init(
        title: String = "", xLabel: String = "", yLabel: String = "", series: [ScatterSeries],
        size: ChartSize = ChartSize(), showsIdentityLine: Bool = false, pointRadius: Double = 3
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.size = size
        self.showsIdentityLine = showsIdentityLine
        self.pointRadius = pointRadius
    }

    /// Where the plot area lies and how data maps to pixels.
    package var frame: PlotFrame { canvas.frame }

    private var canvas: CartesianCanvas {
        var xs = DataExtent(), ys = DataExtent()
        for s in series {
            for (x, y) in s.points {
                xs.include(x)
                ys.include(y)
            }
        }
        let legend = series.enumerated().map {
            LegendEntry(name: $0.element.name, color: Palette.color($0.offset), symbol: .dot(filled: true))
        }
        return CartesianCanvas(
            size: size, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
            xScale: xs.scale(fixed: nil), yScale: ys.scale(fixed: nil))
    }

    /// The chart as a self-contained SVG document.
    package func svg() -> String {
        let canvas = self.canvas
        return canvas.render(isEmpty: series.allSatisfy { $0.points.isEmpty }) { svg, frame in
            if showsIdentityLine {
                let lo = Swift.max(frame.x.domainLower, frame.y.domainLower)
                let hi = Swift.min(frame.x.domainUpper, frame.y.domainUpper)
                if hi > lo {
                    let a = frame.point(lo, lo), b = frame.point(hi, hi)
                    svg.line(x1: a.0, y1: a.1, x2: b.0, y2: b.1, stroke: Palette.reference, dashed: true)
                }
            }
            let r = pointRadius.isFinite && pointRadius > 0 ? pointRadius : 3
            for (k, s) in series.enumerated() {
                for (x, y) in s.points {
                    let (px, py) = frame.point(x, y)
                    svg.circle(cx: px, cy: py, r: r, fill: Palette.color(k), opacity: 0.7)
                }
            }
        }
    }
}
