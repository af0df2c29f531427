import DiseaseModeling
import NeuralNetworks
import Randomness
import Simulation
import Testing
@testable import Learning

/// The whole VAE's backward pass (decoder head → decoder GRU → reparameterisation → KL →
/// encoder head → encoder GRU) against central finite differences of its objective.
///
/// The pass runs in Float, so differences use a step of 1e-2 on a small model and compare only
/// parameters whose gradient is clearly non-zero; the layers themselves are checked in Double
/// against a reference in NeuralNetworksTests.
@Suite struct GradientCheckTests {
    @Test(arguments: [0.0, 0.3] as [Float])
    func backwardMatchesFiniteDifferences(freeBits: Float) throws {
        let (base, _) = try PlantedTemplates.pair(hidden: false, plant: "")
        let people = CohortSimulator(template: base, options: PlantedTemplates.registry).patients(0..<12, threads: 1)
        let sequences = PlantedTemplates.sequences(people, base: base)
        let schema = SequenceSchema.fit(template: base, sequences: sequences)
        let encoder = FeatureEncoder(schema: schema, template: base)
        let batch = sequences.prefix(6).map { encoder.encode($0) }
        let model = SequenceVAE(schema: schema, configuration: ModelConfiguration(hidden: 6, latent: 3), seed: 4)
        var random = RandomStream(seed: 8)
        let noise = (0..<(batch.count * 3)).map { _ in Float(random.nextNormal()) }
        func objective(_ parameters: [Float]) -> Double {
            var none: [Float] = []
            var workspace = PassWorkspace()
            let terms = model.pass(batch, noise: noise, beta: 0.7, freeBits: freeBits, parameters: parameters,
                                   gradients: &none, computeGradients: false, workspace: &workspace)
            // The trained objective: β-weighted KL with its per-dimension floor.
            let (mean, logVariance) = latentStatistics(parameters)
            let kl = KLDivergence.standardNormal(mean: mean, logVariance: logVariance, dimensions: 3, beta: 0.7,
                                                 freeBits: freeBits)
            return terms.values + terms.observed + terms.events + terms.visits + Double(kl.value)
        }
        func latentStatistics(_ parameters: [Float]) -> ([Float], [Float]) {
            var copy = model
            copy.store.values = parameters
            var workspace = PassWorkspace()
            let r = copy.encode(batch, workspace: &workspace)
            return (r.mean, r.logVariance)
        }
        var gradients = [Float](repeating: 0, count: model.parameterCount)
        var workspace = PassWorkspace()
        _ = model.pass(batch, noise: noise, beta: 0.7, freeBits: freeBits, parameters: model.store.values,
                       gradients: &gradients, workspace: &workspace)
        var checked = 0, worst = 0.0
        var pick = RandomStream(seed: 21)
        for _ in 0..<400 {
            let i = pick.nextInt(below: model.parameterCount)
            guard abs(gradients[i]) > 2e-3 else { continue }
            var plus = model.store.values, minus = model.store.values
            let h: Float = 1e-2
            plus[i] += h
            minus[i] -= h
            let numeric = (objective(plus) - objective(minus)) / Double(2 * h)
            let error = abs(numeric - Double(gradients[i])) / max(abs(numeric), abs(Double(gradients[i])), 1e-2)
            worst = max(worst, error)
            #expect(error < 0.03, "parameter \(i): analytic \(gradients[i]), numeric \(numeric)")
            checked += 1
        }
        #expect(checked >= 60, "only \(checked) parameters had a clear gradient")
        print("VAE gradient check (free bits \(freeBits)): \(checked) parameters, worst relative error \(worst)")
    }
}
