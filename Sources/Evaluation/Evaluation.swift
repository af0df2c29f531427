import Foundation
import DiseaseModeling
import Parallelism
import Simulation
import Timelines
import ZebraSupport

/// Settings of an evaluation.
package struct EvaluationOptions: Sendable {
    /// Seeds every random choice (windows, subsamples, cross-validation folds).
    package var seed: UInt64 = 1
    package var windows: WindowPolicy = .automatic
    package var folds = 5
    /// The L2 penalty of every logistic regression (on standardised features).
    package var ridge = 1.0
    /// The copy tolerance in standardised feature units; default 0.01 × √dimension.
    package var copyTolerance: Double?
    package var threads = defaultThreadCount

    package init() {}
}

/// What is evaluated: real (seed) records, synthetic records and optionally holdout records of
/// one disease, as timelines whose concepts index `TemplateConcepts(template)`.
package struct EvaluationInput: Sendable {
    package var template: DiseaseTemplate
    package var real: [PatientTimeline]
    package var synthetic: [PatientTimeline]
    package var holdout: [PatientTimeline]?
    /// The model, for the likelihood-based membership attack.
    package var likelihood: (any RecordLikelihood)?
    /// A model that saw none of the real records (e.g. the template's shipped model): the
    /// reference of the calibrated likelihood attack.
    package var referenceLikelihood: (any RecordLikelihood)?
    /// Where each sample came from (shown in the report): keys `real`, `synthetic`, `holdout`, `model`.
    package var sources: [String: String]

    package init(template: DiseaseTemplate, real: [PatientTimeline], synthetic: [PatientTimeline],
                holdout: [PatientTimeline]? = nil, likelihood: (any RecordLikelihood)? = nil,
                referenceLikelihood: (any RecordLikelihood)? = nil, sources: [String: String] = [:]) {
        self.template = template
        self.real = real
        self.synthetic = synthetic
        self.holdout = holdout
        self.likelihood = likelihood
        self.referenceLikelihood = referenceLikelihood
        self.sources = sources
    }
}

