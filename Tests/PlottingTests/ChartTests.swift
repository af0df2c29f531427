import Testing
@testable import Plotting

/// One chart of every kind, with text that needs escaping, NaN and infinity mixed in.
let everyChartKind: [(String, @Sendable () -> String)] = [
    ("line", {
        LineChart(title: "Mean <eGFR> & \"SD\"", xLabel: "Years", yLabel: "eGFR", series: [
            LineSeries(name: "Real 'cohort'", x: [0, 1, 2, 3, 4], y: [90, 85, .nan, 80, 76],
                       lower: [80, 75, 74, 70, 65], upper: [100, 95, 94, 90, 87]),
            LineSeries(name: "Synthetic", x: [0, 1, 2, 3, 4], y: [91, 84, 82, .infinity, 75], dashed: true,
                       showsPoints: true),
        ]).svg()
    }),
    ("step", {
        StepChart(title: "Time to event", series: [
            StepSeries(name: "Type 1", times: [0, 2, 5, 9], values: [1, 0.8, 0.55, 0.3],
                       lower: [1, 0.7, 0.4, 0.15], upper: [1, 0.9, 0.7, 0.45], censorTimes: [3, 7, 11]),
            StepSeries(name: "Type 3", times: [0, 1, .nan, 6], values: [1, 0.9, 0.7, 0.6]),
        ]).svg()
    }),
    ("histogram", {
        HistogramChart(title: "Age at onset", xLabel: "Years", samples: [
            HistogramSample(name: "Real", values: (0..<200).map { Double($0 % 37) + 0.5 * Double($0 % 5) }),
            HistogramSample(name: "Synthetic", values: (0..<150).map { Double($0 % 29) + 3 } + [.nan, .infinity]),
        ], showsDensityCurves: true).svg()
    }),
    ("scatter", {
        ScatterChart(title: "Real vs synthetic", xLabel: "x", yLabel: "y", series: [
            ScatterSeries(name: "A", x: [1, 2, 3, .nan], y: [1.2, 1.9, 3.3, 4]),
            ScatterSeries(name: "B", x: [0.5, 2.5], y: [0.4, .infinity]),
        ], showsIdentityLine: true).svg()
    }),
    ("love", {
        LovePlot(title: "Balance", covariates: ["Age", "Sex <male>", "Spleen volume", "Hb"],
                 before: [0.35, -0.22, 0.05, .nan], after: [0.04, -0.08, 0.02, 0.01]).svg()
    }),
    ("bar", {
        BarChart(title: "Genotype counts", yLabel: "Patients",
                 categories: ["N370S/N370S", "N370S/L444P", "L444P/L444P"],
                 groups: [BarGroup(name: "Real", values: [40, 25, 10]),
                          BarGroup(name: "Synthetic", values: [38, .nan, -3])]).svg()
    }),
]

/// The same kinds with nothing to draw.
let everyEmptyChart: [(String, @Sendable () -> String)] = [
    ("line", { LineChart(series: []).svg() }),
    ("line of NaN", { LineChart(series: [LineSeries(name: "x", x: [.nan, 1], y: [1, .nan])]).svg() }),
    ("step", { StepChart(series: [StepSeries(name: "s", times: [], values: [])]).svg() }),
    ("histogram", { HistogramChart(samples: [HistogramSample(name: "h", values: [.nan])]).svg() }),
    ("scatter", { ScatterChart(series: []).svg() }),
    ("love", { LovePlot(covariates: [], before: [], after: []).svg() }),
    ("bar", { BarChart(categories: [], groups: []).svg() }),
]

@Suite struct ChartTests {
    @Test(arguments: everyChartKind + everyEmptyChart)
    func sameInputGivesSameBytes(chart: (String, @Sendable () -> String)) {
        let first = chart.1(), second = chart.1()
        #expect(first == second)
        #expect(first.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(first.hasSuffix("</svg>\n"))
        #expect(!first.contains("nan") && !first.contains("inf"))
        #expect(!first.contains("url(http") && !first.contains("@import") && !first.contains("<style"))
    }

    @Test(arguments: everyChartKind + everyEmptyChart)
    func outputIsWellFormedXML(chart: (String, @Sendable () -> String)) {
        let svg = chart.1()
        #expect(SVGInspection.xmlParserError(svg) == nil, "\(chart.0)")
        #expect(SVGInspection.tagStructureError(svg) == nil, "\(chart.0)")
    }

    @Test(arguments: everyEmptyChart)
    func emptyChartsSayNoData(chart: (String, @Sendable () -> String)) {
        #expect(chart.1().contains(">No data</text>"))
    }

    @Test func titlesAreEscaped() {
        let svg = everyChartKind[0].1()
        #expect(svg.contains("<title>Mean &lt;eGFR&gt; &amp; &quot;SD&quot;</title>"))
        #expect(svg.contains(">Real &apos;cohort&apos;</text>"))
    }

    @Test func checkerRejectsBrokenXML() {
        #expect(SVGInspection.tagStructureError("<svg><g></svg>") != nil)
        #expect(SVGInspection.tagStructureError("<svg><text>a & b</text></svg>") != nil)
        #expect(SVGInspection.xmlParserError("<svg><text>a < b</text></svg>") != nil)
    }

    @Test func differentChartsGetDifferentClipIds() {
        let a = SVGInspection.tags("clipPath", in: everyChartKind[0].1())
        let b = SVGInspection.tags("clipPath", in: everyChartKind[3].1())
        #expect(a.count == 1 && b.count == 1)
        #expect(a != b)
    }
}
