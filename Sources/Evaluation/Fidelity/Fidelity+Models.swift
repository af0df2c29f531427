import DiseaseModeling
import Randomness

extension Fidelity {
    /// The detection score: cross-validated AUC of a classifier telling real from synthetic.
    static func detection(_ c: Cohorts, features: FeatureSpace, options: EvaluationOptions) -> [Metric] {
        let real = features.matrix(c.real)
        let run: ([PatientWindow]) -> ScoredAUC? = { other in
            Detection.auc(real: real, other: features.matrix(other), names: features.names, folds: options.folds,
                          ridge: options.ridge, seed: options.seed)
        }
        let synthetic = run(c.synthetic), baseline = c.holdout.flatMap(run)
        return [
            Metric(.fidelity, "detection.auc", value: synthetic?.auc, baseline: baseline?.auc,
                   definition: "Detection score: \(options.folds)-fold cross-validated AUC of a ridge logistic "
                       + "regression (λ = \(options.ridge)) telling synthetic from real patients by their feature "
                       + "vectors, with balanced classes (the larger sample subsampled). 0.5 = indistinguishable, 1 = "
                       + "always told apart."),
            Metric(.fidelity, "detection.auc.se", value: synthetic?.standardError, baseline: baseline?.standardError,
                   definition: "DeLong standard error of the detection AUC (pooled out-of-fold scores)."),
        ]
    }

    /// Train on synthetic, test on real, beside train on real (cross-validated).
    static func trainSyntheticTestReal(_ c: Cohorts, options: EvaluationOptions)
        -> (metrics: [Metric], notes: [String]) {
        let template = c.template
        for task in PredictionTask.candidates(for: template) {
            let median = task.median(real: c.real, template: template)
            func labelled(_ windows: [PatientWindow]) -> ([PatientWindow], [Bool]) {
                var kept: [PatientWindow] = [], labels: [Bool] = []
                for w in windows {
                    if let y = task.label(w, template: template, median: median) { kept.append(w); labels.append(y) }
                }
                return (kept, labels)
            }
            func usable(_ y: [Bool]) -> Bool { y.filter { $0 }.count >= 5 && y.filter { !$0 }.count >= 5 }
            let (realWindows, realLabels) = labelled(c.real)
            let (synthWindows, synthLabels) = labelled(c.synthetic)
            guard usable(realLabels), usable(synthLabels) else { continue }
            let space = BaselineFeatureSpace(template: template, reference: realWindows)
            let realX = space.matrix(realWindows)
            func trainedAUC(_ windows: [PatientWindow], _ labels: [Bool]) -> ScoredAUC? {
                guard usable(labels),
                      let fit = RidgeClassifier.fit(space.matrix(windows), labels, names: space.names,
                                                    ridge: options.ridge) else { return nil }
                return RidgeClassifier.auc(RidgeClassifier.scores(fit, realX), realLabels)
            }
            let tstr = trainedAUC(synthWindows, synthLabels)
            let baseline = c.holdout.flatMap { h -> ScoredAUC? in
                let (hw, hl) = labelled(h)
                return trainedAUC(hw, hl)
            }
            var rng = RandomStream(seed: options.seed, stream: 0x5453_5452)
            let trtr = RidgeClassifier.crossValidatedScores(realX, realLabels, names: space.names, ridge: options.ridge,
                                                            folds: options.folds, rng: &rng)
                .flatMap { RidgeClassifier.auc($0, realLabels) }
            let prevalence = { (y: [Bool]) in Double(y.filter { $0 }.count) / Double(y.count) }
            let what = "the outcome \"\(task.description)\" from what is known at the first visit"
            let metrics = [
                Metric(.fidelity, "tstr.auc", value: tstr?.auc, baseline: baseline?.auc,
                       definition: "Train on synthetic, test on real: AUC on the real windows of a ridge logistic "
                           + "regression trained on the synthetic windows to predict \(what)."),
                Metric(.fidelity, "tstr.auc.se", value: tstr?.standardError, baseline: baseline?.standardError,
                       definition: "DeLong standard error of the TSTR AUC."),
                Metric(.fidelity, "tstr.train-on-real.auc", value: trtr?.auc,
                       definition: "Train on real, test on real: \(options.folds)-fold cross-validated AUC of the same "
                           + "model on the real windows (the reference for TSTR)."),
                Metric(.fidelity, "tstr.gap", value: tstr.flatMap { t in trtr.map { $0.auc - t.auc } },
                       baseline: baseline.flatMap { b in trtr.map { $0.auc - b.auc } },
                       definition: "Train-on-real AUC minus TSTR AUC: what is lost "
                           + "by training on synthetic data (≤ 0: nothing)."),
                Metric(.fidelity, "tstr.prevalence.real", value: prevalence(realLabels),
                       definition: "Share of eligible real windows with the outcome (\(realLabels.count) eligible)."),
                Metric(.fidelity, "tstr.prevalence.synthetic", value: prevalence(synthLabels),
                       definition: "Share of eligible synthetic windows with "
                           + "the outcome (\(synthLabels.count) eligible)."),
            ]
            return (metrics,
                    ["Train-on-synthetic, test-on-real predicts \(what) (\(realLabels.count) real and "
                        + "\(synthLabels.count) synthetic windows eligible)."])
        }
        return ([Metric(.fidelity, "tstr.auc", value: nil,
                        definition: "Train on synthetic, test on real: no prediction task "
                            + "had at least 5 windows of each outcome in both samples.")],
                ["No train-on-synthetic, test-on-real task could be run: no candidate "
                    + "outcome had at least 5 windows of each class in both samples."])
    }
}
