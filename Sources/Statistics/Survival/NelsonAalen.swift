import Foundation

/// The Nelson–Aalen estimator of the cumulative hazard.
package enum NelsonAalen {
    /// The cumulative hazard at each subject's own time, in input order; at tied times events
    /// count before censorings (the convention of White and Royston 2009 for imputation models).
    package static func cumulativeHazard(times: [Double], events: [Bool]) -> [Double] {
        let order = times.indices.sorted {
            times[$0] < times[$1] || (times[$0] == times[$1] && events[$0] && !events[$1])
        }
        var out = [Double](repeating: 0, count: times.count)
        var atRisk = Double(times.count), h = 0.0
        var i = 0
        while i < order.count {
            var j = i, d = 0.0
            while j < order.count && times[order[j]] == times[order[i]] { if events[order[j]] { d += 1 }; j += 1 }
            h += d / atRisk
            for k in i..<j { out[order[k]] = h }
            atRisk -= Double(j - i)
            i = j
        }
        return out
    }
}
