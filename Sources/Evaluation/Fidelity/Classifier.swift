import Randomness
import Statistics

/// An AUC with its DeLong standard error.
package struct ScoredAUC: Sendable, Equatable {
    package var auc: Double
    package var standardError: Double

    init(_ result: AUCResult) {
        auc = result.auc
        standardError = result.delongStandardError
    }
}

/// Ridge logistic regression on patient features: fitting, scoring, cross-validation.
package enum RidgeClassifier {
    /// Fits `P(y) = logistic(xβ)` with an L2 penalty `ridge` on the non-intercept coefficients;
    /// nil when the fit fails (too few rows, or an outcome of one class only).
    package static func fit(_ x: FeatureMatrix, _ y: [Bool], names: [String], ridge: Double) -> LogisticRegressionFit? {
        guard x.rows == y.count, y.contains(true), y.contains(false) else { return nil }
        let regressors = (0..<x.columns).map { Regressor(names[$0], x.column($0)) }
        return try? LogisticRegression.fit(outcome: y, regressors: regressors,
                                           options: LogisticRegressionOptions(ridge: ridge, tolerance: 1e-8,
                                                                              maxIterations: 100))
    }

    /// Linear predictors (log-odds) of `x` under `fit`.
    package static func scores(_ fit: LogisticRegressionFit, _ x: FeatureMatrix) -> [Double] {
        (0..<x.rows).map { (try? fit.linearPredictor(Array(x.row($0)))) ?? 0 }
    }

    /// Out-of-fold scores from stratified `folds`-fold cross-validation; nil when a fold cannot
    /// be fitted. Rows with identical features share a fold, so that a copied record is never
    /// scored by a model trained on its own copy (which would push its score to the other
    /// class); groups are assigned by a seeded shuffle, round-robin within each class mix.
    package static func crossValidatedScores(_ x: FeatureMatrix, _ y: [Bool], names: [String], ridge: Double,
                                            folds: Int, rng: inout RandomStream) -> [Double]? {
        var groupOf: [[Double]: Int] = [:]
        var members: [[Int]] = []
        for i in 0..<x.rows {
            let key = Array(x.row(i))
            if let g = groupOf[key] { members[g].append(i) } else {
                groupOf[key] = members.count
                members.append([i])
            }
        }
        // 0: negatives only, 1: positives only, 2: both.
        let mix = members.map { m in m.allSatisfy { y[$0] } ? 1 : m.allSatisfy { !y[$0] } ? 0 : 2 }
        let k = min(folds, members.count)
        guard k >= 2 else { return nil }
        var fold = [Int](repeating: 0, count: y.count)
        for kind in 0..<3 {
            let groups = members.indices.filter { mix[$0] == kind }
            for (position, g) in rng.shuffledIndices(groups.count).enumerated() {
                for i in members[groups[g]] { fold[i] = position % k }
            }
        }
        var scores = [Double](repeating: 0, count: y.count)
        for f in 0..<k {
            let train = y.indices.filter { fold[$0] != f }, test = y.indices.filter { fold[$0] == f }
            guard !test.isEmpty else { continue }
            guard let model = fit(x.selecting(rows: train), train.map { y[$0] }, names: names, ridge: ridge) else {
                return nil
            }
            let s = Self.scores(model, x.selecting(rows: test))
            for (i, score) in zip(test, s) { scores[i] = score }
        }
        return scores
    }

    /// The AUC of `scores` for outcomes `y` (needs two of each class).
    package static func auc(_ scores: [Double], _ y: [Bool]) -> ScoredAUC? {
        let pos = y.indices.filter { y[$0] }.map { scores[$0] }, neg = y.indices.filter { !y[$0] }.map { scores[$0] }
        return (try? TwoSample.auc(positives: pos, negatives: neg)).map(ScoredAUC.init)
    }
}

/// The detection score: how well a classifier tells real from synthetic patients.
package enum Detection {
    /// The cross-validated AUC of a ridge logistic regression separating `other` (positive) from
    /// `real` on patient features, with balanced classes (the larger sample subsampled at
    /// random). 0.5 means indistinguishable.
    package static func auc(real: FeatureMatrix, other: FeatureMatrix, names: [String], folds: Int, ridge: Double,
                           seed: UInt64) -> ScoredAUC? {
        var rng = RandomStream(seed: seed, stream: 0x4445_5445_4354)
        let n = min(real.rows, other.rows)
        guard n >= 4 else { return nil }
        let r = real.selecting(rows: rng.shuffledIndices(real.rows).prefix(n).sorted())
        let o = other.selecting(rows: rng.shuffledIndices(other.rows).prefix(n).sorted())
        let y = [Bool](repeating: false, count: n) + [Bool](repeating: true, count: n)
        guard let scores = RidgeClassifier.crossValidatedScores(r.appending(o), y, names: names, ridge: ridge,
                                                                folds: folds, rng: &rng) else { return nil }
        return RidgeClassifier.auc(scores, y)
    }
}