/// The evaluation of synthetic records against real ones: fidelity, privacy and fairness
/// figures with definitions, headline flags, plots and notes.
package struct Evaluation: Sendable {
    package var disease: String
    package var diseaseName: String
    package var templateVersion: String
    package var sources: [String: String]
    package var seed: UInt64
    /// Windows (patients) compared: real, synthetic, holdout.
    package var patients: (real: Int, synthetic: Int, holdout: Int?)
    package var windowing: WindowingSummary
    package var metrics: [Metric]
    package var headlines: [Headline]
    package var figures: [ReportFigure]
    package var notes: [String]

    /// Runs every check.
    package init(_ input: EvaluationInput, options: EvaluationOptions = EvaluationOptions()) {
        let template = input.template
        let concepts = TemplateConcepts(template)
        let real = PatientWindow.wholeRecords(input.real, template: template, concepts: concepts)
        let holdout = input.holdout.map { PatientWindow.wholeRecords($0, template: template, concepts: concepts) }
        let (synthetic, windowing) = Self.syntheticWindows(input.synthetic, real: real, template: template,
                                                           concepts: concepts, options: options)
        disease = template.id
        diseaseName = template.name
        templateVersion = template.version
        sources = input.sources
        seed = options.seed
        patients = (real.count, synthetic.count, holdout?.count)
        self.windowing = windowing
        var notes = Self.windowingNotes(windowing, realRecords: input.real.count, realWindows: real.count,
                                        holdoutRecords: input.holdout?.count, holdoutWindows: holdout?.count)
        guard real.count >= 2, synthetic.count >= 2 else {
            metrics = []
            headlines = []
            figures = []
            self.notes = notes
                + ["Too few records with visits to evaluate (real \(real.count), synthetic \(synthetic.count))."]
            return
        }
        let c = Cohorts(template: template, real: real, synthetic: synthetic,
                        holdout: holdout.flatMap { $0.count >= 2 ? $0 : nil })
        let features = FeatureSpace(template: template, reference: real)
        var metrics: [Metric] = [], figures: [ReportFigure] = []
        // Fidelity.
        metrics += Fidelity.measureDistributions(c)
        figures += Fidelity.measureFigures(c)
        metrics += Fidelity.visitPattern(c)
        metrics += Fidelity.correlationDifference(c)
        let milestones = Fidelity.milestones(c)
        metrics += milestones.metrics
        figures += milestones.figures
        let codes = Fidelity.codeFrequencies(c)
        metrics += codes.metrics
        figures += codes.figures
        metrics += Fidelity.detection(c, features: features, options: options)
        let tstr = Fidelity.trainSyntheticTestReal(c, options: options)
        metrics += tstr.metrics
        notes += tstr.notes
        // Privacy.
        let x = Privacy.Matrices(seed: features.matrix(c.real), synthetic: features.matrix(c.synthetic),
                                 holdout: c.holdout.map(features.matrix))
        let tolerance = options.copyTolerance ?? 0.01 * Double(features.dimension).squareRoot()
        let closest = Privacy.closestRecords(x, tolerance: tolerance)
        metrics += closest.metrics
        figures += closest.figures
        metrics += Privacy.adversarialAccuracyMetrics(x, seed: options.seed)
        metrics += Privacy.distanceMembership(x)
        if let likelihood = input.likelihood, let held = input.holdout {
            // Per visit: a longer record is less likely without being more exposed.
            func perVisit(_ model: any RecordLikelihood, _ records: [PatientTimeline]) -> [Double] {
                zip(model.negativeLogLikelihoods(records), records).map { nll, t in
                    nll / Double(max(1, t.events.filter { $0.kind == .encounter }.count))
                }
            }
            let members = perVisit(likelihood, input.real), others = perVisit(likelihood, held)
            func finite(_ x: [Double]) -> [Double] { x.filter(\.isFinite) }
            metrics += Privacy.likelihoodMembership(members: finite(members), others: finite(others))
            if let reference = input.referenceLikelihood {
                // Calibrated (reference-model) attack: how much more likely the trained model finds
                // a record than a model that never saw it; removes what makes a record likely or
                // unlikely in itself.
                let memberGain = zip(perVisit(reference, input.real), members).map { $0 - $1 }
                let otherGain = zip(perVisit(reference, held), others).map { $0 - $1 }
                metrics += Privacy.calibratedLikelihoodMembership(members: finite(memberGain),
                                                                  others: finite(otherGain))
            }
        } else {
            notes.append(input.likelihood == nil
                ? "No model was given (--model): the likelihood-based membership attack was not run."
                : "The likelihood-based membership attack needs holdout "
                + "records (--holdout) as non-members; it was not run.")
        }
        metrics += Privacy.attributeInference(c, features: features, x: x)
        // Fairness.
        let fairness = Fairness.evaluate(c)
        metrics += fairness.metrics
        figures += fairness.figures
        if !fairness.flagged.isEmpty {
            notes.append("Groups the synthetic data misrepresent: " + fairness.flagged.joined(separator: "; ") + ".")
        }
        self.metrics = metrics
        self.figures = figures
        headlines = Self.headlines(metrics)
        self.notes = notes + Self.standingNotes(features: features, tolerance: tolerance)
    }

    /// The first metric called `name` in `group` (nil: the overall figure).
    package func metric(_ name: String, group: String? = nil) -> Metric? {
        metrics.first { $0.name == name && $0.group == group }
    }

    static func syntheticWindows(_ timelines: [PatientTimeline], real: [PatientWindow], template: DiseaseTemplate,
                                 concepts: TemplateConcepts, options: EvaluationOptions) -> ([PatientWindow],
                                 WindowingSummary) {
        let sequences = parallelMap(count: timelines.count, threads: options.threads) {
            PatientSequence(timeline: timelines[$0], template: template, concepts: concepts)
        }
        let whole = sequences.compactMap { PatientWindow(wholeRecord: $0) }
        let sample: Bool
        switch options.windows {
        case .sample: sample = true
        case .asRecorded: sample = false
        case .automatic:
            sample = WindowSampler.needsWindows(realSpans: real.map(\.spanYears),
                                                realVisits: real.map { Double($0.visits.count) },
                                                syntheticSpans: whole.map(\.spanYears),
                                                syntheticVisits: whole.map { Double($0.visits.count) })
        }
        var summary = WindowingSummary(sampled: sample && !real.isEmpty, policy: options.windows,
                                       realMedianSpanYears: median(real.map(\.spanYears)),
                                       realMedianVisits: median(real.map { Double($0.visits.count) }),
                                       syntheticMedianSpanYears: median(whole.map(\.spanYears)),
                                       syntheticMedianVisits: median(whole.map { Double($0.visits.count) }),
                                       fallbacks: 0, reused: 0, dropped: timelines.count - whole.count)
        guard summary.sampled else { return (whole, summary) }
        let drawn = WindowSampler(real: real, seed: options.seed).windows(of: sequences)
        summary.fallbacks = drawn.fallbacks
        summary.reused = drawn.reused
        return (drawn.windows, summary)
    }

    static func windowingNotes(_ w: WindowingSummary, realRecords: Int, realWindows: Int,
                               holdoutRecords: Int?, holdoutWindows: Int?) -> [String] {
        func f(_ x: Double?) -> String { x.map { String(format: "%.1f", $0) } ?? "n/a" }
        var notes: [String] = []
        if w.sampled {
            notes.append("Like with like: the synthetic records (median \(f(w.syntheticMedianSpanYears)) years, "
                + "\(f(w.syntheticMedianVisits)) visits) were cut to registry-like windows (median "
                + "\(f(w.realMedianSpanYears)) years, \(f(w.realMedianVisits)) visits in the real records): as many "
                + "windows as synthetic records, each starting where a randomly drawn real window starts (years since "
                + "diagnosis, else age) in a synthetic record that reaches it, followed up for a time drawn from the "
                + "real follow-up distribution (Kaplan–Meier, deaths censored), with death when it comes first "
                + "(policy \(w.policy.rawValue); \(w.reused) records gave more than one window; \(w.fallbacks) windows "
                + "were taken at the end of a record because no record reached the drawn start).")
        } else {
            notes.append("The synthetic records were used as they are (policy \(w.policy.rawValue)): median "
                + "\(f(w.syntheticMedianSpanYears)) years and \(f(w.syntheticMedianVisits)) visits, against "
                + "\(f(w.realMedianSpanYears)) years and \(f(w.realMedianVisits)) visits for the real records.")
        }
        if realWindows < realRecords {
            notes.append("\(realRecords - realWindows) real records without visits were left out.")
        }
        if w.dropped > 0 { notes.append("\(w.dropped) synthetic records without visits were left out.") }
        if let holdoutRecords, let holdoutWindows, holdoutWindows < holdoutRecords {
            notes.append("\(holdoutRecords - holdoutWindows) holdout records without visits were left out.")
        }
        return notes
    }

    static func standingNotes(features: FeatureSpace, tolerance: Double) -> [String] {
        [
            "Distance-based privacy checks (closest-record distances, nearest-neighbour adversarial accuracy, "
                + "distance-based membership inference, copies) test particular attacks on particular features; "
                + "passing them is not proof of privacy. Only a formal guarantee such as differential privacy in "
                + "training bounds every attack.",
            "Patient feature vector (\(features.dimension) columns, standardised with the seed records' means and SDs; "
                + "missing values imputed with the seed mean, with a missingness flag): "
                + features.names.joined(separator: ", ") + ".",
            String(format: "Copies: synthetic records within %.4g (Euclidean, standardised features) of a seed record.",
                   tolerance),
            "Baselines: with --holdout, each fidelity figure is also computed with the holdout records in place of the "
                + "synthetic ones (real against real), to show what \"as good as another real sample\" looks like.",
        ]
    }
}
