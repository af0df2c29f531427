import DiseaseModeling
import Plotting
import Statistics

/// A milestone whose timing is compared: a recorded event, a treatment start, or death.
struct Milestone: Sendable {
    var id: String
    var kind: String
    /// The age it was recorded by the window's end, or nil.
    var age: @Sendable (PatientWindow) -> Double?
    /// Whether it had happened by the first visit.
    var atStart: @Sendable (PatientWindow) -> Bool

    static func all(_ template: DiseaseTemplate) -> [Milestone] {
        var out: [Milestone] = []
        for (e, event) in template.events.enumerated() where event.record != .none {
            out.append(Milestone(id: event.id, kind: "event", age: { $0.eventAges[e] },
                                 atStart: { $0.hadEventAtStart(e) }))
        }
        for (t, treatment) in template.treatments.enumerated() {
            out.append(Milestone(id: treatment.id, kind: "treatment", age: { $0.treatmentPeriods[t].first?.start },
                                 atStart: { w in w.treatmentPeriods[t].first.map { $0.start <= w.startAge } ?? false }))
        }
        out.append(Milestone(id: "death", kind: "death", age: { $0.deathAge }, atStart: { _ in false }))
        return out
    }

    /// Share of windows in which it was recorded by the window's end.
    func share(_ windows: [PatientWindow]) -> Double? {
        windows.isEmpty ? nil : Double(windows.filter { age($0) != nil }.count) / Double(windows.count)
    }

    /// First occurrences within the windows per 100 person-years of follow-up at risk (windows
    /// without it at the first visit, from the first visit to it or the window's end).
    func incidence(_ windows: [PatientWindow]) -> Double? {
        var events = 0, years = 0.0
        for w in windows where !atStart(w) {
            if let a = age(w) {
                events += 1
                years += a - w.startAge
            } else {
                years += w.endAge - w.startAge
            }
        }
        return years > 0 ? 100 * Double(events) / years : nil
    }

    /// Patients a curve must still have at risk for its value to be compared (the tails of small
    /// samples jump by large steps).
    static let minimumAtRisk = 10

    /// The last age at which both curves have `minimumAtRisk` patients at risk.
    static func comparableUpTo(_ a: KaplanMeierCurve, _ b: KaplanMeierCurve) -> Double? {
        func last(_ c: KaplanMeierCurve) -> Double? {
            c.atRisk.lastIndex { $0 >= Double(minimumAtRisk) }.map { c.times[$0] }
        }
        guard let ta = last(a), let tb = last(b) else { return nil }
        return Swift.min(ta, tb)
    }

    /// Kaplan–Meier curve of the age at it, censored at the window's end.
    func curve(_ windows: [PatientWindow]) -> KaplanMeierCurve? {
        guard windows.count >= 2 else { return nil }
        let times = windows.map { age($0) ?? $0.endAge }, events = windows.map { age($0) != nil }
        guard events.contains(true) else { return nil }
        return try? KaplanMeier.estimate(times: times, events: events)
    }
}

extension Fidelity {
    /// Shares, incidences and Kaplan–Meier distances of events, treatments and death.
    static func milestones(_ c: Cohorts) -> (metrics: [Metric], figures: [ReportFigure]) {
        var out: [Metric] = []
        var figures: [ReportFigure] = []
        for milestone in Milestone.all(c.template) {
            let id = milestone.id, prefix = "\(milestone.kind == "death" ? "" : milestone.kind + ".")\(id)"
            let realShare = milestone.share(c.real)
            let share = c.both { milestone.share($0) }
            out.append(Metric(.fidelity, prefix + ".share.real", value: realShare,
                              definition: "Share of real windows in which \(id) was recorded by the window's end."))
            out.append(Metric(.fidelity, prefix + ".share", value: share.value, baseline: share.baseline,
                              definition: "Share of synthetic windows in which "
                                  + "\(id) was recorded by the window's end."))
            let difference = c.both { w in milestone.share(w).flatMap { s in realShare.map { Swift.abs(s - $0) } } }
            out.append(Metric(.fidelity, prefix + ".share.difference", value: difference.value,
                              baseline: difference.baseline,
                              definition: "Absolute difference between the synthetic "
                                  + "and real shares of windows with \(id)."))
            let realRate = milestone.incidence(c.real)
            let rate = c.both { milestone.incidence($0) }
            out.append(Metric(.fidelity, prefix + ".incidence.real", value: realRate,
                              definition: "First occurrences of \(id) within the "
                                  + "real windows per 100 person-years at risk.", unit: "per 100 person-years"))
            out.append(Metric(.fidelity, prefix + ".incidence", value: rate.value, baseline: rate.baseline,
                              definition: "First occurrences of \(id) within the "
                                  + "synthetic windows per 100 person-years at risk.", unit: "per 100 person-years"))
            guard let realCurve = milestone.curve(c.real) else { continue }
            let distance: ([PatientWindow]) -> SurvivalCurveDistance? = { w in
                milestone.curve(w).flatMap { other in
                    Milestone.comparableUpTo(realCurve, other).flatMap {
                        try? realCurve.distance(to: other, over: 0...$0)
                    }
                }
            }
            let synthetic = distance(c.synthetic), baseline = c.holdout.flatMap(distance)
            let (vMax, vMean) = (synthetic?.maxAbsoluteDifference, synthetic?.meanAbsoluteDifference)
            let (bMax, bMean) = (baseline?.maxAbsoluteDifference, baseline?.meanAbsoluteDifference)
            out.append(Metric(.fidelity, "km.\(id).max-difference", value: vMax, baseline: bMax,
                              definition: "Largest vertical distance between the real and synthetic Kaplan–Meier "
                                  + "curves of the age at \(id) (censored at the window's end), up to the last age at "
                                  + "which both still have \(Milestone.minimumAtRisk) patients at risk."))
            out.append(Metric(.fidelity, "km.\(id).mean-difference", value: vMean, baseline: bMean,
                              definition: "Mean absolute distance between the real and synthetic "
                                  + "Kaplan–Meier curves of the age at \(id) over the same ages."))
            var series: [StepSeries] = []
            for sample in c.named {
                guard let curve = milestone.curve(sample.windows) else { continue }
                series.append(StepSeries(name: sample.name, times: [0] + curve.times, values: [1] + curve.survival))
            }
            figures.append(ReportFigure(section: .fidelity, title: "Kaplan–Meier: age at \(id)",
                                        svg: StepChart(title: "Age at \(id)", xLabel: "Age (years)",
                                                       yLabel: "Share without \(id)", series: series,
                                                       size: ChartSize(width: 520, height: 340),
                                                       showsCensorTicks: false).svg(),
                                        caption: "Kaplan–Meier estimate of the age at \(id), censored at the end of "
                                            + "each window (history before the window counts, as a registry "
                                            + "records it)."))
        }
        let kmMax = out.filter { $0.name.hasPrefix("km.") && $0.name.hasSuffix(".max-difference") }
        out.append(Metric(.fidelity, "km.max-difference", value: kmMax.compactMap(\.value).max(),
                          baseline: kmMax.compactMap(\.baseline).max(),
                          definition: "Largest Kaplan–Meier distance over all "
                              + "milestones (events, treatments, death)."))
        return (out, figures)
    }
}
