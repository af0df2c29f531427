import Foundation
import Statistics

/// Covariate columns ready for a regression: reference levels and columns constant in the
/// sample left out, the rest standardized (so that one small ridge penalty suits them all).
struct DesignColumns: Sendable {
    /// Indices into the plan's covariate columns.
    var columns: [Int]
    var names: [String]
    var means: [Double]
    var scales: [Double]

    /// Chooses the usable columns from the rows given (all groups together): columns constant in
    /// the sample are left out, and so is the first varying level of each categorical attribute
    /// (its reference), so that the levels left do not add up to the intercept.
    init(rows: [[Double]], plan: TrialPlan, excluding excluded: Set<Int> = []) {
        columns = []; names = []; means = []; scales = []
        let n = Double(rows.count)
        var referenceTaken = Set<Int>()
        for (c, column) in plan.covariates.enumerated() where !excluded.contains(c) && !column.isHidden {
            var s = 0.0, ss = 0.0
            for r in rows { s += r[c] }
            let mean = s / max(n, 1)
            for r in rows { ss += (r[c] - mean) * (r[c] - mean) }
            let sd = (ss / max(n - 1, 1)).squareRoot()
            guard sd > 1e-12 * max(1, abs(mean)) else { continue }
            if case .category(let attribute, _) = column.source, referenceTaken.insert(attribute).inserted { continue }
            columns.append(c); names.append(column.name); means.append(mean); scales.append(sd)
        }
    }

    /// The endpoint model's columns: every covariate but the endpoint measure's baseline, which the
    /// model takes as a regressor of its own.
    static func endpointAdjustment(rows: [[Double]], plan: TrialPlan) -> DesignColumns {
        let measureColumn = plan.covariates.firstIndex { $0.source == .measure(plan.endpointMeasure ?? -1) }
        return DesignColumns(rows: rows, plan: plan, excluding: measureColumn.map { [$0] } ?? [])
    }

    /// The standardized regressors of `rows`.
    func regressors(_ rows: [[Double]]) -> [Regressor] {
        columns.indices.map { j in
            let c = columns[j], m = means[j], s = scales[j]
            return Regressor(names[j], rows.map { ($0[c] - m) / s })
        }
    }
}

/// A fitted propensity score: the probability of being treated given baseline covariates.
package struct PropensityScore: Sendable {
    /// The covariate columns in the model.
    package var names: [String]
    /// Coefficients per standard deviation of each covariate (intercept first).
    package var coefficients: [Double]
    /// Logit of the score for the treated, then the controls.
    package var treatedLogits: [Double]
    package var controlLogits: [Double]
    /// The standardized design rows (intercept first), treated then controls, for the sandwich
    /// variance that accounts for estimating the score.
    var rows: [[Double]] = []

    package var treatedScores: [Double] { treatedLogits.map(LogisticRegression.logistic) }
    package var controlScores: [Double] { controlLogits.map(LogisticRegression.logistic) }

    /// Ridge penalty on the standardized coefficients: negligible against the likelihood of
    /// hundreds of patients, but keeps estimates finite when the groups barely overlap.
    static let ridge = 0.01

    /// Fits the logistic regression of treatment on the baseline covariates.
    static func fit(treated: [[Double]], controls: [[Double]], plan: TrialPlan) throws(TrialDesignError)
        -> PropensityScore {
        let rows = treated + controls
        let design = DesignColumns(rows: rows, plan: plan)
        guard !design.columns.isEmpty else {
            throw TrialDesignError("every covariate is constant across treated and "
                + "controls: the propensity score has nothing to model")
        }
        let outcome = [Bool](repeating: true, count: treated.count) + [Bool](repeating: false, count: controls.count)
        let fit: LogisticRegressionFit
        do {
            fit = try LogisticRegression.fit(outcome: outcome, regressors: design.regressors(rows),
                                             options: LogisticRegressionOptions(ridge: ridge, maxIterations: 200))
        } catch {
            throw TrialDesignError("the propensity score model could not be fitted: \(error)")
        }
        let logits = fit.fittedProbabilities.map { p in Foundation.log(max(p, 1e-300) / max(1 - p, 1e-300)) }
        let regressors = design.regressors(rows)
        let x = rows.indices.map { i in [1.0] + regressors.map { $0.values[i] } }
        return PropensityScore(names: design.names, coefficients: fit.coefficients,
                               treatedLogits: Array(logits[0..<treated.count]),
                               controlLogits: Array(logits[treated.count...]), rows: x)
    }

    /// ATT weights of the controls: the odds `e / (1 − e)` (their sum estimates the number of treated).
    package func attWeights() -> [Double] {
        controlLogits.map { Foundation.exp(min($0, 30)) }
    }

    /// What the sandwich variance needs to know about row `i` (treated first, then controls).
    func row(_ i: Int, weightDerivative: Double) -> PropensityRow {
        let logit = i < treatedLogits.count ? treatedLogits[i] : controlLogits[i - treatedLogits.count]
        return PropensityRow(x: rows[i], label: i < treatedLogits.count ? 1 : 0,
                             fitted: LogisticRegression.logistic(logit), weightDerivative: weightDerivative)
    }

    /// Overlap (ATO) weights (Li, Morgan & Zaslavsky 2018): 1 − e for the treated, e for the
    /// controls; the estimand is the effect in the population where the arms overlap.
    package func overlapWeights() -> (treated: [Double], controls: [Double]) {
        (treatedScores.map { 1 - $0 }, controlScores)
    }

    /// The pooled standard deviation of the logit score, `sqrt((s₁² + s₀²) / 2)`.
    package var pooledLogitSD: Double {
        func variance(_ x: [Double]) -> Double {
            guard x.count > 1 else { return 0 }
            let m = x.reduce(0, +) / Double(x.count)
            return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
        }
        return ((variance(treatedLogits) + variance(controlLogits)) / 2).squareRoot()
    }
}

