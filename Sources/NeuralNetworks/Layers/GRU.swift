import DenseKernels
import Randomness

/// A gated recurrent unit layer with PyTorch's gate convention.
///
///     r  = σ(x W_ir + b_ir + h W_hr + b_hr)
///     z  = σ(x W_iz + b_iz + h W_hz + b_hz)
///     n  = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))
///     h' = (1 − z) ⊙ n + z ⊙ h
///
/// `weightInput` is in×3H and `weightHidden` H×3H with the gate blocks in the order r, z, n along
/// the columns (PyTorch's `weight_ih_l0` transposed); the biases are 1×3H in the same order.
/// Sequences are stored time-major: step t of sequence b is row t·batch + b.
package struct GRU: Sendable {
    package let inputSize: Int
    package let hiddenSize: Int
    package let weightInput: ParameterTensor
    package let weightHidden: ParameterTensor
    package let biasInput: ParameterTensor
    package let biasHidden: ParameterTensor

    /// Allocates the weights (Xavier uniform per gate block: fan-in the input or hidden width,
    /// fan-out H) and zero biases.
    package init(
        inputSize: Int, hiddenSize: Int, name: String, store: inout ParameterStore, random: inout RandomStream
    ) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        let gates = 3 * hiddenSize
        weightInput = store.allocate(
            name + ".weightInput", rows: inputSize, columns: gates,
            initialiser: .xavierUniform(fanIn: inputSize, fanOut: hiddenSize), random: &random)
        weightHidden = store.allocate(
            name + ".weightHidden", rows: hiddenSize, columns: gates,
            initialiser: .xavierUniform(fanIn: hiddenSize, fanOut: hiddenSize), random: &random)
        biasInput = store.allocate(name + ".biasInput", rows: 1, columns: gates, initialiser: .zeros, random: &random)
        biasHidden = store.allocate(name + ".biasHidden", rows: 1, columns: gates, initialiser: .zeros, random: &random)
    }

    /// One step for a batch (no trace kept): for generation, where outputs feed the next input.
    ///
    /// - Parameters:
    ///   - input: batch×inputSize.
    ///   - state: batch×hiddenSize, the previous hidden state.
    /// - Returns: the new state, batch×hiddenSize.
    package func step(input: [Float], state: [Float], parameters: [Float]) -> [Float] {
        let batch = state.count / hiddenSize
        let trace = forward(
            inputs: input, lengths: [Int](repeating: 1, count: batch), steps: 1,
            initialState: state, parameters: parameters)
        return trace.finalState
    }
}

/// What a GRU forward pass over a batch of sequences keeps for its backward pass.
///
/// A trace can be passed back to `forward(…, into:)` and `backward` step after step: its arrays
/// keep their capacity, so a training loop does not allocate (and page-fault) megabytes per step.
package struct GRUTrace: Sendable {
    package internal(set) var steps = 0
    package internal(set) var batch = 0
    package internal(set) var hiddenSize = 0
    /// Number of valid steps of each sequence; steps at or past it are masked.
    package internal(set) var lengths: [Int] = []
    /// steps×batch×hiddenSize hidden states, zero at masked steps.
    package internal(set) var outputs: [Float] = []
    /// (steps+1)×batch×hiddenSize: block 0 is the initial state, block t+1 the state after step t.
    /// Past a sequence's end its state is carried unchanged, so the last block is each sequence's
    /// state after its final valid step.
    package internal(set) var states: [Float] = []
    /// The inputs the pass was run on (steps×batch×inputSize).
    var inputs: [Float] = []
    /// steps×batch×3H gate activations r, z, n.
    var gates: [Float] = []
    /// steps×batch×H values of h W_hn + b_hn, which the reset gate multiplies.
    var hiddenCandidates: [Float] = []
    /// batch×3H scratch for h W_hh during the forward pass.
    var recurrent: [Float] = []
    /// Backward-pass scratch: gate gradients of every step and W_hhᵀ.
    var dInputGates: [Float] = []
    var dRecurrentGates: [Float] = []
    var hiddenTransposed: [Float] = []
    /// Backward-pass results, returned to the caller without copying.
    var inputGradients: [Float] = []
    var initialStateGradient: [Float] = []

    /// An empty trace, to be filled by `GRU.forward(…, into:)`.
    package init() {}

    /// batch×hiddenSize state after each sequence's last valid step.
    package var finalState: [Float] {
        Array(states[(steps * batch * hiddenSize)...])
    }
}

extension Array where Element == Float {
    /// Makes this `count` zeros, reusing the existing storage when it is large enough.
    mutating func resetToZeros(count: Int) {
        if self.count != count {
            removeAll(keepingCapacity: true)
            append(contentsOf: repeatElement(0, count: count))
        } else {
            withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
    }
}

/// Gradients a GRU backward pass returns (parameter gradients go to the gradient buffer).
package struct GRUInputGradients: Sendable {
    /// steps×batch×inputSize (empty when not requested); zero at masked steps.
    package var inputs: [Float]
    /// batch×hiddenSize gradient with respect to the initial state.
    package var initialState: [Float]
}
