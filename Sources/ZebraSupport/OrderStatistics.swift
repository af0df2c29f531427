/// The type-7 quantile (R's and NumPy's default, `h = (n − 1) p`) of data sorted ascending; nil for empty data.
package func quantile(sorted x: [Double], _ p: Double) -> Double? {
    precondition(p >= 0 && p <= 1, "quantile probability must lie in [0, 1], got \(p)")
    guard !x.isEmpty else { return nil }
    let h = Double(x.count - 1) * p
    let lo = Int(h.rounded(.down))
    if lo >= x.count - 1 { return x[x.count - 1] }
    return x[lo] + (h - Double(lo)) * (x[lo + 1] - x[lo])
}

/// The type-7 sample quantile of unsorted data (see `quantile(sorted:_:)`); nil for empty data.
package func quantile(_ x: [Double], _ p: Double) -> Double? {
    quantile(sorted: x.sorted(), p)
}

/// The median by the midpoint rule (as the type-7 quantile at 0.5, up to the last bit); nil for empty data.
package func median(_ x: [Double]) -> Double? {
    guard !x.isEmpty else { return nil }
    let s = x.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
