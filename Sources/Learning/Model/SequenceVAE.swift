import Foundation
import NeuralNetworks
import Randomness

/// Sizes of the sequence VAE.
package struct ModelConfiguration: Sendable, Codable, Equatable {
    package var hidden: Int
    package var latent: Int

    package init(hidden: Int = 64, latent: Int = 8) {
        self.hidden = hidden
        self.latent = latent
    }
}

/// The sequence VAE: a GRU encoder reads a patient's visits into q(z|x); a GRU decoder,
/// conditioned at every visit on z, the static covariates and the template's expectation,
/// generates each visit (which measures are recorded and their values, events since the last
/// visit, whether the record ends, and the gap to the next visit). See docs/sequence-vae.md.
package struct SequenceVAE: Sendable {
    package let schema: SequenceSchema
    package let configuration: ModelConfiguration
    package var store: ParameterStore
    /// What generation draws z from (fitted after training; N(0, I) until then).
    package var latentPrior: LatentPrior
    /// Per measure and visit position (`calibrationBuckets`), the factor applied to the
    /// decoder's residual SD at generation.
    package var residualScale: [Double]
    let encoder: GRU
    let encoderHead: Linear
    let decoder: GRU
    let decoderHead: Linear

    package init(schema: SequenceSchema, configuration: ModelConfiguration, seed: UInt64) {
        self.schema = schema
        self.configuration = configuration
        var random = RandomStream(seed: seed, stream: 0x5EED)
        var store = ParameterStore()
        let (h, l) = (configuration.hidden, configuration.latent)
        encoder = GRU(inputSize: schema.encoderInputWidth, hiddenSize: h, name: "encoder", store: &store,
                      random: &random)
        encoderHead = Linear(inputSize: h, outputSize: 2 * l, name: "encoder.head", store: &store, random: &random)
        decoder = GRU(inputSize: schema.decoderInputWidth(latent: l), hiddenSize: h, name: "decoder", store: &store,
                      random: &random)
        decoderHead = Linear(inputSize: h, outputSize: schema.decoderOutputWidth, name: "decoder.head", store: &store,
                             random: &random)
        self.store = store
        latentPrior = .standard(dimensions: l)
        residualScale = [Double](repeating: 1, count: schema.measures * SequenceVAE.calibrationBuckets)
    }

    package var parameterCount: Int { store.count }

    /// Column offsets of the decoder head's outputs.
    struct Outputs {
        let m: Int, e: Int
        var residualMean: Int { 0 }
        var residualLogVariance: Int { m }
        var observedLogit: Int { 2 * m }
        var eventLogit: Int { 3 * m }
        var endLogit: Int { 3 * m + e }
        var gapMean: Int { 3 * m + e + 1 }
        var gapLogVariance: Int { 3 * m + e + 2 }
        var width: Int { 3 * m + e + 3 }
    }

    var outputs: Outputs { Outputs(m: schema.measures, e: schema.events) }
}

extension SequenceVAE {
    /// One decoder GRU step for one patient (generation).
    package func decoderStep(input: [Float], hidden: [Float]) -> [Float] {
        decoder.step(input: input, state: hidden, parameters: store.values)
    }

    /// The decoder head's outputs for one hidden state.
    package func decoderHeadOutput(_ hidden: [Float]) -> [Float] {
        decoderHead.forward(hidden, batch: 1, parameters: store.values)
    }
}
