import Foundation

@testable import NeuralNetworks

/// Double-precision reference implementations written from the defining equations.
enum Reference {
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    static func activation(_ kind: Activation, _ x: Double) -> Double {
        switch kind {
        case .identity: return x
        case .tanh: return Foundation.tanh(x)
        case .sigmoid: return sigmoid(x)
        case .relu: return max(x, 0)
        case .softplus: return log(1 + exp(x))
        }
    }

    /// Y = X·W + b with W stored in×out in the flat parameter vector.
    static func linear(_ layer: Linear, x: [Double], batch: Int, parameters p: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: batch * layer.outputSize)
        for r in 0..<batch {
            for o in 0..<layer.outputSize {
                var sum = layer.bias.map { p[$0.offset + o] } ?? 0
                for i in 0..<layer.inputSize {
                    sum += x[r * layer.inputSize + i] * p[layer.weight.offset + i * layer.outputSize + o]
                }
                y[r * layer.outputSize + o] = sum
            }
        }
        return y
    }

    /// The GRU run one sequence at a time; outputs are zero past each sequence's end.
    static func gru(
        _ gru: GRU, inputs x: [Double], lengths: [Int], steps: Int, initialState h0: [Double], parameters p: [Double]
    ) -> (outputs: [Double], final: [Double]) {
        let (n, hidden, g, batch) = (gru.inputSize, gru.hiddenSize, 3 * gru.hiddenSize, lengths.count)
        func wi(_ i: Int, _ c: Int) -> Double { p[gru.weightInput.offset + i * g + c] }
        func wh(_ i: Int, _ c: Int) -> Double { p[gru.weightHidden.offset + i * g + c] }
        func bi(_ c: Int) -> Double { p[gru.biasInput.offset + c] }
        func bh(_ c: Int) -> Double { p[gru.biasHidden.offset + c] }
        var outputs = [Double](repeating: 0, count: steps * batch * hidden)
        var final = [Double](repeating: 0, count: batch * hidden)
        for b in 0..<batch {
            var h = Array(h0[(b * hidden)..<((b + 1) * hidden)])
            for t in 0..<lengths[b] {
                let input = Array(x[((t * batch + b) * n)..<((t * batch + b + 1) * n)])
                func pre(_ c: Int) -> (fromInput: Double, fromHidden: Double) {
                    var a = bi(c), r = bh(c)
                    for i in 0..<n { a += input[i] * wi(i, c) }
                    for i in 0..<hidden { r += h[i] * wh(i, c) }
                    return (a, r)
                }
                var next = h
                for j in 0..<hidden {
                    let (ar, hr) = pre(j), (az, hz) = pre(hidden + j), (an, hn) = pre(2 * hidden + j)
                    let r = sigmoid(ar + hr), z = sigmoid(az + hz)
                    let candidate = Foundation.tanh(an + r * hn)
                    next[j] = (1 - z) * candidate + z * h[j]
                }
                h = next
                for j in 0..<hidden { outputs[(t * batch + b) * hidden + j] = h[j] }
            }
            for j in 0..<hidden { final[b * hidden + j] = h[j] }
        }
        return (outputs, final)
    }

    static func gaussianNLL(mean: [Double], logVariance: [Double], target: [Double], mask: [Double]) -> Double {
        mean.indices.reduce(0) { total, i in
            mask[i] == 0 ? total : total + mask[i] * 0.5
                * (log(2 * Double.pi) + logVariance[i] + pow(target[i] - mean[i], 2) / exp(logVariance[i]))
        }
    }

    static func bernoulli(logits: [Double], target: [Double], mask: [Double]) -> Double {
        logits.indices.reduce(0) { total, i in
            let p = sigmoid(logits[i])
            return total + mask[i] * -(target[i] * log(p) + (1 - target[i]) * log(1 - p))
        }
    }

    static func softmaxCrossEntropy(logits: [Double], classes: Int, labels: [Int], mask: [Double]) -> Double {
        labels.indices.reduce(0) { total, r in
            let row = logits[(r * classes)..<((r + 1) * classes)]
            let normaliser = row.reduce(0) { $0 + exp($1) }
            return total + mask[r] * -log(exp(logits[r * classes + labels[r]]) / normaliser)
        }
    }

    static func squaredError(prediction: [Double], target: [Double], mask: [Double]) -> Double {
        prediction.indices.reduce(0) { $0 + mask[$1] * pow(prediction[$1] - target[$1], 2) }
    }

    /// β Σ_d max(λ, mean over rows of ½(μ² + σ² − 1 − log σ²)).
    static func kl(mean: [Double], logVariance: [Double], dimensions: Int, beta: Double, freeBits: Double) -> Double {
        let rows = mean.count / dimensions
        var total = 0.0
        for d in 0..<dimensions {
            var sum = 0.0
            for r in 0..<rows {
                let (m, lv) = (mean[r * dimensions + d], logVariance[r * dimensions + d])
                sum += 0.5 * (m * m + exp(lv) - 1 - lv)
            }
            total += max(freeBits, sum / Double(rows))
        }
        return beta * total
    }
}
