import Plotting
import Statistics

/// Positivity: propensity-score trimming (Crump et al. 2009) before the control arm is formed.
package enum Overlap {
    /// The treated patients and pool candidates whose estimated propensity score lies in
    /// `[alpha, 1 − alpha]`, and how many of each were dropped; the analysis then refits the score
    /// on those kept.
    package static func trimmed(plan: TrialPlan, treated: [TrialSubject], pool: [TrialSubject], alpha: Double)
        throws(TrialDesignError) -> (treated: [TrialSubject], pool: [TrialSubject], droppedTreated: Int,
                                     droppedControls: Int) {
        let score = try PropensityScore.fit(treated: treated.map(\.covariates), controls: pool.map(\.covariates),
                                            plan: plan)
        let inside = { (e: Double) in e >= alpha && e <= 1 - alpha }
        let t = treated.indices.filter { inside(score.treatedScores[$0]) }.map { treated[$0] }
        let c = pool.indices.filter { inside(score.controlScores[$0]) }.map { pool[$0] }
        return (t, c, treated.count - t.count, pool.count - c.count)
    }
}

extension ControlArmResult {
    /// The estimated propensity scores of the treated and of every pool candidate, as overlaid
    /// histograms (the positivity check), before any matching or weighting.
    package func overlapSVG(title: String, treatedName: String, controlName: String) -> String {
        HistogramChart(title: title, xLabel: "Estimated propensity score (probability of being treated)",
                       samples: [HistogramSample(name: treatedName, values: propensity.treatedScores),
                                 HistogramSample(name: controlName + " (all candidates)", values: propensity.controlScores)],
                       size: ChartSize(width: 760, height: 380), binCount: 25).svg()
    }
}
