import Foundation

/// A loss value with the gradient with respect to its (single) input.
package struct LossResult: Sendable {
    package var value: Float
    package var gradient: [Float]
}

/// A Gaussian negative log-likelihood with the gradients for both of its inputs.
package struct GaussianLossResult: Sendable {
    package var value: Float
    package var meanGradient: [Float]
    package var logVarianceGradient: [Float]
}

/// Reconstruction losses with masks, summed over the unmasked terms and multiplied by `scale`.
///
/// A mask entry of 1 keeps a term, 0 drops it (a missing value: its target may be NaN and is never
/// read), and values in between weight it. Pass `scale: 1 / batch` for a per-sequence mean.
/// Sums are accumulated in Double.
package enum Losses {
    /// −log N(target; mean, e^logVariance) per element:
    /// ½(log 2π + logVariance + (target − mean)² e^−logVariance).
    package static func gaussianNLL(
        mean: [Float], logVariance: [Float], target: [Float], mask: [Float]? = nil, scale: Float = 1
    ) -> GaussianLossResult {
        precondition(mean.count == target.count && logVariance.count == target.count, "gaussianNLL: length mismatch")
        precondition(mask.map { $0.count == target.count } ?? true, "gaussianNLL: mask length mismatch")
        let logTwoPi = Foundation.log(2 * Double.pi)
        var total = 0.0
        var dMean = [Float](repeating: 0, count: target.count)
        var dLogVariance = [Float](repeating: 0, count: target.count)
        for i in target.indices {
            let weight = mask?[i] ?? 1
            if weight == 0 { continue }
            let precision = Foundation.exp(-logVariance[i])
            let residual = target[i] - mean[i]
            let scaledSquare = residual * residual * precision
            total += Double(weight) * 0.5 * (logTwoPi + Double(logVariance[i]) + Double(scaledSquare))
            dMean[i] = scale * weight * -residual * precision
            dLogVariance[i] = scale * weight * 0.5 * (1 - scaledSquare)
        }
        return GaussianLossResult(value: Float(total * Double(scale)), meanGradient: dMean,
                                  logVarianceGradient: dLogVariance)
    }

    /// Binary cross-entropy on logits: −[y log σ(l) + (1 − y) log(1 − σ(l))], computed stably as
    /// max(l, 0) − l·y + log(1 + e^−|l|). Targets may be soft (in [0, 1]).
    package static func bernoulliWithLogits(
        logits: [Float], target: [Float], mask: [Float]? = nil, scale: Float = 1
    ) -> LossResult {
        precondition(logits.count == target.count, "bernoulliWithLogits: length mismatch")
        precondition(mask.map { $0.count == target.count } ?? true, "bernoulliWithLogits: mask length mismatch")
        var total = 0.0
        var gradient = [Float](repeating: 0, count: logits.count)
        for i in logits.indices {
            let weight = mask?[i] ?? 1
            if weight == 0 { continue }
            let l = logits[i], y = target[i]
            let e = Foundation.exp(-abs(l))
            total += Double(weight) * (Double(max(l, 0) - l * y) + Foundation.log1p(Double(e)))
            let probability = l >= 0 ? 1 / (1 + e) : e / (1 + e)
            gradient[i] = scale * weight * (probability - y)
        }
        return LossResult(value: Float(total * Double(scale)), gradient: gradient)
    }

    /// Softmax cross-entropy of rows×classes logits against one class label per row; `mask` has one
    /// weight per row.
    package static func softmaxCrossEntropy(
        logits: [Float], classes: Int, labels: [Int], mask: [Float]? = nil, scale: Float = 1
    ) -> LossResult {
        let rows = labels.count
        precondition(logits.count == rows * classes, "softmaxCrossEntropy: logits are not rows × \(classes)")
        precondition(mask.map { $0.count == rows } ?? true, "softmaxCrossEntropy: mask needs one weight per row")
        var total = 0.0
        var gradient = [Float](repeating: 0, count: logits.count)
        for r in 0..<rows {
            let weight = mask?[r] ?? 1
            if weight == 0 { continue }
            precondition((0..<classes).contains(labels[r]), "softmaxCrossEntropy: label out of range")
            let row = logits[(r * classes)..<((r + 1) * classes)]
            let peak = row.max()!
            let sum = row.reduce(0.0) { $0 + Foundation.exp(Double($1 - peak)) }
            total += Double(weight) * (Foundation.log(sum) + Double(peak - logits[r * classes + labels[r]]))
            for c in 0..<classes {
                let probability = Float(Foundation.exp(Double(logits[r * classes + c] - peak)) / sum)
                gradient[r * classes + c] = scale * weight * (probability - (c == labels[r] ? 1 : 0))
            }
        }
        return LossResult(value: Float(total * Double(scale)), gradient: gradient)
    }

    /// Squared error (prediction − target)² per element. With `scale: 1 / n` over n observed
    /// terms it is the mean squared error.
    package static func meanSquaredError(
        prediction: [Float], target: [Float], mask: [Float]? = nil, scale: Float = 1
    ) -> LossResult {
        precondition(prediction.count == target.count, "meanSquaredError: length mismatch")
        precondition(mask.map { $0.count == target.count } ?? true, "meanSquaredError: mask length mismatch")
        var total = 0.0
        var gradient = [Float](repeating: 0, count: target.count)
        for i in target.indices {
            let weight = mask?[i] ?? 1
            if weight == 0 { continue }
            let residual = prediction[i] - target[i]
            total += Double(weight) * Double(residual) * Double(residual)
            gradient[i] = scale * weight * 2 * residual
        }
        return LossResult(value: Float(total * Double(scale)), gradient: gradient)
    }
}
