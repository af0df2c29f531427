import Foundation
import Plotting

/// Fairness: whether every group of patients is represented, and reproduced, as in the real data.
enum Fairness {
    struct Group {
        var label: String
        var contains: (PatientWindow) -> Bool
    }

    /// Sex, age band at the first visit, and each categorical attribute's values.
    static func groups(_ c: Cohorts) -> [Group] {
        var out = [Group(label: "female", contains: { $0.sex == .female }),
                   Group(label: "male", contains: { $0.sex == .male })]
        for band in Band.ages {
            out.append(Group(label: band.label + " at first visit", contains: { band.contains($0.startAge) }))
        }
        for (a, attribute) in c.template.attributes.enumerated() where attribute.isCategorical {
            for (k, value) in attribute.categoryValues.enumerated() {
                out.append(Group(label: "\(attribute.id) = \(value)", contains: { $0.categories[a] == k }))
            }
        }
        return out
    }

    static let underRatio = FairnessFlag.underRatio
    static let overRatio = FairnessFlag.overRatio
    static let zThreshold = FairnessFlag.zThreshold
    static func flag(real kr: Int, of nr: Int, synthetic k: Int, of n: Int) -> Int {
        FairnessFlag.flag(real: kr, of: nr, synthetic: k, of: n)
    }

    static func evaluate(_ c: Cohorts) -> (metrics: [Metric], figures: [ReportFigure], flagged: [String]) {
        var out: [Metric] = []
        var flagged: [String] = []
        var shown: [(String, [Double])] = []
        for group in groups(c) {
            let r = c.real.filter(group.contains), s = c.synthetic.filter(group.contains),
                h = c.holdout?.filter(group.contains)
            guard !r.isEmpty || !s.isEmpty else { continue }
            let pr = Double(r.count) / Double(max(1, c.real.count)),
                ps = Double(s.count) / Double(max(1, c.synthetic.count))
            let ph = h.map { Double($0.count) / Double(max(1, c.holdout!.count)) }
            shown.append((group.label, [pr, ps] + (ph.map { [$0] } ?? [])))
            out.append(Metric(.fairness, "representation.share.real", value: pr,
                              definition: "Share of real (seed) windows in the group.", group: group.label))
            out.append(Metric(.fairness, "representation.share", value: ps, baseline: ph,
                              definition: "Share of synthetic windows in the group "
                                  + "(baseline: share of holdout windows).", group: group.label))
            out.append(Metric(.fairness, "representation.ratio", value: pr > 0 ? ps / pr : nil,
                              baseline: pr > 0 ? ph.map { $0 / pr } : nil,
                              definition: "Synthetic share divided by real share "
                                  + "(1 = represented as in the real data).", group: group.label))
            let f = flag(real: r.count, of: c.real.count, synthetic: s.count, of: c.synthetic.count)
            let fh = h.map { flag(real: r.count, of: c.real.count, synthetic: $0.count, of: c.holdout!.count) }
            out.append(Metric(.fairness, "representation.flag", value: Double(f), baseline: fh.map(Double.init),
                              definition: "−1 under-represented, +1 over-represented, 0 neither: a share ratio below "
                                  + "\(underRatio) or above \(overRatio) with a difference beyond \(Int(zThreshold)) "
                                  + "standard errors (two-proportion z).",
                              group: group.label))
            if f != 0 {
                flagged.append("\(group.label): \(f < 0 ? "under" : "over")-represented "
                    + "(real \(percent(pr)), synthetic \(percent(ps)))")
            }
            var kss: [Double] = [], baselineKSs: [Double] = []
            for (m, measure) in c.template.measures.enumerated() {
                let real = Fidelity.values(r, m)
                let ks = Compare.ks(real, Fidelity.values(s, m)),
                    kb = h.flatMap { Compare.ks(real, Fidelity.values($0, m)) }
                guard ks != nil || kb != nil else { continue }
                out.append(Metric(.fairness, "measure.\(measure.id).ks", value: ks, baseline: kb,
                                  definition: "KS distance of \(measure.id) (visit level) "
                                      + "between real and synthetic windows of the group.", group: group.label))
                if let ks { kss.append(ks) }
                if let kb { baselineKSs.append(kb) }
            }
            out.append(Metric(.fairness, "measures.mean-ks", value: Compare.mean(kss),
                              baseline: Compare.mean(baselineKSs),
                              definition: "Mean over measures of the visit-level KS distance within the group.",
                              group: group.label))
        }
        out.append(Metric(.fairness, "representation.flagged-groups", value: Double(flagged.count),
                          definition: "Number of groups the synthetic data under- "
                              + "or over-represent (see representation.flag)."))
        var groupsShown = [BarGroup(name: "real (seed)", values: shown.map { $0.1[0] }),
                           BarGroup(name: "synthetic", values: shown.map { $0.1[1] })]
        if c.holdout != nil {
            groupsShown.append(BarGroup(name: "holdout", values: shown.map { $0.1.count > 2 ? $0.1[2] : .nan }))
        }
        let figure = ReportFigure(section: .fairness, title: "Representation by group",
                                  svg: BarChart(title: "Share of patients by group", xLabel: "",
                                                yLabel: "Share of windows", categories: shown.map(\.0),
                                                groups: groupsShown,
                                                size: ChartSize(width: max(640, Double(shown.count) * 70), height: 380))
                                      .svg(),
                                  caption: "Shares of windows by sex, age band at the first visit and attribute value.")
        return (out, [figure], flagged)
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
}

/// When a group's share in the synthetic data is flagged as misrepresenting the real data.
package enum FairnessFlag {
    /// A share ratio below this flags under-representation (the four-fifths rule)…
    package static let underRatio = 0.8
    /// …and above this over-representation, when the difference is also beyond 2 standard errors.
    package static let overRatio = 1.25
    package static let zThreshold = 2.0

    /// −1 under-represented, +1 over-represented, 0 neither, for `k` of `n` synthetic patients
    /// in a group holding `kr` of `nr` real ones (two-proportion z with the pooled share).
    package static func flag(real kr: Int, of nr: Int, synthetic k: Int, of n: Int) -> Int {
        guard nr > 0, n > 0 else { return 0 }
        let pr = Double(kr) / Double(nr), ps = Double(k) / Double(n)
        let pooled = Double(kr + k) / Double(nr + n)
        let se = (pooled * (1 - pooled) * (1 / Double(nr) + 1 / Double(n))).squareRoot()
        let z = se > 0 ? Swift.abs(ps - pr) / se : 0
        guard z >= zThreshold else { return 0 }
        if pr == 0 { return 1 }
        let ratio = ps / pr
        return ratio < underRatio ? -1 : ratio > overRatio ? 1 : 0
    }
}
