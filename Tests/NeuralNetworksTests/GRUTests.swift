import Randomness
import Testing

@testable import DenseKernels
@testable import NeuralNetworks

@Suite struct GRUTests {
    /// A GRU with random (non-zero) biases, inputs, lengths and loss weights for one check.
    struct Setup {
        var store = ParameterStore()
        let gru: GRU
        let steps: Int
        let lengths: [Int]
        let inputs: [Double]
        let initialState: [Double]
        let outputWeights: [Double]
        let finalWeights: [Double]

        init(inputSize: Int, hiddenSize: Int, steps: Int, lengths: [Int], seed: UInt64) {
            var random = RandomStream(seed: seed, stream: 0)
            gru = GRU(inputSize: inputSize, hiddenSize: hiddenSize, name: "gru", store: &store, random: &random)
            // Non-zero biases so that their gradients and the b_hn path under r are exercised.
            for tensor in [gru.biasInput, gru.biasHidden] {
                for i in tensor.range { store.values[i] = Float(random.nextUnit() - 0.5) }
            }
            self.steps = steps
            self.lengths = lengths
            let batch = lengths.count
            inputs = GradientCheck.values(steps * batch * inputSize, &random)
            initialState = GradientCheck.values(batch * hiddenSize, scale: 0.5, &random)
            outputWeights = GradientCheck.values(steps * batch * hiddenSize, &random)
            finalWeights = GradientCheck.values(batch * hiddenSize, &random)
        }

        /// The scalar whose gradient is checked: Σ c·outputs + Σ c'·final state, in Double.
        func objective(parameters: [Double], inputs: [Double], initialState: [Double]) -> Double {
            let (outputs, final) = Reference.gru(
                gru, inputs: inputs, lengths: lengths, steps: steps, initialState: initialState, parameters: parameters)
            return zip(outputs, outputWeights).reduce(0) { $0 + $1.0 * $1.1 }
                + zip(final, finalWeights).reduce(0) { $0 + $1.0 * $1.1 }
        }

        func forward(threads: Int = 1) -> GRUTrace {
            gru.forward(
                inputs: inputs.floats, lengths: lengths, steps: steps, initialState: initialState.floats,
                parameters: store.values, threads: threads)
        }
    }

    static let configurations: [(inputSize: Int, hiddenSize: Int, steps: Int, lengths: [Int])] = [
        (3, 5, 4, [4, 2, 0]),
        (2, 16, 3, [3, 3]),
        (9, 8, 5, [1, 5, 3, 4, 2]),
        // Sorted longest first: the per-step products run on the still-active rows only.
        (4, 12, 6, [6, 3, 3, 1, 0]),
    ]

    @Test(arguments: configurations.indices)
    func forwardMatchesReference(configuration: Int) throws {
        let c = Self.configurations[configuration]
        let setup = Setup(inputSize: c.inputSize, hiddenSize: c.hiddenSize, steps: c.steps, lengths: c.lengths,
                          seed: 21)
        let trace = setup.forward()
        let (outputs, final) = Reference.gru(
            setup.gru, inputs: setup.inputs, lengths: c.lengths, steps: c.steps,
            initialState: setup.initialState, parameters: setup.store.values.doubles)
        let batch = c.lengths.count
        try #require(trace.outputs.count == c.steps * batch * c.hiddenSize)
        try #require(outputs.count == trace.outputs.count)
        try #require(trace.finalState.count == batch * c.hiddenSize)
        try #require(final.count == trace.finalState.count)
        #expect(zip(trace.outputs, outputs).allSatisfy { abs(Double($0) - $1) < 2e-6 })
        #expect(zip(trace.finalState, final).allSatisfy { abs(Double($0) - $1) < 2e-6 })
    }

    @Test(arguments: configurations.indices)
    func backwardMatchesFiniteDifferences(configuration: Int) {
        let c = Self.configurations[configuration]
        var setup = Setup(inputSize: c.inputSize, hiddenSize: c.hiddenSize, steps: c.steps, lengths: c.lengths,
                          seed: 22)
        var trace = setup.forward()
        let result = setup.gru.backward(
            &trace, outputGradients: setup.outputWeights.floats, finalStateGradient: setup.finalWeights.floats,
            parameters: setup.store.values, gradients: &setup.store.gradients)
        var random = RandomStream(seed: 23, stream: 0)
        let parameters = setup.store.values.doubles
        let checked = GradientCheck.sample(160, below: parameters.count, &random)
        let dParameters = GradientCheck.numeric(
            { setup.objective(parameters: $0, inputs: setup.inputs, initialState: setup.initialState) },
            at: parameters, indices: checked)
        GradientCheck.expectMatch(setup.store.gradients, dParameters, "weights and biases")
        let dInputs = GradientCheck.numeric(
            { setup.objective(parameters: parameters, inputs: $0, initialState: setup.initialState) }, at: setup.inputs)
        GradientCheck.expectMatch(result.inputs, dInputs, "inputs")
        let dInitial = GradientCheck.numeric(
            { setup.objective(parameters: parameters, inputs: setup.inputs, initialState: $0) }, at: setup.initialState)
        GradientCheck.expectMatch(result.initialState, dInitial, "initial state")
    }

