import Foundation
import NeuralNetworks
import Randomness

/// The terms of the training objective for one batch (per-sequence means).
package struct LossTerms: Sendable, Codable, Equatable {
    package var values = 0.0
    package var observed = 0.0
    package var events = 0.0
    package var visits = 0.0
    package var kl = 0.0
    /// The objective with β = 1 and no free bits: the negative ELBO.
    package var total: Double { values + observed + events + visits + kl }

    package init() {}

    package static func + (a: LossTerms, b: LossTerms) -> LossTerms {
        var r = a
        r.values += b.values; r.observed += b.observed; r.events += b.events; r.visits += b.visits; r.kl += b.kl
        return r
    }

    package func scaled(_ s: Double) -> LossTerms {
        var r = self
        r.values *= s; r.observed *= s; r.events *= s; r.visits *= s; r.kl *= s
        return r
    }
}

/// Reusable buffers of one forward/backward pass.
package struct PassWorkspace: Sendable {
    var encoderTrace = GRUTrace()
    var decoderTrace = GRUTrace()
    package init() {}
}

extension SequenceVAE {
    /// The objective's terms for a batch, without gradients.
    package func loss(_ batch: [EncodedSequence], noise: [Float], parameters: [Float], workspace: inout PassWorkspace)
        -> LossTerms {
        var none: [Float] = []
        return pass(batch, noise: noise, beta: 1, freeBits: 0, parameters: parameters, gradients: &none,
                    computeGradients: false, workspace: &workspace)
    }

    /// Forward and backward pass over a batch, for a given noise ε (batch × latent; zeros decode
    /// the posterior mean). Adds the parameter gradients of the batch's mean objective
    /// (β-weighted KL with free bits) to `gradients`; returns the unweighted terms.
    package func pass(_ unsorted: [EncodedSequence], noise unsortedNoise: [Float], beta: Float, freeBits: Float,
                     parameters: [Float], gradients: inout [Float], computeGradients: Bool = true,
                     workspace: inout PassWorkspace) -> LossTerms {
        // Longest first: the GRUs then skip sequences that have ended (the loss is a sum, so the
        // order within a batch does not matter).
        let order = unsorted.indices.sorted {
            unsorted[$0].steps != unsorted[$1].steps ? unsorted[$0].steps > unsorted[$1].steps : $0 < $1
        }
        let batch = order.map { unsorted[$0] }
        let latentSize = configuration.latent
        let noise = order.flatMap { unsortedNoise[($0 * latentSize)..<(($0 + 1) * latentSize)] }
        let b = batch.count
        let steps = batch.map(\.steps).max() ?? 0
        let l = configuration.latent
        let din = schema.decoderInputWidth(latent: l)
        let scale = 1 / Float(b)
        let (mean, logVariance, head, final) = encoderPass(batch, workspace: &workspace, parameters: parameters)
        let z = Reparameterisation.transform(mean: mean, logVariance: logVariance, noise: noise)
        let out = decoderForward(batch, z: z, workspace: &workspace, parameters: parameters)
        let rows = steps * b
        var dOut = [Float](repeating: 0, count: rows * outputs.width)
        var terms = headLoss(batch, out: out, dOut: &dOut, steps: steps, scale: scale)
        let kl = KLDivergence.standardNormal(mean: mean, logVariance: logVariance, dimensions: l, beta: beta,
                                             freeBits: freeBits)
        terms.kl = Double(KLDivergence.standardNormal(mean: mean, logVariance: logVariance, dimensions: l).value)
        guard computeGradients else { return terms }
        // Backward: head → decoder GRU → z → (μ, logσ²) → encoder head → encoder GRU.
        let dHidden = decoderHead.backward(input: workspace.decoderTrace.outputs, outputGradient: dOut, batch: rows,
                                           parameters: parameters, gradients: &gradients)
        let dX = decoder.backward(&workspace.decoderTrace, outputGradients: dHidden, finalStateGradient: nil,
                                  parameters: parameters, gradients: &gradients)
        var dz = [Float](repeating: 0, count: b * l)
        for (j, s) in batch.enumerated() {
            for t in 0..<s.steps {
                let row = (t * b + j) * din
                for d in 0..<l { dz[j * l + d] += dX.inputs[row + d] }
            }
        }
        var (dMean, dLogVariance) = Reparameterisation.backward(logVariance: logVariance, noise: noise, zGradient: dz)
        for i in dMean.indices {
            dMean[i] += kl.meanGradient[i]
            dLogVariance[i] += kl.logVarianceGradient[i]
            let raw = head[(i / l) * 2 * l + l + (i % l)]
            if raw < -12 || raw > 8 { dLogVariance[i] = 0 }
        }
        var dHead = [Float](repeating: 0, count: b * 2 * l)
        for j in 0..<b {
            for d in 0..<l {
                dHead[j * 2 * l + d] = dMean[j * l + d]
                dHead[j * 2 * l + l + d] = dLogVariance[j * l + d]
            }
        }
        let dFinal = encoderHead.backward(input: final, outputGradient: dHead, batch: b, parameters: parameters,
                                          gradients: &gradients)
        _ = encoder.backward(&workspace.encoderTrace, outputGradients: nil, finalStateGradient: dFinal,
                             parameters: parameters, gradients: &gradients, computeInputGradients: false)
        return terms
    }

