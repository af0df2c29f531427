import Testing
@testable import Plotting

/// A y-axis title longer than the plot is tall wraps onto more lines rather than running past the chart.
@Suite struct AxisTitleTests {
    @Test func shortTitlesKeepOneLine() {
        #expect(ChartDecor.yLabelLines("eGFR", plotHeight: 100) == ["eGFR"])
        #expect(ChartDecor.yLabelLines("", plotHeight: 10) == [""])
    }

    @Test func longTitlesBreakAtTheMostBalancedSpace() {
        let title = "Protein/Creatinine [Mass Ratio] in Urine (g/g, log scale)"
        let lines = ChartDecor.yLabelLines(title, plotHeight: 250)
        #expect(lines == ["Protein/Creatinine [Mass Ratio]", "in Urine (g/g, log scale)"])
        #expect(lines.allSatisfy { ChartDecor.textWidth($0, size: ChartDecor.labelSize) <= 250 })
        // A shorter plot takes three lines; one too short even for that cuts the title with "…".
        #expect(ChartDecor.yLabelLines(title, plotHeight: 170)
            == ["Protein/Creatinine", "[Mass Ratio] in Urine", "(g/g, log scale)"])
        let cut = ChartDecor.yLabelLines(title, plotHeight: 120)
        #expect(cut == ["Protein/Creatin…", "[Mass Ratio] in", "Urine (g/g, log…"])
    }

    @Test func aWrappedTitleWidensTheMarginAndDrawsTwoLines() {
        let long = "Chitotriosidase activity (nmol/h/mL, log scale)"
        let series = [LineSeries(name: "s", x: [0, 1], y: [10, 100])]
        let short = LineChart(yLabel: "y", series: series, size: ChartSize(width: 400, height: 250))
        let wrapped = LineChart(yLabel: long, series: series, size: ChartSize(width: 400, height: 250))
        #expect(abs(wrapped.frame.left - short.frame.left - 14) < 1e-9)
        let titles = SVGInspection.tags("text", in: wrapped.svg()).filter { $0.contains("rotate(-90") }
        #expect(titles.count == 2)
        let xs = titles.compactMap { SVGInspection.attribute("x", in: $0).flatMap(Double.init) }
        #expect(xs == [22, 36])
    }
}
