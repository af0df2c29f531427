import DiseaseModeling
import Statistics

/// A clinical prediction made from what is known at a window's first visit, for the
/// train-on-synthetic, test-on-real (TSTR) comparison.
package struct PredictionTask: Sendable {
    package enum Outcome: Sendable {
        /// The event is first recorded after the first visit, by the window's end (patients who
        /// had it at the first visit are not eligible).
        case eventWithinWindow(event: String)
        /// The measure's slope over the window is below `threshold` per year, or (when given) the
        /// event is first recorded within the window.
        case slopeBelow(measure: String, threshold: Double, orEvent: String?)
        /// The measure's last observed value in the window is below `threshold`.
        case lastValueBelow(measure: String, threshold: Double)
        /// The measure's slope over the window is above the real records' median slope.
        case slopeAboveMedian(measure: String)
    }

    package var description: String
    package var outcome: Outcome

    /// The tasks to try for `template`, in order of preference: the first whose outcome has at
    /// least 5 patients of each class in both samples is used.
    package static func candidates(for template: DiseaseTemplate) -> [PredictionTask] {
        var tasks: [PredictionTask] = []
        func has(measure: String) -> Bool { template.measureIndex(measure) != nil }
        func has(event: String) -> Bool { template.eventIndex(event) != nil }
        switch template.id {
        case "friedreich-ataxia":
            if has(event: "loss-of-ambulation") {
                tasks.append(.init(description: "loss of ambulation recorded within the window",
                                   outcome: .eventWithinWindow(event: "loss-of-ambulation")))
            }
            if has(measure: "mfars") {
                tasks.append(.init(description: "mFARS slope above the real median",
                                   outcome: .slopeAboveMedian(measure: "mfars")))
            }
        case "fabry":
            if has(measure: "egfr") {
                tasks.append(.init(description: "eGFR slope below −3 mL/min/1.73 m² "
                                       + "per year, or ESRD within the window",
                                   outcome: .slopeBelow(measure: "egfr", threshold: -3,
                                                        orEvent: has(event: "esrd") ? "esrd" : nil)))
            }
        case "gaucher":
            if has(measure: "platelets") {
                tasks.append(.init(description: "platelets below 100 × 10⁹/L at the last measurement of the window",
                                   outcome: .lastValueBelow(measure: "platelets", threshold: 100)))
            }
            if has(event: "splenectomy") {
                tasks.append(.init(description: "splenectomy within the window",
                                   outcome: .eventWithinWindow(event: "splenectomy")))
            }
        default:
            break
        }
        for m in template.measures {
            tasks.append(.init(description: "\(m.id) slope above the real median",
                               outcome: .slopeAboveMedian(measure: m.id)))
        }
        return tasks
    }

    /// The outcome of a window; nil when the window is not eligible (too short, or the outcome
    /// already present at the first visit). `median` is the real median slope for
    /// `slopeAboveMedian`.
    func label(_ w: PatientWindow, template: DiseaseTemplate, median: Double?) -> Bool? {
        guard w.visits.count >= 2 else { return nil }
        switch outcome {
        case .eventWithinWindow(let id):
            guard let e = template.eventIndex(id), !w.hadEventAtStart(e) else { return nil }
            return w.eventWithinWindow(e)
        case .slopeBelow(let id, let threshold, let event):
            guard let m = template.measureIndex(id) else { return nil }
            let e = event.flatMap { template.eventIndex($0) }
            if let e, w.hadEventAtStart(e) { return nil }
            if let e, w.eventWithinWindow(e) { return true }
            return w.slope(m).map { $0 < threshold }
        case .lastValueBelow(let id, let threshold):
            guard let m = template.measureIndex(id), let last = w.observations(m).last else { return nil }
            return last.value < threshold
        case .slopeAboveMedian(let id):
            guard let m = template.measureIndex(id), let median else { return nil }
            return w.slope(m).map { $0 > median }
        }
    }

    /// The real median slope a `slopeAboveMedian` task needs.
    func median(real: [PatientWindow], template: DiseaseTemplate) -> Double? {
        guard case .slopeAboveMedian(let id) = outcome, let m = template.measureIndex(id) else { return nil }
        let slopes = real.compactMap { $0.slope(m) }
        return slopes.isEmpty ? nil : try? Descriptive.median(slopes)
    }
}

/// What is known at a window's first visit: the predictors of a `PredictionTask`.
///
/// Age at the first visit; years since diagnosis (with a missing flag); sex; attributes (as in
/// `FeatureSpace`); per measure the first value observed within a year of the first visit (with
/// a missing flag); per recorded event whether it was recorded by the first visit; per treatment
/// whether it was on at the first visit. Imputed and standardised on the seed records.
package struct BaselineFeatureSpace: Sendable {
    package let names: [String]
    let template: DiseaseTemplate
    let recordedEvents: [Int]
    let standardiser: Standardiser

    package init(template: DiseaseTemplate, reference: [PatientWindow]) {
        self.template = template
        let recorded = template.events.indices.filter { template.events[$0].record != .none }
        recordedEvents = recorded
        var names = PatientWindow.baselineFeatureNames(template).names
        for m in template.measures { names += ["\(m.id) first value", "\(m.id) first value missing"] }
        names += recorded.map { "\(template.events[$0].id) at first visit" }
        names += template.treatments.map { "\($0.id) on at first visit" }
        self.names = names
        standardiser = Standardiser(reference: reference.map { Self.raw($0, template: template,
                                                                        recordedEvents: recorded) },
                                    columns: names.count)
    }

    static func raw(_ w: PatientWindow, template: DiseaseTemplate, recordedEvents: [Int]) -> [Double] {
        var f = w.baselineFeatures(template)
        for m in template.measures.indices {
            if let first = w.observations(m).first, first.age <= w.startAge + 1 {
                f += [first.value, 0]
            } else {
                f += [.nan, 1]
            }
        }
        for e in recordedEvents { f.append(w.hadEventAtStart(e) ? 1 : 0) }
        for t in template.treatments.indices { f.append(w.onTreatment(t, at: w.startAge) ? 1 : 0) }
        return f
    }

    package func matrix(_ windows: [PatientWindow]) -> FeatureMatrix {
        standardiser.apply(windows.map { Self.raw($0, template: template, recordedEvents: recordedEvents) })
    }
}
