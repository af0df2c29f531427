import Timelines

/// A per-record likelihood under a generative model, for the likelihood-based membership-inference
/// attack: Evaluation scores records through it, Learning's trained sequence model implements it.
package protocol RecordLikelihood: Sendable {
    /// Per timeline: a negative log-likelihood (or a bound on it), lower meaning more likely;
    /// NaN for a record the model cannot score (no visits).
    func negativeLogLikelihoods(_ timelines: [PatientTimeline]) -> [Double]
}
