import Foundation

/// Small summaries used by the calibration figures.
enum Summary {
    static func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }

    static func sd(_ x: [Double]) -> Double {
        guard x.count > 1 else { return .nan }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
    }

    static func quantile(_ x: [Double], _ p: Double) -> Double {
        guard !x.isEmpty else { return .nan }
        let s = x.sorted()
        let h = Double(s.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    static func median(_ x: [Double]) -> Double { quantile(x, 0.5) }

    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let mx = mean(x), my = mean(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }

    static func fraction(_ flags: [Bool]) -> Double {
        flags.isEmpty ? .nan : Double(flags.filter { $0 }.count) / Double(flags.count)
    }

    /// Ordinary least-squares slope of y on x.
    static func slope(_ x: [Double], _ y: [Double]) -> Double {
        let mx = mean(x), my = mean(y)
        var sxy = 0.0, sxx = 0.0
        for i in x.indices { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx) }
        return sxx > 0 ? sxy / sxx : .nan
    }

    /// Kaplan–Meier survival S(t) from (time, event) pairs, at time `t`.
    static func kaplanMeier(_ data: [(time: Double, event: Bool)], at t: Double) -> Double {
        var s = 1.0
        for (time, deaths, atRisk) in riskTable(data) where time <= t {
            s *= 1 - Double(deaths) / Double(atRisk)
        }
        return s
    }

    /// Kaplan–Meier median (first time S falls to 0.5 or below), or NaN if never.
    static func kaplanMeierQuantile(_ data: [(time: Double, event: Bool)], survival p: Double) -> Double {
        var s = 1.0
        for (time, deaths, atRisk) in riskTable(data) {
            s *= 1 - Double(deaths) / Double(atRisk)
            if s <= p { return time }
        }
        return .nan
    }

    private static func riskTable(_ data: [(time: Double, event: Bool)]) -> [(Double, Int, Int)] {
        let sorted = data.sorted { $0.time < $1.time }
        var result: [(Double, Int, Int)] = []
        var i = 0
        var atRisk = sorted.count
        while i < sorted.count {
            let t = sorted[i].time
            var deaths = 0, leaving = 0
            while i < sorted.count && sorted[i].time == t {
                if sorted[i].event { deaths += 1 }
                leaving += 1
                i += 1
            }
            if deaths > 0 { result.append((t, deaths, atRisk)) }
            atRisk -= leaving
        }
        return result
    }
}
