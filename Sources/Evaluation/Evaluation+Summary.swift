import Foundation
import Serialization

extension Evaluation {
    /// One headline rule: the metric, its title, and how its flag is set.
    struct Rule {
        var section: MetricSection
        var title: String
        var metric: String
        var higherIsBetter: Bool
        var green: Double
        var amber: Double
    }

    static let rules: [Rule] = [
        Rule(section: .fidelity, title: "Visit-level distributions (mean KS over measures)", metric: "measures.mean-ks", higherIsBetter: false, green: 0.1, amber: 0.2),
        Rule(section: .fidelity, title: "Detection AUC (real vs synthetic)", metric: "detection.auc", higherIsBetter: false, green: 0.6, amber: 0.75),
        Rule(section: .fidelity, title: "Train-on-real minus train-on-synthetic AUC", metric: "tstr.gap", higherIsBetter: false, green: 0.05, amber: 0.1),
        Rule(section: .fidelity, title: "Per-visit code frequencies R²", metric: "codes.unigram.r2", higherIsBetter: true, green: 0.9, amber: 0.7),
        Rule(section: .fidelity, title: "Consecutive-visit code pairs R²", metric: "codes.bigram.r2", higherIsBetter: true, green: 0.8, amber: 0.5),
        Rule(section: .fidelity, title: "Largest Kaplan–Meier distance (milestones)", metric: "km.max-difference", higherIsBetter: false, green: 0.1, amber: 0.2),
        Rule(section: .fidelity, title: "Correlation matrix, mean |Δr|", metric: "correlation.mean-absolute-difference", higherIsBetter: false, green: 0.1, amber: 0.2),
        Rule(section: .privacy, title: "Copies of seed records", metric: "copies", higherIsBetter: false, green: 0, amber: 0),
        Rule(section: .privacy, title: "Membership inference AUC (distance)", metric: "mia.distance.auc", higherIsBetter: false, green: 0.55, amber: 0.6),
        Rule(section: .privacy, title: "Membership inference AUC (model likelihood)", metric: "mia.likelihood.auc", higherIsBetter: false, green: 0.55, amber: 0.6),
        Rule(section: .privacy, title: "Membership inference AUC (likelihood vs a reference model)", metric: "mia.calibrated-likelihood.auc", higherIsBetter: false, green: 0.55, amber: 0.6),
        Rule(section: .privacy, title: "Synthetic closer to seed than holdout's 5th percentile", metric: "dcr.share-below-holdout-p5", higherIsBetter: false, green: 0.075, amber: 0.15),
        Rule(section: .privacy, title: "NNAA privacy loss", metric: "nnaa.privacy-loss", higherIsBetter: false, green: 0.05, amber: 0.1),
        Rule(section: .privacy, title: "Attribute-inference advantage over holdout", metric: "", higherIsBetter: false, green: 0.05, amber: 0.1),
        Rule(section: .fairness, title: "Groups under- or over-represented", metric: "representation.flagged-groups", higherIsBetter: false, green: 0, amber: 2),
    ]

    static func ruleText(_ r: Rule) -> String {
        func f(_ x: Double) -> String { String(format: "%g", x) }
        if r.green == r.amber { return r.higherIsBetter ? "green ≥ \(f(r.green)), red below" : "green ≤ \(f(r.green)), red above" }
        return r.higherIsBetter ? "green ≥ \(f(r.green)), amber ≥ \(f(r.amber)), red below"
            : "green ≤ \(f(r.green)), amber ≤ \(f(r.amber)), red above"
    }

    /// The summary table: one line per rule whose metric was computed.
    static func headlines(_ metrics: [Metric]) -> [Headline] {
        rules.compactMap { rule in
            let metric = rule.metric.isEmpty
                ? metrics.first { $0.name.hasPrefix("attribute-inference.") && $0.name.hasSuffix(".advantage") }
                : metrics.first { $0.name == rule.metric && $0.group == nil }
            guard let metric, metric.value != nil else { return nil }
            let flag = rule.higherIsBetter ? Flag.higherIsBetter(metric.value, green: rule.green, amber: rule.amber)
                : Flag.lowerIsBetter(metric.value, green: rule.green, amber: rule.amber)
            return Headline(section: rule.section, title: rule.title, metric: metric.name, value: metric.value,
                            baseline: metric.baseline, flag: flag, rule: ruleText(rule))
        }
    }

