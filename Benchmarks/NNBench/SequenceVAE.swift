import DenseKernels
import NeuralNetworks
import Randomness

/// A minimal GRU-VAE assembled from the building blocks, to time a training step.
///
/// Encoder GRU over x → final state → Linear → (μ, log σ²) → z. Decoder: initial state
/// tanh(Linear(z)); at step t its input is [z, x_{t−1}] (teacher forcing); its outputs go through a
/// Linear to a Gaussian mean and log-variance per feature. Loss: masked Gaussian NLL + β·KL with
/// free bits, per sequence.
struct SequenceVAE: Sendable {
    let features: Int
    let hidden: Int
    let latent: Int
    let encoder: GRU
    let toPosterior: Linear
    let toDecoderState: Linear
    let decoder: GRU
    let toOutput: Linear

    init(features: Int, hidden: Int, latent: Int, store: inout ParameterStore, random: inout RandomStream) {
        self.features = features
        self.hidden = hidden
        self.latent = latent
        encoder = GRU(inputSize: features, hiddenSize: hidden, name: "encoder", store: &store, random: &random)
        toPosterior = Linear(inputSize: hidden, outputSize: 2 * latent, name: "posterior", store: &store,
                             random: &random)
        toDecoderState = Linear(inputSize: latent, outputSize: hidden, name: "decoderState", store: &store,
                                random: &random)
        decoder = GRU(inputSize: latent + features, hiddenSize: hidden, name: "decoder", store: &store, random: &random)
        toOutput = Linear(inputSize: hidden, outputSize: 2 * features, name: "output", store: &store, random: &random)
    }

    /// A batch: time-major inputs (steps×batch×features), a mask of observed values, lengths.
    struct Batch: Sendable {
        let steps: Int
        let lengths: [Int]
        let inputs: [Float]
        let mask: [Float]
        var size: Int { lengths.count }
    }

    /// The large per-step buffers, kept from one step to the next so that steps do not allocate.
    struct Workspace: Sendable {
        var encoded = GRUTrace()
        var decoded = GRUTrace()
        var decoderInputs: [Float] = []
        var output: [Float] = []
        var dDecoded: [Float] = []
    }

    /// Forward and backward on `batch`; adds gradients (scaled by `scale`, e.g. 1/total batch)
    /// to `gradients` and returns the loss.
    func lossAndGradient(
        _ batch: Batch, parameters: [Float], gradients: inout [Float], scale: Float,
        random: inout RandomStream, threads: Int, workspace w: inout Workspace
    ) -> Float {
        let (steps, size) = (batch.steps, batch.size)
        // Encoder and posterior.
        encoder.forward(
            inputs: batch.inputs, lengths: batch.lengths, steps: steps, parameters: parameters, threads: threads,
            into: &w.encoded)
        let summary = w.encoded.finalState
        let posterior = toPosterior.forward(summary, batch: size, parameters: parameters, threads: threads)
        let (mean, logVariance) = split(posterior, rows: size, width: latent)
        let sample = Reparameterisation.sample(mean: mean, logVariance: logVariance, random: &random)
        // Decoder.
        let stateInput = toDecoderState.forward(sample.z, batch: size, parameters: parameters, threads: threads)
        let initialState = Activation.tanh.forward(stateInput)
        teacherForced(batch, z: sample.z, into: &w.decoderInputs)
        decoder.forward(
            inputs: w.decoderInputs, lengths: batch.lengths, steps: steps, initialState: initialState,
            parameters: parameters, threads: threads, into: &w.decoded)
        let rows = steps * size
        toOutput.forward(w.decoded.outputs, batch: rows, parameters: parameters, into: &w.output, threads: threads)
        let (outMean, outLogVariance) = split(w.output, rows: rows, width: features)
        // Losses.
        let nll = Losses.gaussianNLL(
            mean: outMean, logVariance: outLogVariance, target: batch.inputs, mask: batch.mask, scale: scale)
        let kl = KLDivergence.standardNormal(
            mean: mean, logVariance: logVariance, dimensions: latent, beta: scale * Float(size), freeBits: 0.05)
        // Backward.
        let dOutput = join(nll.meanGradient, nll.logVarianceGradient, rows: rows, width: features)
        toOutput.backward(
            input: w.decoded.outputs, outputGradient: dOutput, batch: rows, parameters: parameters,
            gradients: &gradients, inputGradient: &w.dDecoded, threads: threads)
        let dDecoder = decoder.backward(
            &w.decoded, outputGradients: w.dDecoded, finalStateGradient: nil, parameters: parameters,
            gradients: &gradients, threads: threads)
        let dStateInput = Activation.tanh.backward(
            input: stateInput, output: initialState, outputGradient: dDecoder.initialState)
        var dz = toDecoderState.backward(
            input: sample.z, outputGradient: dStateInput, batch: size, parameters: parameters,
            gradients: &gradients, threads: threads)
        addLatentGradient(from: dDecoder.inputs, into: &dz, steps: steps, size: size)
        let (dMeanZ, dLogVarianceZ) = Reparameterisation.backward(
            logVariance: logVariance, noise: sample.noise, zGradient: dz)
        let dPosterior = join(
            zip(dMeanZ, kl.meanGradient).map { $0 + $1 }, zip(dLogVarianceZ, kl.logVarianceGradient).map { $0 + $1 },
            rows: size, width: latent)
        let dSummary = toPosterior.backward(
            input: summary, outputGradient: dPosterior, batch: size, parameters: parameters,
            gradients: &gradients, threads: threads)
        _ = encoder.backward(
            &w.encoded, outputGradients: nil, finalStateGradient: dSummary, parameters: parameters,
            gradients: &gradients, computeInputGradients: false, threads: threads)
        return nll.value + kl.value
    }

