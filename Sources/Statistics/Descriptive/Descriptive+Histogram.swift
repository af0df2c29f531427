/// Counts of a sample in consecutive bins.
package struct Histogram: Sendable, Equatable, Codable {
    /// The `counts.count + 1` strictly increasing bin edges.
    package var edges: [Double]
    /// Counts per bin: bin `i` is `[edges[i], edges[i+1])`, the last bin also holds its right edge.
    package var counts: [Int]
    /// Values below `edges.first`.
    package var belowRange: Int
    /// Values above `edges.last`.
    package var aboveRange: Int

    /// The fraction of all in-range values that fall in each bin.
    package var proportions: [Double] {
        let total = counts.reduce(0, +)
        return counts.map { total > 0 ? Double($0) / Double(total) : 0 }
    }
}

extension Descriptive {
    /// Counts `x` in the bins given by strictly increasing `edges` (at least two). Bins are
    /// half-open `[a, b)` except the last, which is closed, as in NumPy.
    package static func histogram(_ x: [Double], edges: [Double]) throws -> Histogram {
        if edges.count < 2 {
            throw StatisticsError.invalidArgument("a histogram needs at least two edges, got \(edges.count)")
        }
        try Check.finite(edges, "histogram edges")
        try Check.finite(x, "histogram input")
        for i in 1..<edges.count where !(edges[i] > edges[i - 1]) {
            throw StatisticsError.invalidArgument("histogram edges must increase strictly (edge \(i))")
        }
        var counts = [Int](repeating: 0, count: edges.count - 1)
        var below = 0, above = 0
        let last = edges[edges.count - 1]
        for v in x {
            if v < edges[0] { below += 1; continue }
            if v > last { above += 1; continue }
            if v == last { counts[counts.count - 1] += 1; continue }
            // Binary search for the last edge <= v.
            var lo = 0, hi = edges.count - 1
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if edges[mid] <= v { lo = mid } else { hi = mid }
            }
            counts[lo] += 1
        }
        return Histogram(edges: edges, counts: counts, belowRange: below, aboveRange: above)
    }

    /// Counts `x` in `binCount` equal-width bins over `range` (default: the sample's min to max;
    /// a constant sample gets the unit range around its value).
    package static func histogram(_ x: [Double], binCount: Int,
                                 range: ClosedRange<Double>? = nil) throws -> Histogram {
        if binCount < 1 {
            throw StatisticsError.invalidArgument("histogram bin count must be positive, got \(binCount)")
        }
        var lower: Double, upper: Double
        if let range {
            (lower, upper) = (range.lowerBound, range.upperBound)
        } else {
            try Check.count(x, atLeast: 1, "histogram without a range")
            try Check.finite(x, "histogram input")
            (lower, upper) = (x.min()!, x.max()!)
        }
        if upper <= lower { (lower, upper) = (lower - 0.5, lower + 0.5) }
        let width = (upper - lower) / Double(binCount)
        var edges = (0..<binCount).map { lower + Double($0) * width }
        edges.append(upper)
        return try histogram(x, edges: edges)
    }
}