/// The result of matching controls to treated patients.
package struct MatchedSet: Sendable {
    /// Per treated patient, the controls matched to it (indices into the controls), best first.
    package var matches: [[Int]]
    /// The caliper on the logit score that was used.
    package var caliper: Double

    /// Treated patients with at least one match.
    package var matchedTreated: [Int] { matches.indices.filter { !matches[$0].isEmpty } }
    package var unmatchedTreated: Int { matches.filter(\.isEmpty).count }

    /// Control weights: 1/m for each of the m controls of a treated patient, 0 for the unmatched
    /// (so that every matched treated patient counts once on each side).
    package func controlWeights(controlCount: Int) -> [Double] {
        var w = [Double](repeating: 0, count: controlCount)
        for m in matches where !m.isEmpty { for c in m { w[c] += 1 / Double(m.count) } }
        return w
    }
}

/// Greedy nearest-neighbour matching without replacement on the logit of the propensity score.
package enum Matching {
    /// Matches up to `ratio` controls to each treated patient within `caliper` (logit units).
    /// Treated patients are served in descending order of their score (the hardest to match
    /// first), one control per round; ties go to the lower index, so the result is deterministic.
    package static func greedy(treatedLogits: [Double], controlLogits: [Double], ratio: Int, caliper: Double)
        -> MatchedSet {
        let order = controlLogits.indices.sorted { (controlLogits[$0], $0) < (controlLogits[$1], $1) }
        let sorted = order.map { controlLogits[$0] }
        var available = [Bool](repeating: true, count: order.count)
        let treatedOrder = treatedLogits.indices.sorted { (-treatedLogits[$0], $0) < (-treatedLogits[$1], $1) }
        var matches = [[Int]](repeating: [], count: treatedLogits.count)
        for round in 0..<ratio {
            for t in treatedOrder where matches[t].count == round {
                if let k = nearest(treatedLogits[t], sorted, available, caliper: caliper, order: order) {
                    available[k] = false
                    matches[t].append(order[k])
                }
            }
        }
        return MatchedSet(matches: matches, caliper: caliper)
    }

    /// The position (in sorted order) of the nearest available control within the caliper.
    private static func nearest(_ x: Double, _ sorted: [Double], _ available: [Bool], caliper: Double, order: [Int])
        -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        var best: Int?
        var bestDistance = Double.infinity
        var left = lo - 1
        while left >= 0 && x - sorted[left] <= caliper {
            if available[left] { best = left; bestDistance = x - sorted[left]; break }
            left -= 1
        }
        var right = lo
        while right < sorted.count && sorted[right] - x <= caliper && sorted[right] - x <= bestDistance {
            if available[right] {
                let d = sorted[right] - x
                if d < bestDistance || (d == bestDistance && order[right] < order[best!]) { best = right }
                break
            }
            right += 1
        }
        return best
    }
}
