import DiseaseModeling
import Plotting

/// Code frequencies per visit, as HALO (Theodorou et al. 2023) reports them.
///
/// A visit's codes are the measures observed at it, the events first recorded since the
/// previous visit of the window (at the first visit: by then), and the treatments on at it.
struct CodeFrequencies {
    /// Code names: `measure:<id>`, `event:<id>`, `treatment:<id>`.
    let codes: [String]
    /// Per code: visits carrying it / visits.
    let unigram: [Double]
    /// Per (code at a visit, code at the next visit): consecutive-visit pairs carrying it /
    /// consecutive-visit pairs.
    let bigram: [Int: Double]

    static func codes(_ template: DiseaseTemplate) -> [String] {
        template.measures.map { "measure:" + $0.id }
            + template.events.filter { $0.record != .none }.map { "event:" + $0.id }
            + template.treatments.map { "treatment:" + $0.id }
    }

    /// The code indices of each visit of `w`.
    static func visitCodes(_ w: PatientWindow, _ template: DiseaseTemplate) -> [[Int]] {
        let m = template.measures.count
        let recorded = template.events.indices.filter { template.events[$0].record != .none }
        var out: [[Int]] = []
        for (k, visit) in w.visits.enumerated() {
            var codes = (0..<m).filter { !visit.values[$0].isNaN }
            let previous = k > 0 ? w.visits[k - 1].age : -Double.infinity
            for (i, e) in recorded.enumerated() {
                if let a = w.eventAges[e], a > previous, a <= visit.age { codes.append(m + i) }
            }
            for t in template.treatments.indices where w.onTreatment(t, at: visit.age) {
                codes.append(m + recorded.count + t)
            }
            out.append(codes)
        }
        return out
    }

    init(_ windows: [PatientWindow], template: DiseaseTemplate) {
        codes = Self.codes(template)
        let n = codes.count
        var counts = [Double](repeating: 0, count: n)
        var pairs: [Int: Double] = [:]
        var visits = 0.0, transitions = 0.0
        for w in windows {
            let perVisit = Self.visitCodes(w, template)
            for (k, set) in perVisit.enumerated() {
                visits += 1
                for c in set { counts[c] += 1 }
                guard k + 1 < perVisit.count else { continue }
                transitions += 1
                for a in set { for b in perVisit[k + 1] { pairs[a * n + b, default: 0] += 1 } }
            }
        }
        unigram = counts.map { visits > 0 ? $0 / visits : 0 }
        bigram = pairs.mapValues { transitions > 0 ? $0 / transitions : 0 }
    }
}

extension Fidelity {
    static func codeFrequencies(_ c: Cohorts) -> (metrics: [Metric], figures: [ReportFigure]) {
        let real = CodeFrequencies(c.real, template: c.template)
        func r2(_ other: [PatientWindow]) -> (Double?, Double?) {
            let o = CodeFrequencies(other, template: c.template)
            let keys = Set(real.bigram.keys).union(o.bigram.keys).sorted()
            return (Compare.rSquared(real: real.unigram, synthetic: o.unigram),
                    Compare.rSquared(real: keys.map { real.bigram[$0] ?? 0 },
                                     synthetic: keys.map { o.bigram[$0] ?? 0 }))
        }
        let synthetic = r2(c.synthetic), baseline = c.holdout.map(r2)
        let metrics = [
            Metric(.fidelity, "codes.unigram.r2", value: synthetic.0, baseline: baseline?.0,
                   definition: "R² (1 − Σ(real − synthetic)² / Σ(real − mean)²) between real and synthetic "
                       + "per-visit code frequencies (codes: measures observed, events first recorded since the "
                       + "previous visit, treatments on), as HALO reports them."),
            Metric(.fidelity, "codes.bigram.r2", value: synthetic.1, baseline: baseline?.1,
                   definition: "R² between real and synthetic frequencies of code pairs on consecutive visits (code "
                       + "at one visit, code at the next) per consecutive-visit pair, over pairs seen in "
                       + "either sample."),
        ]
        let o = CodeFrequencies(c.synthetic, template: c.template)
        var series = [ScatterSeries(name: "synthetic", x: real.unigram, y: o.unigram)]
        if let h = c.holdout {
            series.append(ScatterSeries(name: "holdout", x: real.unigram,
                                        y: CodeFrequencies(h, template: c.template).unigram))
        }
        let figure = ReportFigure(section: .fidelity, title: "Code frequencies per visit",
                                  svg: ScatterChart(title: "Per-visit code frequency", xLabel: "real (seed)",
                                                    yLabel: "synthetic / holdout", series: series,
                                                    size: ChartSize(width: 480, height: 400),
                                                    showsIdentityLine: true).svg(),
                                  caption: "Each point is a code (" + real.codes.joined(separator: ", ")
                                      + "); on the diagonal the frequencies agree.")
        return (metrics, [figure])
    }
}