    /// Numbers as JSON: integers plainly, others to 6 significant digits (deterministic).
    static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "null" }
        if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }

    /// `metrics.json`: run details, the summary and every figure with its definition, keys in a
    /// fixed order (the same inputs and seed give the same bytes).
    public func metricsJSON() -> [UInt8] {
        var w = ByteWriter()
        func key(_ k: String, _ indent: String = "  ") {
            w.rawString(indent)
            w.jsonString(k)
            w.raw(": ")
        }
        func string(_ s: String?) { if let s { w.jsonString(s) } else { w.raw("null") } }
        w.raw("{\n")
        key("format"); w.raw("\"zebra-evaluation\",\n")
        key("formatVersion"); w.raw("1,\n")
        key("disease"); string(disease); w.raw(",\n")
        key("templateVersion"); string(templateVersion); w.raw(",\n")
        key("seed"); w.rawString(String(seed)); w.raw(",\n")
        key("inputs"); w.raw("{")
        for (i, k) in ["real", "synthetic", "holdout", "model"].enumerated() {
            w.raw(i == 0 ? "" : ", ")
            w.jsonString(k); w.raw(": "); string(sources[k])
        }
        w.raw("},\n")
        key("patients"); w.rawString("{\"real\": \(patients.real), \"synthetic\": \(patients.synthetic), \"holdout\": \(patients.holdout.map(String.init) ?? "null")},\n")
        key("windows")
        w.rawString("{\"sampled\": \(windowing.sampled), \"policy\": \"\(windowing.policy.rawValue)\", "
            + "\"realMedianSpanYears\": \(Self.number(windowing.realMedianSpanYears)), \"realMedianVisits\": \(Self.number(windowing.realMedianVisits)), "
            + "\"syntheticMedianSpanYears\": \(Self.number(windowing.syntheticMedianSpanYears)), "
            + "\"syntheticMedianVisits\": \(Self.number(windowing.syntheticMedianVisits)), "
            + "\"fallbacks\": \(windowing.fallbacks), \"reused\": \(windowing.reused), \"dropped\": \(windowing.dropped)},\n")
        key("summary"); w.raw("[")
        for (i, h) in headlines.enumerated() {
            w.raw(i == 0 ? "\n" : ",\n")
            w.rawString("    {\"section\": \"\(h.section.rawValue)\", \"title\": ")
            w.jsonString(h.title)
            w.rawString(", \"metric\": ")
            w.jsonString(h.metric)
            w.rawString(", \"value\": \(Self.number(h.value)), \"baseline\": \(Self.number(h.baseline)), \"flag\": \"\(h.flag.rawValue)\", \"rule\": ")
            w.jsonString(h.rule)
            w.raw("}")
        }
        w.raw("\n  ],\n")
        key("metrics"); w.raw("[")
        for (i, m) in metrics.enumerated() {
            w.raw(i == 0 ? "\n" : ",\n")
            w.rawString("    {\"section\": \"\(m.section.rawValue)\", \"name\": ")
            w.jsonString(m.name)
            w.rawString(", \"group\": ")
            string(m.group)
            w.rawString(", \"value\": \(Self.number(m.value)), \"baseline\": \(Self.number(m.baseline)), \"unit\": ")
            string(m.unit)
            w.rawString(", \"definition\": ")
            w.jsonString(m.definition)
            w.raw("}")
        }
        w.raw("\n  ],\n")
        key("notes"); w.raw("[")
        for (i, n) in notes.enumerated() {
            w.raw(i == 0 ? "\n    " : ",\n    ")
            w.jsonString(n)
        }
        w.raw("\n  ]\n}\n")
        return w.bytes
    }
}
