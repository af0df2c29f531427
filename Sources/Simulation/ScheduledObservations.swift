import Randomness

/// A modelled recorded value of one measure at one visit: a mean and the SD of a recording.
package struct ModelledValue: Sendable {
    package var mean: Double
    package var sd: Double

    /// A value with mean `mean` and recording SD `sd`, on the measure's own scale.
    package init(mean: Double, sd: Double) {
        self.mean = mean
        self.sd = sd
    }
}

/// A generator of what a record shows at a fixed schedule of visits of a simulated patient (a
/// trained sequence model, in Learning): trial simulation uses it for measures at trial visits
/// without depending on how the model is made.
package protocol ScheduledObservationGenerator: Sendable {
    /// Per visit age and template measure, the recorded value's mean and SD for `patient`, with
    /// any randomness (the patient's own latent code) drawn from `random`.
    func scheduledValues(for patient: SimulatedPatient, at ages: [Double], random: inout RandomStream)
        -> [[ModelledValue]]
}
