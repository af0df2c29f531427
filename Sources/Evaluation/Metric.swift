/// The part of the report a figure belongs to.
package enum MetricSection: String, Sendable, CaseIterable {
    case fidelity
    case privacy
    case fairness
}

/// One figure of the evaluation, with its definition.
package struct Metric: Sendable, Equatable {
    package var section: MetricSection
    /// A stable dotted name, e.g. `measure.egfr.ks`.
    package var name: String
    /// The figure for the synthetic records; nil when it could not be computed.
    package var value: Double?
    /// The same figure with the holdout records in place of the synthetic ones (real vs real),
    /// when a holdout was given and the figure has such a counterpart.
    package var baseline: Double?
    /// What the figure is, in a sentence.
    package var definition: String
    /// The subgroup the figure is computed on (age band, sex, attribute value), if any.
    package var group: String?
    package var unit: String?

    package init(_ section: MetricSection, _ name: String, value: Double?, baseline: Double? = nil,
                definition: String, group: String? = nil, unit: String? = nil) {
        self.section = section
        self.name = name
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        self.baseline = baseline.flatMap { $0.isFinite ? $0 : nil }
        self.definition = definition
        self.group = group
        self.unit = unit
    }
}

/// A traffic light.
package enum Flag: String, Sendable {
    case green, amber, red, none

    /// The flag of `value` where lower is better: green up to `green`, amber up to `amber`.
    static func lowerIsBetter(_ value: Double?, green: Double, amber: Double) -> Flag {
        guard let value else { return .none }
        return value <= green ? .green : value <= amber ? .amber : .red
    }

    /// The flag of `value` where higher is better: green from `green`, amber from `amber`.
    static func higherIsBetter(_ value: Double?, green: Double, amber: Double) -> Flag {
        guard let value else { return .none }
        return value >= green ? .green : value >= amber ? .amber : .red
    }
}

/// A line of the summary table: a headline figure with its flag and the rule that set it.
package struct Headline: Sendable, Equatable {
    package var section: MetricSection
    package var title: String
    /// The metric's name in `metrics`.
    package var metric: String
    package var value: Double?
    package var baseline: Double?
    package var flag: Flag
    /// The thresholds, e.g. "green ≤ 0.60, amber ≤ 0.75, red above".
    package var rule: String
}

/// A plot of the report.
package struct ReportFigure: Sendable, Equatable {
    package var section: MetricSection
    package var title: String
    /// A self-contained SVG document.
    package var svg: String
    package var caption: String
}
