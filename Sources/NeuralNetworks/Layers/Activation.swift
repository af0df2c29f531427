import DenseKernels
import Foundation

/// Elementwise nonlinearities with their derivatives.
package enum Activation: String, Sendable, Codable, CaseIterable {
    case identity, tanh, sigmoid, relu, softplus

    /// y = f(x) in place.
    package func apply(_ x: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .identity: return
        case .tanh: VectorMath.tanh(x)
        case .sigmoid: VectorMath.sigmoid(x)
        case .relu: VectorMath.apply(x) { $0.replacing(with: 0, where: $0 .< 0) }
        case .softplus:
            // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x, no loss for small.
            for i in x.indices {
                let v = x[i]
                x[i] = max(v, 0) + Foundation.log1p(Foundation.exp(-abs(v)))
            }
        }
    }

    /// dx = dy ⊙ f'(x). Uses the output y where that is cheaper (tanh, sigmoid), the input x otherwise.
    package func backward(
        input x: UnsafeBufferPointer<Float>, output y: UnsafeBufferPointer<Float>,
        outputGradient dy: UnsafeBufferPointer<Float>, into dx: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(dy.count == dx.count, "Activation.backward: length mismatch")
        switch self {
        case .identity:
            for i in dx.indices { dx[i] = dy[i] }
        case .tanh:
            for i in dx.indices { dx[i] = dy[i] * (1 - y[i] * y[i]) }
        case .sigmoid:
            for i in dx.indices { dx[i] = dy[i] * y[i] * (1 - y[i]) }
        case .relu:
            for i in dx.indices { dx[i] = x[i] > 0 ? dy[i] : 0 }
        case .softplus:
            for i in dx.indices { dx[i] = dy[i] * VectorMath.sigmoid(x[i]) }
        }
    }
}

extension Activation {
    /// f(x) for an array.
    package func forward(_ x: [Float]) -> [Float] {
        var y = x
        y.withUnsafeMutableBufferPointer { apply($0) }
        return y
    }

    /// dy ⊙ f'(x) for arrays; `input` is x, `output` is f(x).
    package func backward(input: [Float], output: [Float], outputGradient: [Float]) -> [Float] {
        precondition(input.count == outputGradient.count && output.count == outputGradient.count,
                     "Activation.backward: length mismatch")
        var dx = [Float](repeating: 0, count: outputGradient.count)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeBufferPointer { y in
                outputGradient.withUnsafeBufferPointer { dy in
                    dx.withUnsafeMutableBufferPointer { backward(input: x, output: y, outputGradient: dy, into: $0) }
                }
            }
        }
        return dx
    }
}
