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
        Rule(section: .fidelity, title: "Visit-level distributions (mean KS over measures)", metric: "measures.mean-ks",
             higherIsBetter: false, green: 0.1, amber: 0.2),
        Rule(section: .fidelity, title: "Detection AUC (real vs synthetic)", metric: "detection.auc",
             higherIsBetter: false, green: 0.6, amber: 0.75),
        Rule(section: .fidelity, title: "Train-on-real minus train-on-synthetic AUC", metric: "tstr.gap",
             higherIsBetter: false, green: 0.05, amber: 0.1),
        Rule(section: .fidelity, title: "Per-visit code frequencies R²", metric: "codes.unigram.r2",
             higherIsBetter: true, green: 0.9, amber: 0.7),
        Rule(section: .fidelity, title: "Consecutive-visit code pairs R²", metric: "codes.bigram.r2",
             higherIsBetter: true, green: 0.8, amber: 0.5),
        Rule(section: .fidelity, title: "Largest Kaplan–Meier distance (milestones)", metric: "km.max-difference",
             higherIsBetter: false, green: 0.1, amber: 0.2),
        Rule(section: .fidelity, title: "Correlation matrix, mean |Δr|",
             metric: "correlation.mean-absolute-difference", higherIsBetter: false, green: 0.1, amber: 0.2),
        Rule(section: .privacy, title: "Copies of seed records", metric: "copies", higherIsBetter: false, green: 0,
             amber: 0),
        Rule(section: .privacy, title: "Membership inference AUC (distance)", metric: "mia.distance.auc",
             higherIsBetter: false, green: 0.55, amber: 0.6),
        Rule(section: .privacy, title: "Membership inference AUC (model likelihood)", metric: "mia.likelihood.auc",
             higherIsBetter: false, green: 0.55, amber: 0.6),
        Rule(section: .privacy, title: "Membership inference AUC (likelihood vs a reference model)",
             metric: "mia.calibrated-likelihood.auc", higherIsBetter: false, green: 0.55, amber: 0.6),
        Rule(section: .privacy, title: "Synthetic closer to seed than holdout's 5th percentile",
             metric: "dcr.share-below-holdout-p5", higherIsBetter: false, green: 0.075, amber: 0.15),
        Rule(section: .privacy, title: "NNAA privacy loss", metric: "nnaa.privacy-loss", higherIsBetter: false,
             green: 0.05, amber: 0.1),
        Rule(section: .privacy, title: "Attribute-inference advantage over holdout", metric: "", higherIsBetter: false,
             green: 0.05, amber: 0.1),
        Rule(section: .fairness, title: "Groups under- or over-represented", metric: "representation.flagged-groups",
             higherIsBetter: false, green: 0, amber: 2),
    ]

    static func ruleText(_ r: Rule) -> String {
        func f(_ x: Double) -> String { String(format: "%g", x) }
        if r.green == r.amber {
            return r.higherIsBetter ? "green ≥ \(f(r.green)), red below" : "green ≤ \(f(r.green)), red above"
        }
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

    /// The layout of `metrics.json`: flat objects (a figure, the inputs) on one line, notes one
    /// per line, non-integral numbers to 6 significant digits.
    static let metricsLayout = ReportJSON.Layout(flatObjectsInline: true, scalarArraysInline: false,
                                                 significantDigits: 6)

    /// `metrics.json`: run details, the summary and every figure with its definition, keys in a
    /// fixed order (the same inputs and seed give the same bytes).
    package func metricsJSON() -> [UInt8] {
        let w = windowing
        let document: ReportJSON = .object([
            ("format", .string("zebra-evaluation")),
            ("formatVersion", .integer(1)),
            ("disease", .string(disease)),
            ("templateVersion", .string(templateVersion)),
            ("seed", .unsigned(seed)),
            ("inputs", .object(["real", "synthetic", "holdout", "model"].map { ($0, .nullable(sources[$0])) })),
            ("patients", .object([("real", .integer(patients.real)), ("synthetic", .integer(patients.synthetic)),
                                  ("holdout", patients.holdout.map { .integer($0) } ?? .null)])),
            ("windows", .object([
                ("sampled", .bool(w.sampled)), ("policy", .string(w.policy.rawValue)),
                ("realMedianSpanYears", .finite(w.realMedianSpanYears)),
                ("realMedianVisits", .finite(w.realMedianVisits)),
                ("syntheticMedianSpanYears", .finite(w.syntheticMedianSpanYears)),
                ("syntheticMedianVisits", .finite(w.syntheticMedianVisits)),
                ("fallbacks", .integer(w.fallbacks)), ("reused", .integer(w.reused)), ("dropped", .integer(w.dropped)),
            ])),
            ("summary", .array(headlines.map { h in
                .object([("section", .string(h.section.rawValue)), ("title", .string(h.title)),
                         ("metric", .string(h.metric)), ("value", .finite(h.value)), ("baseline", .finite(h.baseline)),
                         ("flag", .string(h.flag.rawValue)), ("rule", .string(h.rule))])
            })),
            ("metrics", .array(metrics.map { m in
                .object([("section", .string(m.section.rawValue)), ("name", .string(m.name)),
                         ("group", .nullable(m.group)), ("value", .finite(m.value)), ("baseline", .finite(m.baseline)),
                         ("unit", .nullable(m.unit)), ("definition", .string(m.definition))])
            })),
            ("notes", .array(notes.map { .string($0) })),
        ])
        return document.bytes(layout: Self.metricsLayout)
    }
}