    /// Decoder forward for given latent codes (batch × latent): the head's outputs, one row per
    /// (step, sequence), time-major. Inputs per step: [z, static, context_t, recorded flags_{t-1}].
    func decoderForward(_ batch: [EncodedSequence], z: [Float], workspace: inout PassWorkspace, parameters: [Float])
        -> [Float] {
        let b = batch.count
        let steps = batch.map(\.steps).max() ?? 0
        let l = configuration.latent
        let (sw, cw, ow) = (schema.staticWidth, schema.contextWidth, schema.observationWidth)
        let din = schema.decoderInputWidth(latent: l)
        var xd = [Float](repeating: 0, count: steps * b * din)
        for (j, s) in batch.enumerated() {
            for t in 0..<s.steps {
                let row = (t * b + j) * din
                for d in 0..<l { xd[row + d] = z[j * l + d] }
                for k in 0..<sw { xd[row + l + k] = s.staticFeatures[k] }
                for k in 0..<cw { xd[row + l + sw + k] = s.context[t * cw + k] }
                // The previous visit's recorded flags, not its values: feeding sampled values back
                // in would let generation noise accumulate into spurious trends over decades.
                if t > 0 {
                    for k in stride(from: 1, to: ow, by: 2) {
                        xd[row + l + sw + cw + k] = s.observation[(t - 1) * ow + k]
                    }
                }
            }
        }
        decoder.forward(inputs: xd, lengths: batch.map(\.steps), steps: steps, parameters: parameters,
                        into: &workspace.decoderTrace)
        return decoderHead.forward(workspace.decoderTrace.outputs, batch: steps * b, parameters: parameters)
    }

    /// Visit positions with their own residual calibration: first, second, third and later.
    package static let calibrationBuckets = 3

    /// Per measure and visit position, the factor that makes the decoder's residual spread match
    /// the data when each record is decoded from its posterior mean (measure-major).
    ///
    /// Trained with sampled codes, the decoder's variance also absorbs the blur of q(z|x) — most
    /// at the first visits, where the decoder has seen least; at generation a single code is
    /// decoded sharply, so that blur would come back as extra visit-to-visit noise. The factor is
    /// √(mean of (r − μ)²/σ²) over the training observations in each cell.
    package func residualCalibration(_ data: [EncodedSequence]) -> [Double] {
        let m = schema.measures, o = outputs, buckets = Self.calibrationBuckets
        var sums = [Double](repeating: 0, count: m * buckets), counts = [Double](repeating: 0, count: m * buckets)
        var workspace = PassWorkspace()
        for start in stride(from: 0, to: data.count, by: 64) {
            let batch = Array(data[start..<min(start + 64, data.count)])
            let b = batch.count
            let (mean, _, _, _) = encoderPass(batch, workspace: &workspace, parameters: store.values)
            let out = decoderForward(batch, z: mean, workspace: &workspace, parameters: store.values)
            for (j, s) in batch.enumerated() {
                for t in 0..<s.steps {
                    let row = (t * b + j) * o.width
                    for k in 0..<m where s.observed[t * m + k] > 0 {
                        let r = Double(s.residualTarget[t * m + k] - out[row + k])
                        let lv = Double(min(max(out[row + o.residualLogVariance + k], -9), 6))
                        let cell = k * buckets + min(t, buckets - 1)
                        sums[cell] += r * r * exp(-lv)
                        counts[cell] += 1
                    }
                }
            }
        }
        return (0..<(m * buckets)).map { counts[$0] >= 10 ? min(max((sums[$0] / counts[$0]).squareRoot(), 0.2), 2) : 1 }
    }

    /// Posterior means and log-variances for a batch (encoder only).
    package func encode(_ batch: [EncodedSequence], workspace: inout PassWorkspace)
        -> (mean: [Float], logVariance: [Float]) {
        let r = encoderPass(batch, workspace: &workspace, parameters: store.values)
        return (r.mean, r.logVariance)
    }

