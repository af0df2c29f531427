import DiseaseModeling
import Plotting
import Statistics

/// Fidelity: how closely the synthetic windows reproduce the real ones.
enum Fidelity {
    /// Visit-level values of measure `m`, optionally only at visits whose age (or years since
    /// diagnosis) falls in `band`.
    static func values(_ windows: [PatientWindow], _ m: Int, age band: Band? = nil, duration: Band? = nil) -> [Double] {
        var out: [Double] = []
        for w in windows {
            let anchor = w.diagnosisAge ?? w.onsetAge
            for v in w.visits where !v.values[m].isNaN {
                if let band, !band.contains(v.age) { continue }
                if let duration {
                    guard let anchor, duration.contains(v.age - anchor) else { continue }
                }
                out.append(v.values[m])
            }
        }
        return out
    }

    /// Per measure: KS and Wasserstein-1 of visit-level values, overall, by age band and by years
    /// since diagnosis; and of per-patient slopes.
    static func measureDistributions(_ c: Cohorts) -> [Metric] {
        var out: [Metric] = []
        for (m, measure) in c.template.measures.enumerated() {
            let id = measure.id, unit = measure.concept.unit
            let real = values(c.real, m)
            let ks = c.both { Compare.ks(real, values($0, m)) }
            let w1 = c.both { Compare.wasserstein(real, values($0, m)) }
            out.append(Metric(.fidelity, "measure.\(id).ks", value: ks.value, baseline: ks.baseline,
                              definition: "Kolmogorov–Smirnov distance between the real and synthetic distributions "
                                  + "of \(id) over all visits of the windows (0 = identical, 1 = disjoint)."))
            out.append(Metric(.fidelity, "measure.\(id).wasserstein", value: w1.value, baseline: w1.baseline,
                              definition: "Wasserstein-1 (earth mover's) distance between the real and synthetic "
                                  + "visit-level distributions of \(id), in its unit.", unit: unit))
            if let sd = Compare.sd(real), sd > 0 {
                out.append(Metric(.fidelity, "measure.\(id).wasserstein-sd", value: w1.value.map { $0 / sd },
                                  baseline: w1.baseline.map { $0 / sd },
                                  definition: "The Wasserstein-1 distance of \(id) divided "
                                      + "by the real visit-level SD (scale-free)."))
            }
            for band in Band.ages {
                let r = values(c.real, m, age: band)
                let k = c.both { Compare.ks(r, values($0, m, age: band)) }
                let w = c.both { Compare.wasserstein(r, values($0, m, age: band)) }
                guard k.value != nil || k.baseline != nil else { continue }
                out.append(Metric(.fidelity, "measure.\(id).ks", value: k.value, baseline: k.baseline,
                                  definition: "KS distance of \(id) at visits in this age band.", group: band.label))
                out.append(Metric(.fidelity, "measure.\(id).wasserstein", value: w.value, baseline: w.baseline,
                                  definition: "Wasserstein-1 distance of \(id) at visits in this age band.",
                                  group: band.label, unit: unit))
            }
            for band in Band.durations {
                let r = values(c.real, m, duration: band)
                let k = c.both { Compare.ks(r, values($0, m, duration: band)) }
                guard k.value != nil || k.baseline != nil else { continue }
                out.append(Metric(.fidelity, "measure.\(id).ks", value: k.value, baseline: k.baseline,
                                  definition: "KS distance of \(id) at visits this many years after diagnosis.",
                                  group: band.label))
            }
            let realSlopes = c.real.compactMap { $0.slope(m) }
            let sk = c.both { w in Compare.ks(realSlopes, w.compactMap { $0.slope(m) }) }
            let sw = c.both { w in Compare.wasserstein(realSlopes, w.compactMap { $0.slope(m) }) }
            out.append(Metric(.fidelity, "measure.\(id).slope.ks", value: sk.value, baseline: sk.baseline,
                              definition: "KS distance between real and synthetic per-patient slopes of \(id) (least "
                                  + "squares over the window; two values half a year apart at least)."))
            out.append(Metric(.fidelity, "measure.\(id).slope.wasserstein", value: sw.value, baseline: sw.baseline,
                              definition: "Wasserstein-1 distance between per-patient slopes of \(id).",
                              unit: unit.map { $0 + "/year" }))
        }
        let perMeasure = out.filter { $0.group == nil && $0.name.hasSuffix(".ks") && !$0.name.contains(".slope.") }
        out.append(Metric(.fidelity, "measures.mean-ks", value: Compare.mean(perMeasure.compactMap(\.value)),
                          baseline: Compare.mean(perMeasure.compactMap(\.baseline)),
                          definition: "Mean over measures of the overall visit-level KS distance."))
        return out
    }

    /// Visits per window, gaps between visits, window span, and where windows start.
    static func visitPattern(_ c: Cohorts) -> [Metric] {
        let parts: [(String, String, String?, ([PatientWindow]) -> [Double])] = [
            ("visits.per-patient", "visits per patient (window)", nil, { $0.map { Double($0.visits.count) } }),
            ("visits.gap", "years between consecutive visits", "years", { $0.flatMap(\.gaps) }),
            ("window.span", "years from first to last visit of a window", "years", { $0.map(\.spanYears) }),
            ("window.start-age", "age at the first visit of a window", "years", { $0.map(\.startAge) }),
            ("window.start-duration", "years since diagnosis at the first visit of a window", "years",
             { $0.compactMap(\.durationAtStart) }),
        ]
        var out: [Metric] = []
        for (name, what, unit, extract) in parts {
            let real = extract(c.real)
            let ks = c.both { Compare.ks(real, extract($0)) }
            let w1 = c.both { Compare.wasserstein(real, extract($0)) }
            out.append(Metric(.fidelity, name + ".ks", value: ks.value, baseline: ks.baseline,
                              definition: "KS distance between the real and synthetic distributions of \(what)."))
            out.append(Metric(.fidelity, name + ".wasserstein", value: w1.value, baseline: w1.baseline,
                              definition: "Wasserstein-1 distance between the distributions of \(what).", unit: unit))
        }
        return out
    }

