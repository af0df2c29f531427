import Testing
@testable import Plotting

@Suite struct ChartGeometryTests {
    private let chart = LineChart(xLabel: "x", yLabel: "y", series: [
        LineSeries(name: "s", x: [0, 5, 10], y: [0, 50, 100]),
    ])

    /// 640 × 400 with one legend row and both axis labels: the left margin holds 12 outer + 20
    /// y label + "100" at 11 px (19.8) + 9; the top 12 + 18 legend + 4 + 8; the bottom 12 + 20 + 18.
    @Test func frameFollowsTheMargins() {
        let f = chart.frame
        #expect(abs(f.left - 60.8) < 1e-9)
        #expect(f.top == 42)
        #expect(abs(f.width - 559.2) < 1e-9)
        #expect(f.height == 308)
        #expect(f.x.domainLower == 0 && f.x.domainUpper == 10)
        #expect(f.y.domainLower == 0 && f.y.domainUpper == 100)
    }

    @Test func linePathPlacesPointsAtTheirPixels() throws {
        let paths = SVGInspection.tags("path", in: chart.svg())
            .filter { SVGInspection.attribute("stroke", in: $0) == Palette.color(0) }
        try #require(paths.count == 1)
        let commands = SVGInspection.moveLineCommands(try #require(SVGInspection.attribute("d", in: paths[0])))
        let expected: [(String, Double, Double)] = [("M", 60.8, 350), ("L", 340.4, 196), ("L", 620, 42)]
        try #require(commands.count == expected.count)
        for (got, want) in zip(commands, expected) {
            #expect(got.0 == want.0)
            #expect(abs(got.1 - want.1) < 0.006)
            #expect(abs(got.2 - want.2) < 0.006)
        }
    }

    @Test func missingValueBreaksTheLine() throws {
        let broken = LineChart(series: [LineSeries(name: "s", x: [0, 1, 2, 3, 4], y: [1, 2, .nan, 4, 5])])
        let path = try #require(SVGInspection.tags("path", in: broken.svg())
            .first { SVGInspection.attribute("stroke", in: $0) == Palette.color(0) })
        let commands = SVGInspection.moveLineCommands(try #require(SVGInspection.attribute("d", in: path)))
        #expect(commands.map(\.0) == ["M", "L", "M", "L"])
        let f = broken.frame
        #expect(abs(commands[2].1 - f.x.map(3)) < 0.006 && abs(commands[2].2 - f.y.map(4)) < 0.006)
    }

    @Test func bandStaysBetweenItsEdges() throws {
        let banded = LineChart(series: [LineSeries(name: "m", x: [0, 1, 2], y: [5, 6, 7], lower: [4, 5, 6],
                                                   upper: [6, 7, 8])])
        let band = try #require(SVGInspection.tags("path", in: banded.svg())
            .first { SVGInspection.attribute("fill-opacity", in: $0) != nil })
        let corners = SVGInspection.moveLineCommands(try #require(SVGInspection.attribute("d", in: band)))
        let f = banded.frame
        let want = [(0.0, 6.0), (1, 7), (2, 8), (2, 6), (1, 5), (0, 4)].map { f.point($0.0, $0.1) }
        try #require(corners.count == want.count)
        for (got, w) in zip(corners, want) {
            #expect(abs(got.1 - w.0) < 0.006 && abs(got.2 - w.1) < 0.006)
        }
    }

    @Test func kaplanMeierStepsGoAcrossThenDown() {
        let points = StepSeries.stepPoints([(0, 1), (2, 0.8), (5, 0.5)], end: 7)
        #expect(points.map(\.0) == [0, 2, 2, 5, 5, 7])
        #expect(points.map(\.1) == [1, 1, 0.8, 0.8, 0.5, 0.5])
        let s = StepSeries(name: "s", times: [0, 2, 5], values: [1, 0.8, 0.5], censorTimes: [3, 8])
        #expect(s.value(at: 3) == 0.8 && s.value(at: 8) == 0.5 && s.value(at: -1) == nil)
        #expect(s.lastTime == 8)
    }

    @Test func censorTicksSitOnTheCurve() {
        let chart = StepChart(series: [StepSeries(name: "s", times: [0, 2, 5], values: [1, 0.8, 0.5],
                                                  censorTimes: [3, 8])])
        let f = chart.frame
        let ticks = SVGInspection.tags("line", in: chart.svg()).filter {
            SVGInspection.attribute("stroke-width", in: $0) == "1.50"
        }
        #expect(ticks.count == 2)
        let xs = ticks.compactMap { SVGInspection.attribute("x1", in: $0).flatMap(Double.init) }
        #expect(xs.count == 2 && abs(xs[0] - f.x.map(3)) < 0.006 && abs(xs[1] - f.x.map(8)) < 0.006)
        let y1 = ticks.compactMap { SVGInspection.attribute("y1", in: $0).flatMap(Double.init) }
        #expect(abs(y1[0] - (f.y.map(0.8) - 4)) < 0.006)
        #expect(StepChart(series: chart.series, showsCensorTicks: false).svg()
            .components(separatedBy: "stroke-width=\"1.50\"").count == 1)
    }

