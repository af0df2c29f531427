import Foundation

extension KaplanMeier {
    /// The Kaplan–Meier estimate from left-truncated, right-censored data: subject `i` is at risk
    /// on `(entries[i], times[i]]` only (delayed entry, as a registry sees patients from
    /// enrolment), so the risk set at `t` is `#{entry < t ≤ time}`. With every entry 0 this is
    /// `estimate(times:events:)`. As in lifelines' `entry=` and R's `Surv(entry, time, event)`.
    ///
    /// When the risk set empties early and refills, `S` carries the product through the gap;
    /// a time with nobody at risk contributes no step, and a subject whose entry equals its time
    /// is never at risk.
    package static func estimate(entries: [Double], times: [Double], events: [Bool]) throws -> KaplanMeierCurve {
        try Survival.validate(times: times, events: events, weights: nil, context: "Kaplan–Meier with delayed entry")
        try Check.sameCount(entries.count, times.count, "Kaplan–Meier with delayed entry: entries vs times")
        for (e, t) in zip(entries, times) where !(e >= 0) || !e.isFinite || e > t {
            throw StatisticsError.invalidArgument("Kaplan–Meier with delayed entry: an entry (\(e)) must be finite, "
                + "non-negative and not after its time (\(t))")
        }
        // A subject who leaves the moment it enters is never at risk.
        let kept = times.indices.filter { entries[$0] < times[$0] }
        let sortedEntries = kept.map { entries[$0] }.sorted()
        let order = kept.sorted { times[$0] < times[$1] }
        var outTimes: [Double] = [], outS: [Double] = [], outN: [Double] = []
        var outD: [Double] = [], outC: [Double] = [], outG: [Double] = []
        var s = 1.0, g = 0.0
        var k = 0, exited = 0
        while k < order.count {
            let t = times[order[k]]
            var d = 0.0, c = 0.0
            let first = k
            while k < order.count && times[order[k]] == t {
                if events[order[k]] { d += 1 } else { c += 1 }
                k += 1
            }
            // Entered strictly before t, not yet left before t.
            let entered = Self.countBelow(t, in: sortedEntries)
            let atRisk = Double(entered - exited)
            exited += k - first
            if d > 0 && atRisk > 0 {
                let remaining = max(atRisk - d, 0)
                s *= remaining / atRisk
                g = remaining > 0 ? g + d / (atRisk * remaining) : .infinity
            }
            outTimes.append(t); outS.append(s); outN.append(atRisk)
            outD.append(d); outC.append(c); outG.append(g)
        }
        return KaplanMeierCurve(times: outTimes, survival: outS, atRisk: outN, events: outD,
                                censored: outC, greenwoodSums: outG)
    }

    /// How many of the ascending `values` are strictly below `x`.
    static func countBelow(_ x: Double, in values: [Double]) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