    /// Decoder inputs [z, x_{t−1}] per step (x_{−1} = 0).
    private func teacherForced(_ batch: Batch, z: [Float], into inputs: inout [Float]) {
        let width = latent + features
        inputs.removeAll(keepingCapacity: true)
        inputs.append(contentsOf: repeatElement(0, count: batch.steps * batch.size * width))
        for t in 0..<batch.steps {
            for b in 0..<batch.size {
                let row = (t * batch.size + b) * width
                inputs.replaceSubrange(row..<(row + latent), with: z[(b * latent)..<((b + 1) * latent)])
                if t > 0 {
                    let source = ((t - 1) * batch.size + b) * features
                    inputs.replaceSubrange((row + latent)..<(row + width),
                                           with: batch.inputs[source..<(source + features)])
                }
            }
        }
    }

    /// Adds the z columns of the decoder-input gradient, summed over steps, to dz.
    private func addLatentGradient(from dInputs: [Float], into dz: inout [Float], steps: Int, size: Int) {
        let width = latent + features
        for t in 0..<steps {
            for b in 0..<size {
                for j in 0..<latent { dz[b * latent + j] += dInputs[(t * size + b) * width + j] }
            }
        }
    }

    private func split(_ x: [Float], rows: Int, width: Int) -> ([Float], [Float]) {
        var left = [Float](), right = [Float]()
        left.reserveCapacity(rows * width)
        right.reserveCapacity(rows * width)
        for r in 0..<rows {
            left += x[(r * 2 * width)..<(r * 2 * width + width)]
            right += x[(r * 2 * width + width)..<((r + 1) * 2 * width)]
        }
        return (left, right)
    }

    private func join(_ left: [Float], _ right: [Float], rows: Int, width: Int) -> [Float] {
        var x = [Float]()
        x.reserveCapacity(2 * rows * width)
        for r in 0..<rows {
            x += left[(r * width)..<((r + 1) * width)]
            x += right[(r * width)..<((r + 1) * width)]
        }
        return x
    }
}

extension SequenceVAE.Batch {
    /// Random standard-normal inputs with about 10% of values missing (masked, NaN).
    static func random(steps: Int, size: Int, features: Int, random: inout RandomStream) -> Self {
        var inputs = [Float](repeating: 0, count: steps * size * features)
        var mask = [Float](repeating: 1, count: inputs.count)
        for i in inputs.indices {
            inputs[i] = Float(random.nextNormal())
            if random.nextUnit() < 0.1 { mask[i] = 0 }
        }
        // Missing values are fed as 0 and never read by the masked loss.
        return Self(steps: steps, lengths: [Int](repeating: steps, count: size), inputs: inputs, mask: mask)
    }

    /// The sequences `range` of this batch, still time-major.
    func subset(_ range: Range<Int>) -> Self {
        let features = inputs.count / (steps * size)
        var x = [Float](), m = [Float]()
        for t in 0..<steps {
            let lower = (t * size + range.lowerBound) * features, upper = (t * size + range.upperBound) * features
            x += inputs[lower..<upper]
            m += mask[lower..<upper]
        }
        return Self(steps: steps, lengths: Array(lengths[range]), inputs: x, mask: m)
    }
}