    /// Past a sequence's end nothing depends on the inputs, and a sequence of length 0 hands the
    /// final-state gradient straight to its initial state.
    @Test func maskedStepsGetNoGradient() {
        var setup = Setup(inputSize: 3, hiddenSize: 5, steps: 4, lengths: [4, 2, 0], seed: 24)
        var trace = setup.forward()
        let result = setup.gru.backward(
            &trace, outputGradients: setup.outputWeights.floats, finalStateGradient: setup.finalWeights.floats,
            parameters: setup.store.values, gradients: &setup.store.gradients)
        for t in 0..<4 {
            for b in 0..<3 where t >= setup.lengths[b] {
                let row = (t * 3 + b)
                #expect(result.inputs[(row * 3)..<(row * 3 + 3)].allSatisfy { $0 == 0 })
                #expect(trace.outputs[(row * 5)..<(row * 5 + 5)].allSatisfy { $0 == 0 })
            }
        }
        #expect(Array(result.initialState[10..<15]) == Array(setup.finalWeights.floats[10..<15]))
        #expect(Array(trace.finalState[10..<15]) == Array(setup.initialState.floats[10..<15]))
    }

    /// Large enough that the dW_hh product (64 × 192 × 24·16) is split between threads.
    @Test func threadCountDoesNotChangeResults() {
        let lengths = (0..<16).map { 24 - ($0 % 5) * 3 }
        #expect(2 * 64 * 192 * 24 * 16 >= GemmDriver.parallelFlops)
        var setup = Setup(inputSize: 16, hiddenSize: 64, steps: 24, lengths: lengths, seed: 25)
        var one = setup.forward(threads: 1), two = setup.forward(threads: 2)
        #expect(one.outputs == two.outputs && one.states == two.states)
        var gradientsOne = setup.store.gradients, gradientsTwo = setup.store.gradients
        let a = setup.gru.backward(
            &one, outputGradients: setup.outputWeights.floats, finalStateGradient: nil,
            parameters: setup.store.values, gradients: &gradientsOne, threads: 1)
        let b = setup.gru.backward(
            &two, outputGradients: setup.outputWeights.floats, finalStateGradient: nil,
            parameters: setup.store.values, gradients: &gradientsTwo, threads: 2)
        #expect(gradientsOne == gradientsTwo && a.inputs == b.inputs && a.initialState == b.initialState)
        setup.store.zeroGradients()
    }

    /// A trace reused across calls of different shapes gives the same results as a fresh one.
    @Test func reusedTraceMatchesFreshTrace() {
        var big = Setup(inputSize: 3, hiddenSize: 5, steps: 4, lengths: [4, 2, 0], seed: 27)
        let small = Setup(inputSize: 3, hiddenSize: 5, steps: 2, lengths: [2, 1], seed: 28)
        var reused = big.forward()
        _ = big.gru.backward(
            &reused, outputGradients: big.outputWeights.floats, finalStateGradient: nil,
            parameters: big.store.values, gradients: &big.store.gradients)
        for setup in [small, big] {
            setup.gru.forward(
                inputs: setup.inputs.floats, lengths: setup.lengths, steps: setup.steps,
                initialState: setup.initialState.floats, parameters: big.store.values, into: &reused)
            var fresh = setup.gru.forward(
                inputs: setup.inputs.floats, lengths: setup.lengths, steps: setup.steps,
                initialState: setup.initialState.floats, parameters: big.store.values)
            #expect(reused.outputs == fresh.outputs && reused.states == fresh.states)
            var g1 = [Float](repeating: 0, count: big.store.count), g2 = g1
            let a = setup.gru.backward(
                &reused, outputGradients: setup.outputWeights.floats, finalStateGradient: setup.finalWeights.floats,
                parameters: big.store.values, gradients: &g1)
            let b = setup.gru.backward(
                &fresh, outputGradients: setup.outputWeights.floats, finalStateGradient: setup.finalWeights.floats,
                parameters: big.store.values, gradients: &g2)
            #expect(g1 == g2 && a.inputs == b.inputs && a.initialState == b.initialState)
        }
    }

    @Test func stepEqualsOneStepOfForward() {
        let setup = Setup(inputSize: 3, hiddenSize: 5, steps: 1, lengths: [1, 1], seed: 26)
        let next = setup.gru.step(
            input: setup.inputs.floats, state: setup.initialState.floats, parameters: setup.store.values)
        #expect(next == setup.forward().finalState)
    }
}

@Suite struct PackedSequencesTests {
    @Test func packsTimeMajorAndUnpacks() {
        let sequences: [[Float]] = [[1, 2, 3, 4, 5, 6], [7, 8], []]
        let packed = PackedSequences(sequences, features: 2)
        #expect(packed.steps == 3 && packed.lengths == [3, 1, 0])
        #expect(packed.values == [1, 2, 7, 8, 0, 0, 3, 4, 0, 0, 0, 0, 5, 6, 0, 0, 0, 0])
        #expect(packed.unpack(packed.values, width: 2) == sequences)
        #expect(PackedSequences(sequences, features: 2, steps: 4).values.count == 24)
    }
}
