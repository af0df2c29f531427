import Foundation
import Randomness
import Testing

@testable import NeuralNetworks

@Suite struct LossTests {
    static let count = 24

    static func mask(_ random: inout RandomStream) -> [Double] {
        (0..<count).map { _ in random.nextUnit() < 0.3 ? 0 : 1 }
    }

    @Test func gaussianNLL() {
        var random = RandomStream(seed: 41)
        let mean = GradientCheck.values(Self.count, &random),
            logVariance = GradientCheck.values(Self.count, scale: 2, &random)
        let mask = Self.mask(&random)
        // Missing targets are NaN: a masked term must never read them.
        let target = GradientCheck.values(Self.count, scale: 2, &random).enumerated().map { mask[$0] == 0 ? .nan : $1 }
        let scale = 0.25
        let result = Losses.gaussianNLL(
            mean: mean.floats, logVariance: logVariance.floats, target: target.floats, mask: mask.floats,
            scale: Float(scale))
        let reference = scale * Reference.gaussianNLL(mean: mean, logVariance: logVariance, target: target, mask: mask)
        #expect(abs(Double(result.value) - reference) < 1e-5 * abs(reference))
        let dMean = GradientCheck.numeric({
            scale * Reference.gaussianNLL(mean: $0, logVariance: logVariance, target: target, mask: mask)
        }, at: mean)
        GradientCheck.expectMatch(result.meanGradient, dMean, "mean")
        let dLogVariance = GradientCheck.numeric({
            scale * Reference.gaussianNLL(mean: mean, logVariance: $0, target: target, mask: mask)
        }, at: logVariance)
        GradientCheck.expectMatch(result.logVarianceGradient, dLogVariance, "log variance")
        #expect(result.meanGradient.allSatisfy { $0.isFinite })
    }

    @Test func bernoulliWithLogits() {
        var random = RandomStream(seed: 42)
        let logits = GradientCheck.values(Self.count, scale: 8, &random)
        let target = (0..<Self.count).map { _ in random.nextUnit() < 0.5 ? 0.0 : 1.0 }
        let mask = Self.mask(&random)
        let result = Losses.bernoulliWithLogits(logits: logits.floats, target: target.floats, mask: mask.floats,
                                                scale: 0.5)
        let reference = 0.5 * Reference.bernoulli(logits: logits, target: target, mask: mask)
        #expect(abs(Double(result.value) - reference) < 1e-5 * abs(reference))
        let numeric = GradientCheck.numeric({ 0.5 * Reference.bernoulli(logits: $0, target: target, mask: mask) },
                                            at: logits)
        GradientCheck.expectMatch(result.gradient, numeric, "logits")
        // Stable far out: log(1 + e^100) must not overflow.
        let extreme = Losses.bernoulliWithLogits(logits: [100, -100], target: [0, 1])
        #expect(abs(extreme.value - 200) < 1e-3)
    }

    @Test func softmaxCrossEntropy() {
        var random = RandomStream(seed: 43)
        let classes = 4, rows = 6
        let logits = GradientCheck.values(rows * classes, scale: 3, &random)
        let labels = (0..<rows).map { _ in random.nextInt(below: classes) }
        let mask: [Double] = [1, 0, 1, 1, 0.5, 1]
        let result = Losses.softmaxCrossEntropy(
            logits: logits.floats, classes: classes, labels: labels, mask: mask.floats, scale: 2)
        let reference = 2 * Reference.softmaxCrossEntropy(logits: logits, classes: classes, labels: labels, mask: mask)
        #expect(abs(Double(result.value) - reference) < 1e-5 * abs(reference))
        let numeric = GradientCheck.numeric({
            2 * Reference.softmaxCrossEntropy(logits: $0, classes: classes, labels: labels, mask: mask)
        }, at: logits)
        GradientCheck.expectMatch(result.gradient, numeric, "logits")
    }

