import Foundation
import Testing
@testable import Plotting

/// The log10 y axis: 1–2–5 or decade ticks, padded ends, labels that fit, and values that cannot be drawn.
@Suite struct LogScaleTests {
    /// The plot height of a default 640 × 400 line chart with a legend row and both axis titles.
    private let height = 308.0

    @Test func twoDecadesGetOneTwoFiveTicks() {
        let s = LogScale(minimum: 0.3, maximum: 40)
        #expect(s.lower == 0.2 && s.upper == 50)
        let ticks = s.ticks(plotHeight: height)
        #expect(ticks == [0.2, 0.5, 1, 2, 5, 10, 20, 50])
        #expect(ticks.map(LogScale.label) == ["0.2", "0.5", "1", "2", "5", "10", "20", "50"])
    }

    @Test func manyDecadesGetPowersOfTen() {
        let s = LogScale(minimum: 1, maximum: 1e5)
        #expect(s.lower == 1 && s.upper == 1e5)
        let ticks = s.ticks(plotHeight: height)
        #expect(ticks == [1, 10, 100, 1000, 10000, 100_000])
        #expect(ticks.map(LogScale.label) == ["1", "10", "100", "1000", "10000", "100000"])
        // Padded out to whole decades once the range spans more than three.
        let wide = LogScale(minimum: 0.3, maximum: 4000)
        #expect(wide.lower == 0.1 && wide.upper == 10000)
        #expect(wide.ticks(plotHeight: height) == [0.1, 1, 10, 100, 1000, 10000])
    }

    @Test func lessThanADecadeGetsEveryUnit() {
        let s = LogScale(minimum: 5, maximum: 9)
        #expect(s.lower == 5 && s.upper == 10)
        let ticks = s.ticks(plotHeight: height)
        #expect(ticks == [5, 6, 7, 8, 9, 10])
        #expect(ticks.map(LogScale.label) == ["5", "6", "7", "8", "9", "10"])
        // Inside one factor of two even 1…9 gives only the ends: plain steps instead.
        let narrow = LogScale(minimum: 1.2, maximum: 1.8)
        #expect(narrow.lower == 1 && narrow.upper == 2)
        #expect(narrow.ticks(plotHeight: height).map(LogScale.label) == ["1", "1.2", "1.4", "1.6", "1.8", "2"])
    }

    /// Thinned until neighbouring labels are at least 16.5 px apart, on short plots and over huge ranges.
    @Test(arguments: [(0.3, 40.0, 60.0), (1e-3, 1e12, 308.0), (1, 1e5, 40), (0.02, 3, 150), (5, 9, 30)])
    func labelsNeverCrowd(minimum: Double, maximum: Double, plotHeight: Double) {
        let s = LogScale(minimum: minimum, maximum: maximum)
        let ticks = s.ticks(plotHeight: plotHeight)
        #expect(!ticks.isEmpty && ticks.count <= LogScale.maximumTickCount)
        let pixelsPerDecade = plotHeight / log10(s.upper / s.lower)
        for (a, b) in zip(ticks, ticks.dropFirst()) {
            #expect(log10(b / a) * pixelsPerDecade >= 16.5, "\(a) and \(b) on \(plotHeight) px")
        }
    }

    @Test func thinnedTicksKeepRoundDecades() {
        #expect(LogScale(minimum: 0.3, maximum: 40).ticks(plotHeight: 60) == [1, 10])
        let huge = LogScale(minimum: 1e-3, maximum: 1e12).ticks(plotHeight: height)
        #expect(huge == [0.01, 1, 100, 1e4, 1e6, 1e8, 1e10, 1e12])
        #expect(huge.map(LogScale.label) == ["0.01", "1", "100", "10000", "1000000", "1e8", "1e10", "1e12"])
    }

    @Test func labelsArePlainDecimals() {
        #expect(LogScale.label(0.05) == "0.05")
        #expect(LogScale.label(0.0001) == "0.0001")
        #expect(LogScale.label(2e-5) == "2e-5")
        #expect(LogScale.label(5e7) == "5e7")
        #expect(LogScale.label(250) == "250")
    }

    @Test func unusableRangesFallBack() {
        #expect(LogScale(minimum: -3, maximum: 10) == LogScale(minimum: 1, maximum: 10))
        #expect(LogScale(minimum: .nan, maximum: 10) == LogScale(minimum: 1, maximum: 10))
        let flat = LogScale(minimum: 5, maximum: 5)
        #expect(flat.lower == 2 && flat.upper == 10)
        let pinned = LogScale(minimum: 3, maximum: 70, expand: false)
        #expect(pinned.lower == 3 && pinned.upper == 70)
    }

