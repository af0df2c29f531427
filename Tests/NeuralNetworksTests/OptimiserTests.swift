import Randomness
import Testing

@testable import NeuralNetworks

@Suite struct OptimiserTests {
    /// With a constant gradient Adam's bias-corrected step is lr · g/|g| every time.
    @Test func adamTakesBiasCorrectedSteps() {
        var adam = Adam(parameterCount: 2, learningRate: 0.1)
        var theta: [Float] = [1, -2]
        adam.update(&theta, gradients: [0.5, -0.1])
        #expect(abs(theta[0] - 0.9) < 1e-6 && abs(theta[1] + 1.9) < 1e-6)
        adam.update(&theta, gradients: [0.5, -0.1])
        #expect(abs(theta[0] - 0.8) < 1e-6 && abs(theta[1] + 1.8) < 1e-6)
        #expect(adam.step == 2)
    }

    @Test func adamWeightDecayCoupledAndDecoupled() {
        var coupled = Adam(parameterCount: 1, learningRate: 0.1, weightDecay: 0.1)
        var theta: [Float] = [1]
        coupled.update(&theta, gradients: [0])
        #expect(abs(theta[0] - 0.9) < 1e-6)
        var decoupled = Adam(parameterCount: 1, learningRate: 0.1, weightDecay: 0.1, decoupledWeightDecay: true)
        theta = [1]
        decoupled.update(&theta, gradients: [0])
        #expect(abs(theta[0] - 0.99) < 1e-6)
    }

    @Test func sgdWithMomentum() {
        var plain = SGD(parameterCount: 2, learningRate: 0.5)
        var theta: [Float] = [1, 1]
        plain.update(&theta, gradients: [1, -2])
        #expect(theta == [0.5, 2])
        var heavy = SGD(parameterCount: 1, learningRate: 0.1, momentum: 0.9)
        theta = [0]
        heavy.update(&theta, gradients: [1])
        heavy.update(&theta, gradients: [1])
        #expect(abs(theta[0] + 0.29) < 1e-6)
    }

    @Test func clippingToGlobalNorm() {
        var g: [Float] = [3, 4]
        #expect(GradientClipping.clipGlobalNorm(&g, maxNorm: 10) == 5)
        #expect(g == [3, 4])
        #expect(GradientClipping.clipGlobalNorm(&g, maxNorm: 1) == 5)
        #expect(abs(g[0] - 0.6) < 1e-7 && abs(g[1] - 0.8) < 1e-7)
    }
}