    /// Encoder forward: inputs [static, context_t, observation_t] → GRU → head → (μ, logσ²).
    func encoderPass(_ batch: [EncodedSequence], workspace: inout PassWorkspace, parameters: [Float])
        -> (mean: [Float], logVariance: [Float], head: [Float], final: [Float]) {
        let b = batch.count
        let steps = batch.map(\.steps).max() ?? 0
        let l = configuration.latent
        let (sw, cw, ow) = (schema.staticWidth, schema.contextWidth, schema.observationWidth)
        let ein = schema.encoderInputWidth
        var xe = [Float](repeating: 0, count: steps * b * ein)
        for (j, s) in batch.enumerated() {
            for t in 0..<s.steps {
                let row = (t * b + j) * ein
                for k in 0..<sw { xe[row + k] = s.staticFeatures[k] }
                for k in 0..<cw { xe[row + sw + k] = s.context[t * cw + k] }
                for k in 0..<ow { xe[row + sw + cw + k] = s.observation[t * ow + k] }
            }
        }
        encoder.forward(inputs: xe, lengths: batch.map(\.steps), steps: steps, parameters: parameters,
                        into: &workspace.encoderTrace)
        let final = workspace.encoderTrace.finalState
        let head = encoderHead.forward(final, batch: b, parameters: parameters)
        var mean = [Float](repeating: 0, count: b * l), logVariance = [Float](repeating: 0, count: b * l)
        for j in 0..<b {
            for d in 0..<l {
                mean[j * l + d] = head[j * 2 * l + d]
                logVariance[j * l + d] = min(max(head[j * 2 * l + l + d], -12), 8)
            }
        }
        return (mean, logVariance, head, final)
    }

    /// Weight λ of the squared log-odds departure from the template's event rate, per visit and
    /// event: a N(0, 1) prior on the departure (λ = ½). Chosen on Friedreich ataxia demonstration
    /// records, where without it the two diabetes cases among 300 seed patients halved the
    /// generated diabetes rate over decades; with it the rate by decade follows the template's.
    package static let eventAdjustmentPenalty: Float = 0.5

    /// The reconstruction terms and their gradients with respect to the decoder head's outputs.
    func headLoss(_ batch: [EncodedSequence], out: [Float], dOut: inout [Float], steps: Int, scale: Float)
        -> LossTerms {
        let b = batch.count, o = outputs, (m, e) = (schema.measures, schema.events)
        var terms = LossTerms()
        var values = 0.0, observed = 0.0, events = 0.0, visits = 0.0
        for (j, s) in batch.enumerated() {
            for t in 0..<s.steps {
                let row = (t * b + j) * o.width
                for k in 0..<m {
                    let logit = out[row + o.observedLogit + k], y = s.observed[t * m + k]
                    observed += bce(logit, y)
                    dOut[row + o.observedLogit + k] = scale * (sigmoid(logit) - y)
                    guard y > 0 else { continue }
                    let mu = out[row + k], lv = min(max(out[row + o.residualLogVariance + k], -9), 6)
                    let r = s.residualTarget[t * m + k] - mu, precision = exp(-lv)
                    values += 0.5 * Double(log(2 * Float.pi) + lv + r * r * precision)
                    dOut[row + k] = scale * -r * precision
                    let raw = out[row + o.residualLogVariance + k]
                    dOut[row + o.residualLogVariance + k] = raw < -9 || raw > 6 ? 0
                        : scale * 0.5 * (1 - r * r * precision)
                }
                for k in 0..<e where s.eventWeight[t * e + k] > 0 {
                    let adjustment = out[row + o.eventLogit + k]
                    let logit = adjustment + s.eventOffset[t * e + k], y = s.eventTarget[t * e + k]
                    // A Gaussian prior on the departure from the template's rate (log-odds):
                    // a few events in the seed records cannot pull it far.
                    events += bce(logit, y) + Double(Self.eventAdjustmentPenalty * adjustment * adjustment)
                    dOut[row + o.eventLogit + k] = scale
                        * (sigmoid(logit) - y + 2 * Self.eventAdjustmentPenalty * adjustment)
                }
                let endLogit = out[row + o.endLogit], end = s.endTarget[t]
                visits += bce(endLogit, end)
                dOut[row + o.endLogit] = scale * (sigmoid(endLogit) - end)
                if s.gapWeight[t] > 0 {
                    let mu = out[row + o.gapMean], lv = min(max(out[row + o.gapLogVariance], -9), 6)
                    let r = s.gapTarget[t] - mu, precision = exp(-lv)
                    visits += 0.5 * Double(log(2 * Float.pi) + lv + r * r * precision)
                    dOut[row + o.gapMean] = scale * -r * precision
                    let raw = out[row + o.gapLogVariance]
                    dOut[row + o.gapLogVariance] = raw < -9 || raw > 6 ? 0 : scale * 0.5 * (1 - r * r * precision)
                }
            }
        }
        let s = Double(scale)
        terms.values = values * s
        terms.observed = observed * s
        terms.events = events * s
        terms.visits = visits * s
        return terms
    }
}

@inline(__always) func sigmoid(_ x: Float) -> Float { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }

@inline(__always) func bce(_ logit: Float, _ y: Float) -> Double {
    Double(max(logit, 0) - logit * y) + log1p(Double(exp(-abs(logit))))
}

extension SequenceVAE {
    /// The decoder head's outputs for given latent codes (diagnostics and evaluation).
    package func decoderOutputs(_ batch: [EncodedSequence], z: [Float]) -> [Float] {
        var workspace = PassWorkspace()
        return decoderForward(batch, z: z, workspace: &workspace, parameters: store.values)
    }
}
