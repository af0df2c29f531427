import Foundation
import ZebraSupport

/// One named sample for a histogram overlay.
package struct HistogramSample: Sendable, Equatable {
    /// The legend name.
    package var name: String
    /// The observations; non-finite values are ignored.
    package var values: [Double]

    /// A sample.
    package init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }

    var finite: [Double] { values.filter(\.isFinite) }
}

/// Overlaid histograms of two or more samples on shared bins, scaled as densities so samples of
/// different sizes compare, optionally with a Gaussian kernel density curve for each.
package struct HistogramChart: Sendable, Equatable {
    /// The heading above the chart; empty for none.
    package var title: String
    /// The x-axis title; empty for none.
    package var xLabel: String
    /// The samples, coloured in palette order.
    package var samples: [HistogramSample]
    /// The pixel size of the SVG.
    package var size: ChartSize
    /// The number of shared bins; by default Sturges' rule on the largest sample, 5 to 50.
    package var binCount: Int?
    /// Adds a kernel density estimate (Silverman's bandwidth) for each sample.
    package var showsDensityCurves: Bool

    /// A chart; the y axis is density (area 1 per sample).
    package init(
        title: String = "", xLabel: String = "", samples: [HistogramSample], size: ChartSize = ChartSize(),
        binCount: Int? = nil, showsDensityCurves: Bool = false
    ) {
        self.title = title
        self.xLabel = xLabel
        self.samples = samples
        self.size = size
        self.binCount = binCount
        self.showsDensityCurves = showsDensityCurves
    }

    /// The shared bin edges: equal widths over the pooled range, `bins + 1` values.
    package var binEdges: [Double] {
        var extent = DataExtent()
        for s in samples { extent.include(s.values) }
        guard !extent.isEmpty else { return [] }
        var lo = extent.lower, hi = extent.upper
        if hi <= lo {
            lo -= 0.5
            hi += 0.5
        }
        let largest = samples.map { $0.finite.count }.max() ?? 0
        let sturges = Int(Foundation.log2(Double(Swift.max(largest, 1))).rounded(.up)) + 1
        let bins = Swift.min(Swift.max(binCount ?? Swift.min(Swift.max(sturges, 5), 50), 1), 1000)
        return (0...bins).map { lo + (hi - lo) * Double($0) / Double(bins) }
    }

    /// The density of `sample` in each bin: count / (n · width). The last bin is closed.
    package static func densities(_ sample: [Double], edges: [Double]) -> [Double] {
        guard edges.count >= 2 else { return [] }
        let bins = edges.count - 1
        let lo = edges[0], hi = edges[bins]
        let width = (hi - lo) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        var n = 0.0
        for v in sample where v.isFinite {
            n += 1
            guard v >= lo, v <= hi else { continue }
            let k = Swift.min(Int((v - lo) / width), bins - 1)
            counts[k] += 1
        }
        guard n > 0 else { return counts }
        return counts.map { $0 / (n * width) }
    }

    /// A Gaussian kernel density estimate of `sample` at `points`, bandwidth by Silverman's rule
    /// 0.9 · min(SD, IQR/1.34) · n^(−1/5).
    package static func kernelDensity(_ sample: [Double], at points: [Double]) -> [Double] {
        let data = sample.filter(\.isFinite).sorted()
        let n = Double(data.count)
        guard data.count >= 2 else { return points.map { _ in 0 } }
        let mean = data.reduce(0, +) / n
        let sd = (data.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
        let iqr = ZebraSupport.quantile(sorted: data, 0.75)! - ZebraSupport.quantile(sorted: data, 0.25)!
        var spread = Swift.min(sd, iqr / 1.34)
        if !(spread > 0) { spread = sd > 0 ? sd : 1 }
        let h = 0.9 * spread * Foundation.pow(n, -0.2)
        let norm = 1 / (n * h * (2 * Double.pi).squareRoot())
        return points.map { x in
            var total = 0.0
            for v in data {
                let z = (x - v) / h
                total += Foundation.exp(-0.5 * z * z)
            }
            return total * norm
        }
    }

    private func curvePoints(edges: [Double]) -> [Double] {
        guard let first = edges.first, let last = edges.last else { return [] }
        return (0...120).map { first + (last - first) * Double($0) / 120 }
    }

    /// The chart as a self-contained SVG document.
    package func svg() -> String {
        let edges = binEdges
        let densities = samples.map { Self.densities($0.values, edges: edges) }
        let grid = showsDensityCurves ? curvePoints(edges: edges) : []
        let curves = showsDensityCurves ? samples.map { Self.kernelDensity($0.values, at: grid) } : []
        var xs = DataExtent(), ys = DataExtent()
        xs.include(edges)
        ys.include(0)
        for d in densities { ys.include(d) }
        for c in curves { ys.include(c) }
        let legend = samples.enumerated().map {
            LegendEntry(name: $0.element.name, color: Palette.color($0.offset), symbol: .box)
        }
        let canvas = CartesianCanvas(
            size: size, title: title, xLabel: xLabel, yLabel: "Density", legend: legend,
            xScale: xs.scale(fixed: nil), yScale: ys.scale(fixed: nil))
        return canvas.render(isEmpty: edges.isEmpty) { svg, frame in
            let base = frame.y.map(0)
            for (k, d) in densities.enumerated() {
                let color = Palette.color(k)
                var outline: [(Double, Double)?] = edges.first.map { [(frame.x.map($0), base)] } ?? []
                for (b, value) in d.enumerated() {
                    let x0 = frame.x.map(edges[b]), x1 = frame.x.map(edges[b + 1]), y = frame.y.map(value)
                    if value > 0 {
                        svg.rect(x: x0, y: y, width: x1 - x0, height: base - y, fill: color, opacity: 0.3)
                    }
                    outline.append((x0, y))
                    outline.append((x1, y))
                }
                if let last = edges.last { outline.append((frame.x.map(last), base)) }
                svg.polyline(outline, stroke: color, width: 1.5)
            }
            for (k, c) in curves.enumerated() {
                svg.polyline(zip(grid, c).map { frame.point($0, $1) }, stroke: Palette.color(k), width: 2.5)
            }
        }
    }
}
