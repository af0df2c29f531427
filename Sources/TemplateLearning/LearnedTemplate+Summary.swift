import DiseaseModeling
import Foundation

extension TemplateAdjustment.Target {
    /// Reads as "mfars slope", "onset age", "esrd rate".
    package var description: String {
        switch self {
        case .sexMix: "share of men"
        case .categoryMix(let a): "\(a) mix"
        case .attributeLevel(let a): "\(a) level"
        case .onsetAge: "onset age"
        case .diagnosisTiming: "diagnosis timing"
        case .measureSlope(let m): "\(m) slope"
        case .measureNoise(let m): "\(m) noise"
        case .measureRecorded(let m): "\(m) recorded"
        case .eventRate(let e): "\(e) rate"
        case .treatmentResponse(let t, let m): "\(m) response to \(t)"
        case .treatmentUptake(let t): "\(t) uptake"
        case .treatmentDelay(let t): "\(t) delay"
        case .mortality: "mortality"
        case .visitInterval: "visit interval"
        }
    }
}

extension LearnedTemplate {
    /// A table of what was learned: each number beside the template's, with its evidence.
    package func summary(template: DiseaseTemplate) -> String {
        var lines = ["learned from \(learning.patients) seed patients (\(learning.seedRecords)):",
                     "  number                                   for                                  learned  "
                         + "(records alone, ±SD of log; seed vs template figure)"]
        for a in adjustments {
            let what = a.target.description.padding(toLength: 40, withPad: " ", startingAt: 0)
            let whom = a.condition.description.padding(toLength: 36, withPad: " ", startingAt: 0)
            switch a.target {
            case .sexMix:
                lines.append("  \(what) \(whom) " + String(format: "%.3f  (template %.3f; records %.3f)", a.value,
                                                          a.prior, a.evidence?.seedFigure ?? .nan))
            case .categoryMix:
                let m = (a.male ?? []).map { String(format: "%.2f", $0) }.joined(separator: "/")
                let f = (a.female ?? []).map { String(format: "%.2f", $0) }.joined(separator: "/")
                lines.append("  \(what) \(whom) men \(m), women \(f)")
            default:
                var text = "  \(what) \(whom) " + String(format: "×%.3f", a.value)
                if let e = a.evidence {
                    text += String(format: "  (×%.3f, ±%.3f; %@ vs %@, n = %d)", e.unshrunk, e.posteriorSD,
                                   figure(e.seedFigure), figure(e.templateFigure), e.patients)
                }
                lines.append(text)
            }
        }
        return lines.joined(separator: "\n")
    }

    private func figure(_ x: Double) -> String {
        x.isNaN ? "–" : abs(x) >= 100 ? String(format: "%.0f", x) : String(format: "%.3g", x)
    }
}
