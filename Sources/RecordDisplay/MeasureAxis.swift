import DiseaseModeling
import Plotting

/// How a chart's y axis shows a measure: a title in words with the unit, and linear or log spacing.
package struct MeasureAxis: Sendable, Equatable {
    /// The y-axis title: the measure's name and unit as a reader writes them, and "log scale" on a
    /// log axis, e.g. "Lyso-Gb3, serum (ng/mL, log scale)".
    package var title: String
    /// The spacing the template asks for (`plotScale`).
    package var scale: AxisScale

    /// The axis for `measure`, as its template describes it.
    package init(_ measure: MeasureDefinition) {
        self.init(name: measure.concept.text, unit: DisplayUnit.text(measure.concept.unit),
                  plotScale: measure.plotScale)
    }

    /// The axis for a measure named `name` in `unit` (display text; empty for a unitless score).
    package init(name: String, unit: String, plotScale: PlotScale) {
        scale = plotScale == .log ? .logarithmic : .linear
        let notes = [unit, scale == .logarithmic ? "log scale" : ""].filter { !$0.isEmpty }
        // A name that already ends in brackets ("eGFR (CKD-EPI 2021)") takes the unit after a comma.
        title = notes.isEmpty ? name
            : name.hasSuffix(")") ? "\(name), \(notes.joined(separator: ", "))"
            : "\(name) (\(notes.joined(separator: ", ")))"
    }
}