    @Test func equalRatiosTakeEqualPixels() throws {
        let chart = LineChart(xLabel: "x", yLabel: "y", series: [LineSeries(name: "s", x: [0, 1, 2], y: [1, 10, 100])],
                              yScale: .logarithmic)
        let f = chart.frame
        #expect(f.y.domainLower == 1 && f.y.domainUpper == 100)
        let oneToTen = f.y.map(1) - f.y.map(10), tenToHundred = f.y.map(10) - f.y.map(100)
        #expect(oneToTen > 100 && abs(oneToTen - tenToHundred) < 1e-9)
        #expect(abs(f.y.map(1) - f.bottom) < 1e-9 && abs(f.y.map(100) - f.top) < 1e-9)
        #expect(f.y.map(0).isNaN && f.y.map(-1).isNaN)
        // The line passes through those pixels, and the axis is labelled 1, 2, 5, 10, 20, 50, 100.
        let svg = chart.svg()
        let path = try #require(SVGInspection.tags("path", in: svg)
            .first { SVGInspection.attribute("stroke", in: $0) == Palette.color(0) })
        let commands = SVGInspection.moveLineCommands(try #require(SVGInspection.attribute("d", in: path)))
        #expect(commands.map(\.0) == ["M", "L", "L"])
        for (got, value) in zip(commands, [1.0, 10, 100]) { #expect(abs(got.2 - f.y.map(value)) < 0.006) }
        #expect(Self.yTickLabels(svg) == ["1", "2", "5", "10", "20", "50", "100"])
    }

    @Test func nonPositiveValuesBreakTheLineAndLeaveTheAxis() throws {
        let chart = LineChart(series: [
            LineSeries(name: "s", x: [0, 1, 2, 3, 4], y: [2, 0, 30, -5, 400], lower: [1, 1, 20, 10, -1],
                       upper: [3, 2, 40, 20, 500], showsPoints: true),
        ], yScale: .logarithmic)
        let svg = chart.svg()
        #expect(!svg.lowercased().contains("nan"))
        let path = try #require(SVGInspection.tags("path", in: svg)
            .first { SVGInspection.attribute("stroke", in: $0) == Palette.color(0) })
        let commands = SVGInspection.moveLineCommands(try #require(SVGInspection.attribute("d", in: path)))
        #expect(commands.map(\.0) == ["M", "M", "M"])
        // The band keeps its one run of positive edges (x = 0…3); the negative edge at x = 4 ends it.
        let band = try #require(SVGInspection.tags("path", in: svg)
            .first { SVGInspection.attribute("fill-opacity", in: $0) != nil })
        #expect(SVGInspection.moveLineCommands(try #require(SVGInspection.attribute("d", in: band))).count == 8)
        let f = chart.frame
        // 1 (a band edge) to 400, padded to 1–2–5 bounds; 0 and −5 take no part.
        #expect(f.y.domainLower == 1 && f.y.domainUpper == 500)
        #expect(Self.yTickLabels(svg) == ["1", "2", "5", "10", "20", "50", "100", "200", "500"])
    }

    @Test func noPositiveValueDrawsAnEmptyChart() {
        let svg = LineChart(series: [LineSeries(name: "s", x: [0, 1], y: [0, -2])], yScale: .logarithmic).svg()
        #expect(svg.contains(">No data</text>"))
        #expect(Self.yTickLabels(svg) == ["1", "2", "5", "10"])
    }

    @Test func linearIsTheDefault() {
        let series = [LineSeries(name: "s", x: [0, 5, 10], y: [0, 50, 100])]
        #expect(LineChart(series: series).yScale == .linear)
        #expect(LineChart(series: series).svg() == LineChart(series: series, yScale: .linear).svg())
    }

    /// The y-axis tick labels: 11 px text anchored at its end, left of the plot.
    static func yTickLabels(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text ").dropFirst().compactMap { chunk -> String? in
            guard chunk.contains("font-size=\"11.00\""), chunk.contains("text-anchor=\"end\""),
                  let open = chunk.firstIndex(of: ">"), let close = chunk.range(of: "</text>") else { return nil }
            return String(chunk[chunk.index(after: open)..<close.lowerBound])
        }
    }
}
