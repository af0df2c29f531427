import Foundation
import Randomness
import Testing

@testable import NeuralNetworks

@Suite struct LinearAndActivationTests {
    @Test(arguments: [(batch: 1, inputs: 1, outputs: 1), (batch: 3, inputs: 5, outputs: 7),
                      (batch: 9, inputs: 17, outputs: 4)])
    func linearMatchesReferenceAndFiniteDifferences(batch: Int, inputs: Int, outputs: Int) throws {
        var random = RandomStream(seed: 31, stream: UInt64(inputs))
        var store = ParameterStore()
        let layer = Linear(inputSize: inputs, outputSize: outputs, name: "fc", store: &store, random: &random)
        for i in layer.bias!.range { store.values[i] = Float(random.nextUnit() - 0.5) }
        let x = GradientCheck.values(batch * inputs, &random)
        let weights = GradientCheck.values(batch * outputs, &random)
        let y = layer.forward(x.floats, batch: batch, parameters: store.values)
        let expected = Reference.linear(layer, x: x, batch: batch, parameters: store.values.doubles)
        try #require(y.count == batch * outputs)
        try #require(expected.count == y.count)
        #expect(zip(y, expected).allSatisfy { abs(Double($0) - $1) < 1e-5 })

        let dx = layer.backward(
            input: x.floats, outputGradient: weights.floats, batch: batch, parameters: store.values,
            gradients: &store.gradients)
        let parameters = store.values.doubles
        func objective(_ p: [Double], _ x: [Double]) -> Double {
            zip(Reference.linear(layer, x: x, batch: batch, parameters: p), weights).reduce(0) { $0 + $1.0 * $1.1 }
        }
        GradientCheck.expectMatch(store.gradients, GradientCheck.numeric({ objective($0, x) }, at: parameters),
                                  "W and b")
        GradientCheck.expectMatch(dx, GradientCheck.numeric({ objective(parameters, $0) }, at: x), "inputs")
    }

    @Test func linearWithoutBiasAllocatesOnlyWeights() {
        var random = RandomStream(seed: 32)
        var store = ParameterStore()
        let layer = Linear(inputSize: 4, outputSize: 3, bias: false, name: "fc", store: &store, random: &random)
        #expect(layer.bias == nil && store.count == 12)
    }

    @Test(arguments: Activation.allCases)
    func activationMatchesReferenceAndFiniteDifferences(kind: Activation) throws {
        var random = RandomStream(seed: 33)
        // Points at least 0.01 from zero keep central differences off relu's kink.
        let x = (0..<21).map { i -> Double in
            let v = GradientCheck.values(1, scale: 6, &random)[0]
            return i == 0 ? 40 : (i == 1 ? -40 : (abs(v) < 0.01 ? v + 0.02 : v))
        }
        let weights = GradientCheck.values(x.count, &random)
        let y = kind.forward(x.floats)
        try #require(y.count == x.count)
        for (value, input) in zip(y, x) {
            let expected = Reference.activation(kind, input)
            #expect(abs(Double(value) - expected) <= 1e-6 * max(1, abs(expected)), "\(kind)(\(input))")
        }
        let dx = kind.backward(input: x.floats, output: y, outputGradient: weights.floats)
        let numeric = GradientCheck.numeric({ z in
            zip(z, weights).reduce(0) { $0 + Reference.activation(kind, $1.0) * $1.1 }
        }, at: x)
        GradientCheck.expectMatch(dx, numeric, kind.rawValue)
    }
}
