import DenseKernels
import Randomness

/// A fully connected layer on a batch: Y[batch×out] = X[batch×in] · W[in×out] + b.
///
/// W is stored in×out (the transpose of PyTorch's `weight`) so that the forward pass, the weight
/// gradient and the input gradient are the three GEMM forms without any transposing.
package struct Linear: Sendable {
    package let inputSize: Int
    package let outputSize: Int
    package let weight: ParameterTensor
    package let bias: ParameterTensor?

    /// Allocates W (Xavier uniform) and, if `bias`, a zero bias in `store`.
    package init(
        inputSize: Int, outputSize: Int, bias: Bool = true, name: String,
        store: inout ParameterStore, random: inout RandomStream
    ) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = store.allocate(
            name + ".weight", rows: inputSize, columns: outputSize,
            initialiser: .xavierUniform(fanIn: inputSize, fanOut: outputSize), random: &random)
        self.bias = bias
            ? store.allocate(name + ".bias", rows: 1, columns: outputSize, initialiser: .zeros, random: &random)
            : nil
    }

    /// Y = X·W + b into `output` (batch×out).
    package func forward(
        _ x: UnsafeBufferPointer<Float>, batch: Int, parameters: UnsafeBufferPointer<Float>,
        into output: UnsafeMutableBufferPointer<Float>, threads: Int = 1
    ) {
        Gemm.ab(x, parameters.slice(weight), output, m: batch, n: outputSize, k: inputSize, threads: threads)
        if let bias {
            MatrixOps.addRowBroadcast(parameters.slice(bias), to: output, rows: batch, columns: outputSize)
        }
    }

    /// Adds dW = Xᵀ·dY and db = Σ dY to `gradients`; writes dX = dY·Wᵀ into `inputGradient` if given.
    package func backward(
        input x: UnsafeBufferPointer<Float>, outputGradient dy: UnsafeBufferPointer<Float>, batch: Int,
        parameters: UnsafeBufferPointer<Float>, gradients: UnsafeMutableBufferPointer<Float>,
        inputGradient: UnsafeMutableBufferPointer<Float>?, threads: Int = 1
    ) {
        Gemm.atb(
            x, dy, gradients.slice(weight), m: inputSize, n: outputSize, k: batch, accumulate: true, threads: threads)
        if let bias {
            MatrixOps.columnSums(
                dy, rows: batch, columns: outputSize, into: gradients.slice(bias), accumulate: true)
        }
        if let inputGradient {
            Gemm.abt(dy, parameters.slice(weight), inputGradient, m: batch, n: inputSize, k: outputSize,
                     threads: threads)
        }
    }
}

extension Linear {
    /// Y = X·W + b for a batch×in array.
    package func forward(_ x: [Float], batch: Int, parameters: [Float], threads: Int = 1) -> [Float] {
        var output: [Float] = []
        forward(x, batch: batch, parameters: parameters, into: &output, threads: threads)
        return output
    }

    /// Y = X·W + b into `output`, reusing its storage.
    package func forward(_ x: [Float], batch: Int, parameters: [Float], into output: inout [Float], threads: Int = 1) {
        precondition(x.count == batch * inputSize, "Linear.forward: input is not batch × \(inputSize)")
        output.resetToZeros(count: batch * outputSize)
        withBuffers(x, parameters) { x, p in
            output.withUnsafeMutableBufferPointer {
                forward(x, batch: batch, parameters: p, into: $0, threads: threads)
            }
        }
    }

    /// Adds the parameter gradients to `gradients` and returns dX (batch×in).
    @discardableResult
    package func backward(
        input x: [Float], outputGradient dy: [Float], batch: Int, parameters: [Float],
        gradients: inout [Float], computeInputGradient: Bool = true, threads: Int = 1
    ) -> [Float] {
        var dx: [Float] = []
        backward(
            input: x, outputGradient: dy, batch: batch, parameters: parameters, gradients: &gradients,
            inputGradient: &dx, computeInputGradient: computeInputGradient, threads: threads)
        return dx
    }

    /// `backward` writing dX into `inputGradient` (reusing its storage; left empty when not computed).
    package func backward(
        input x: [Float], outputGradient dy: [Float], batch: Int, parameters: [Float],
        gradients: inout [Float], inputGradient dx: inout [Float], computeInputGradient: Bool = true, threads: Int = 1
    ) {
        precondition(dy.count == batch * outputSize, "Linear.backward: gradient is not batch × \(outputSize)")
        dx.resetToZeros(count: computeInputGradient ? batch * inputSize : 0)
        withBuffers(x, dy, parameters) { x, dy, p in
            withMutableBuffers(&gradients, &dx) { g, dx in
                backward(
                    input: x, outputGradient: dy, batch: batch, parameters: p, gradients: g,
                    inputGradient: computeInputGradient ? dx : nil, threads: threads)
            }
        }
    }
}