    @Test func histogramDensitiesIntegrateToOne() {
        let sample = (0..<500).map { Double($0 % 97) * 0.37 }
        let chart = HistogramChart(samples: [HistogramSample(name: "a", values: sample)], binCount: 12)
        let edges = chart.binEdges
        #expect(edges.count == 13 && edges.first == 0 && abs(edges.last! - 96 * 0.37) < 1e-12)
        let d = HistogramChart.densities(sample, edges: edges)
        let width = edges[1] - edges[0]
        #expect(abs(d.reduce(0, +) * width - 1) < 1e-12)
        let grid = (0...400).map { -20 + Double($0) * 0.2 }
        let kde = HistogramChart.kernelDensity(sample, at: grid)
        #expect(abs(kde.reduce(0, +) * 0.2 - 1) < 1e-3)
    }

    @Test func scatterSkipsNonFinitePoints() {
        let svg = ScatterChart(series: [ScatterSeries(name: "a", x: [1, 2, .nan, 4], y: [1, .infinity, 3, 4])]).svg()
        // Legend dots are drawn with a white or coloured fill and a stroke; data dots have no stroke.
        let dots = SVGInspection.tags("circle", in: svg).filter { SVGInspection.attribute("stroke", in: $0) == nil }
        #expect(dots.count == 2)
    }

    @Test func lovePlotHasBalanceLinesAtThreshold() {
        let plot = LovePlot(covariates: ["a", "b"], before: [0.4, -0.3], after: [0.05, -0.02])
        let f = plot.frame
        let dashed = SVGInspection.tags("line", in: plot.svg()).filter { $0.contains("stroke-dasharray") }
        let xs = dashed.compactMap { SVGInspection.attribute("x1", in: $0).flatMap(Double.init) }
        #expect(xs.count == 2)
        #expect(abs(xs[0] - f.x.map(-0.1)) < 0.006 && abs(xs[1] - f.x.map(0.1)) < 0.006)
        // Row centres: the first covariate at the top.
        #expect(f.y.map(0.5) < f.y.map(1.5))
        let absolute = LovePlot(covariates: ["a"], before: [-0.4], after: [0.05], absolute: true)
        #expect(absolute.frame.x.domainLower == 0)
        #expect(SVGInspection.tags("line", in: absolute.svg()).filter { $0.contains("stroke-dasharray") }.count == 1)
    }

    @Test func barsRiseFromZeroToTheirValue() throws {
        let chart = BarChart(categories: ["a", "b"], groups: [BarGroup(name: "g", values: [30, -10])])
        let f = chart.frame
        // The legend swatch shares the colour but is translucent; bars are opaque.
        let bars = SVGInspection.tags("rect", in: chart.svg()).filter {
            SVGInspection.attribute("fill", in: $0) == Palette.color(0) &&
                SVGInspection.attribute("fill-opacity", in: $0) == nil
        }
        try #require(bars.count == 2)
        let y = bars.compactMap { SVGInspection.attribute("y", in: $0).flatMap(Double.init) }
        let h = bars.compactMap { SVGInspection.attribute("height", in: $0).flatMap(Double.init) }
        #expect(abs(y[0] - f.y.map(30)) < 0.006 && abs(h[0] - (f.y.map(0) - f.y.map(30))) < 0.011)
        #expect(abs(y[1] - f.y.map(0)) < 0.006 && abs(h[1] - (f.y.map(-10) - f.y.map(0))) < 0.011)
    }
}