    /// Patient-level continuous quantities whose correlations are compared.
    static func correlationColumns(_ template: DiseaseTemplate) -> [(String, (PatientWindow) -> Double?)] {
        var columns: [(String, (PatientWindow) -> Double?)] = [("age at first visit", { $0.startAge }),
                                                                ("years since diagnosis", { $0.durationAtStart })]
        for (a, attribute) in template.attributes.enumerated() where !attribute.isCategorical {
            columns.append((attribute.id, { $0.numbers[a] }))
        }
        for (m, measure) in template.measures.enumerated() {
            columns.append(("\(measure.id) mean", { $0.mean(m) }))
            columns.append(("\(measure.id) slope", { $0.slope(m) }))
        }
        return columns
    }

    /// Pairwise-complete Pearson correlations of the patient-level quantities (nil for pairs with
    /// fewer than 10 complete patients or no variation).
    static func correlations(_ windows: [PatientWindow], _ columns: [(String, (PatientWindow) -> Double?)])
        -> [Double?] {
        let values = columns.map { column in windows.map { column.1($0) } }
        var out: [Double?] = []
        for i in 0..<columns.count {
            for j in (i + 1)..<columns.count {
                var x: [Double] = [], y: [Double] = []
                for k in windows.indices {
                    if let a = values[i][k], let b = values[j][k] { x.append(a); y.append(b) }
                }
                out.append(x.count >= 10 ? try? Descriptive.pearsonCorrelation(x, y) : nil)
            }
        }
        return out
    }

    static func correlationDifference(_ c: Cohorts) -> [Metric] {
        let columns = correlationColumns(c.template)
        guard columns.count >= 2 else { return [] }
        let real = correlations(c.real, columns)
        func differences(_ other: [PatientWindow]) -> [Double] {
            zip(real, correlations(other, columns)).compactMap { a, b in
                guard let a, let b, a.isFinite, b.isFinite else { return nil }
                return Swift.abs(a - b)
            }
        }
        let mean = c.both { Compare.mean(differences($0)) }
        let max = c.both { differences($0).max() }
        return [
            Metric(.fidelity, "correlation.mean-absolute-difference", value: mean.value, baseline: mean.baseline,
                   definition: "Mean absolute difference between the real and synthetic Pearson correlation matrices "
                       + "of the patient-level quantities (" + columns.map(\.0).joined(separator: ", ")
                       + "; pairwise complete)."),
            Metric(.fidelity, "correlation.max-absolute-difference", value: max.value, baseline: max.baseline,
                   definition: "Largest absolute difference between corresponding real and synthetic correlations."),
        ]
    }

    /// Per measure: overlaid histograms and the trajectory by age (median and interquartile band).
    static func measureFigures(_ c: Cohorts) -> [ReportFigure] {
        var figures: [ReportFigure] = []
        for (m, measure) in c.template.measures.enumerated() {
            let label = measure.id + (measure.concept.unit.map { " (\($0))" } ?? "")
            let samples = c.named.map { HistogramSample(name: $0.name, values: values($0.windows, m)) }
            guard samples.contains(where: { !$0.values.isEmpty }) else { continue }
            figures.append(ReportFigure(section: .fidelity, title: "\(measure.id): distribution over visits",
                                        svg: HistogramChart(title: measure.id, xLabel: label, samples: samples,
                                                            size: ChartSize(width: 520, height: 340)).svg(),
                                        caption: "Visit-level values of \(measure.id) in the windows, as densities."))
            figures.append(ReportFigure(section: .fidelity, title: "\(measure.id): trajectory by age",
                                        svg: trajectoryChart(c, m, label: label).svg(),
                                        caption: "Median by 5-year age bin (bins with at least 5 values); the band is "
                                            + "the real interquartile range, the dashed line the synthetic median with "
                                            + "its interquartile band."))
        }
        return figures
    }

    static func trajectoryChart(_ c: Cohorts, _ m: Int, label: String) -> LineChart {
        let all = c.named.flatMap { s in s.windows.flatMap { w in w.visits.filter { !$0.values[m].isNaN }.map(\.age) } }
        let lo = ((all.min() ?? 0) / 5).rounded(.down) * 5, hi = ((all.max() ?? 5) / 5).rounded(.up) * 5
        let bins = Swift.max(1, Int(((hi - lo) / 5).rounded()))
        var series: [LineSeries] = []
        for (k, sample) in c.named.enumerated() {
            var grouped = [[Double]](repeating: [], count: bins)
            for w in sample.windows {
                for v in w.visits where !v.values[m].isNaN {
                    grouped[Swift.min(bins - 1, Swift.max(0, Int((v.age - lo) / 5)))].append(v.values[m])
                }
            }
            let x = (0..<bins).map { lo + 5 * Double($0) + 2.5 }
            let stat: (Double) -> [Double] = { p in
                grouped.map { $0.count >= 5 ? Compare.quantile($0, p) ?? .nan : .nan }
            }
            let band = k < 2
            series.append(LineSeries(name: sample.name + " median", x: x, y: stat(0.5), lower: band ? stat(0.25) : nil,
                                     upper: band ? stat(0.75) : nil, dashed: k == 1, showsPoints: true))
        }
        return LineChart(title: "\(c.template.measures[m].id) by age", xLabel: "Age (years)", yLabel: label,
                         series: series, size: ChartSize(width: 520, height: 340))
    }
}