    @Test func meanSquaredError() {
        var random = RandomStream(seed: 44)
        let prediction = GradientCheck.values(Self.count, &random), target = GradientCheck.values(Self.count, &random)
        let mask = Self.mask(&random)
        let scale = 1 / mask.reduce(0, +)
        let result = Losses.meanSquaredError(
            prediction: prediction.floats, target: target.floats, mask: mask.floats, scale: Float(scale))
        let reference = scale * Reference.squaredError(prediction: prediction, target: target, mask: mask)
        #expect(abs(Double(result.value) - reference) < 1e-5 * abs(reference))
        let numeric = GradientCheck.numeric({
            scale * Reference.squaredError(prediction: $0, target: target, mask: mask)
        }, at: prediction)
        GradientCheck.expectMatch(result.gradient, numeric, "prediction")
    }

    /// Dimension 0 sits far below the floor, the others well above it, so central differences
    /// never straddle the kink of max(λ, KL_d).
    @Test(arguments: [0.0, 0.5])
    func klWithFreeBits(freeBits: Double) {
        var random = RandomStream(seed: 45)
        let rows = 5, dimensions = 3
        var mean = GradientCheck.values(rows * dimensions, scale: 2, &random)
        var logVariance = GradientCheck.values(rows * dimensions, &random)
        for r in 0..<rows {
            mean[r * dimensions] = 0.01 * Double(r)
            logVariance[r * dimensions] = 0.02
            mean[r * dimensions + 1] = 1.5 + 0.1 * Double(r)
        }
        let beta = 0.7
        let result = KLDivergence.standardNormal(
            mean: mean.floats, logVariance: logVariance.floats, dimensions: dimensions, beta: Float(beta),
            freeBits: Float(freeBits))
        let objective = { (m: [Double], lv: [Double]) in
            Reference.kl(mean: m, logVariance: lv, dimensions: dimensions, beta: beta, freeBits: freeBits)
        }
        #expect(abs(Double(result.value) - objective(mean, logVariance)) < 1e-5)
        #expect(result.perDimension[0] < 0.01 && result.perDimension[1] > 1)
        GradientCheck.expectMatch(result.meanGradient, GradientCheck.numeric({ objective($0, logVariance) }, at: mean),
                                  "mean")
        GradientCheck.expectMatch(
            result.logVarianceGradient, GradientCheck.numeric({ objective(mean, $0) }, at: logVariance), "log variance")
        let dimensionZero = stride(from: 0, to: rows * dimensions, by: dimensions)
        let floored = dimensionZero.allSatisfy { result.meanGradient[$0] == 0 && result.logVarianceGradient[$0] == 0 }
        #expect(floored == (freeBits > 0))
    }

    @Test func reparameterisation() {
        var random = RandomStream(seed: 46)
        let mean = GradientCheck.values(12, &random), logVariance = GradientCheck.values(12, scale: 2, &random)
        var noiseStream = RandomStream(seed: 47)
        let sample = Reparameterisation.sample(mean: mean.floats, logVariance: logVariance.floats, random: &noiseStream)
        var again = RandomStream(seed: 47)
        #expect(sample.noise == (0..<12).map { _ in Float(again.nextNormal()) })
        let weights = GradientCheck.values(12, &random)
        let noise = sample.noise.doubles
        let objective = { (m: [Double], lv: [Double]) in
            m.indices.reduce(0.0) { $0 + weights[$1] * (m[$1] + exp(0.5 * lv[$1]) * noise[$1]) }
        }
        for i in 0..<12 {
            #expect(abs(Double(sample.z[i]) - (mean[i] + exp(0.5 * logVariance[i]) * noise[i])) < 1e-5)
        }
        let (dMean, dLogVariance) = Reparameterisation.backward(
            logVariance: logVariance.floats, noise: sample.noise, zGradient: weights.floats)
        GradientCheck.expectMatch(dMean, GradientCheck.numeric({ objective($0, logVariance) }, at: mean), "mean")
        GradientCheck.expectMatch(dLogVariance, GradientCheck.numeric({ objective(mean, $0) }, at: logVariance),
                                  "log variance")
    }
}
