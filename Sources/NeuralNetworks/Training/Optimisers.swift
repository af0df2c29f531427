import DenseKernels
import Foundation

/// Adam (Kingma & Ba) with bias correction over a flat parameter vector.
///
/// `weightDecay` is added to the gradient as an L2 term (PyTorch `Adam`), or applied directly to the
/// parameters when `decoupledWeightDecay` is set (PyTorch `AdamW`).
package struct Adam: Sendable, Codable {
    package var learningRate: Float
    package var beta1: Float
    package var beta2: Float
    package var epsilon: Float
    package var weightDecay: Float
    package var decoupledWeightDecay: Bool
    /// Number of updates taken so far.
    package private(set) var step = 0
    private var firstMoment: [Float]
    private var secondMoment: [Float]

    package init(
        parameterCount: Int, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    /// One update of `parameters` from `gradients`.
    package mutating func update(_ parameters: inout [Float], gradients: [Float]) {
        precondition(parameters.count == firstMoment.count && gradients.count == firstMoment.count,
                     "Adam: \(firstMoment.count) parameters expected")
        step += 1
        let correction1 = 1 - Float(Foundation.pow(Double(beta1), Double(step)))
        let correction2 = 1 - Float(Foundation.pow(Double(beta2), Double(step)))
        let stepSize = learningRate / correction1
        let (b1, b2, eps, l2) = (beta1, beta2, epsilon, decoupledWeightDecay ? 0 : weightDecay)
        let shrink: Float = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1
        withMutableBuffers(&parameters, &firstMoment, &secondMoment) { theta, m, v in
            gradients.withUnsafeBufferPointer { g in
                for i in theta.indices {
                    let grad = g[i] + l2 * theta[i]
                    let mi = b1 * m[i] + (1 - b1) * grad
                    let vi = b2 * v[i] + (1 - b2) * grad * grad
                    m[i] = mi
                    v[i] = vi
                    theta[i] = shrink * theta[i] - stepSize * mi / ((vi / correction2).squareRoot() + eps)
                }
            }
        }
    }

    /// One update of a store's values from its gradients.
    package mutating func update(_ store: inout ParameterStore) {
        update(&store.values, gradients: store.gradients)
    }
}

/// Stochastic gradient descent with optional (heavy-ball) momentum.
package struct SGD: Sendable, Codable {
    package var learningRate: Float
    package var momentum: Float
    private var velocity: [Float]

    package init(parameterCount: Int, learningRate: Float, momentum: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        velocity = [Float](repeating: 0, count: momentum == 0 ? 0 : parameterCount)
    }

    /// θ −= lr · g, or with momentum v = μv + g, θ −= lr · v.
    package mutating func update(_ parameters: inout [Float], gradients: [Float]) {
        precondition(parameters.count == gradients.count, "SGD: length mismatch")
        if momentum == 0 {
            VectorOps.axpy(-learningRate, gradients, &parameters)
            return
        }
        precondition(velocity.count == parameters.count, "SGD: \(velocity.count) parameters expected")
        VectorOps.scale(&velocity, by: momentum)
        VectorOps.axpy(1, gradients, &velocity)
        VectorOps.axpy(-learningRate, velocity, &parameters)
    }

    /// One update of a store's values from its gradients.
    package mutating func update(_ store: inout ParameterStore) {
        update(&store.values, gradients: store.gradients)
    }
}

/// Rescaling of a gradient vector to a maximum Euclidean norm.
package enum GradientClipping {
    /// The Euclidean norm of `gradients`.
    package static func globalNorm(_ gradients: [Float]) -> Float {
        Float(VectorOps.sumOfSquares(gradients).squareRoot())
    }

    /// Scales `gradients` by min(1, maxNorm / ‖gradients‖) and returns the norm before clipping.
    @discardableResult
    package static func clipGlobalNorm(_ gradients: inout [Float], maxNorm: Float) -> Float {
        let norm = globalNorm(gradients)
        if norm > maxNorm { VectorOps.scale(&gradients, by: maxNorm / norm) }
        return norm
    }
}
