extension Descriptive {
    /// The ordinary least-squares slope of `y` on `x`, `Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²`; nil for fewer than
    /// two points or an `x` that does not vary. Per-patient slopes of a measure over age use it.
    package static func leastSquaresSlope(x: [Double], y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2 else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
        }
        return sxx > 0 ? sxy / sxx : nil
    }
}
