import Foundation
import Randomness

/// The network-independent pieces of DP-SGD: Poisson batch sampling, per-example clipping and
/// calibrated Gaussian noise. The accountant's guarantee holds only if training uses exactly
/// these three with the same q, clipping norm C and σ.
package enum DPSGD {
    /// The indices in `0..<count` that join one batch, each independently with probability
    /// `rate`, in increasing order.
    ///
    /// Gaps between chosen indices are drawn as geometric variables, so the cost is proportional
    /// to the batch, not to the data set; the result has the same law as `count` coin flips.
    package static func poissonSample(
        count: Int, rate: Double, using random: inout RandomStream
    ) -> [Int] {
        precondition(count >= 0, "count must be non-negative")
        precondition(rate >= 0 && rate <= 1, "sample rate must lie in [0, 1]")
        if count == 0 || rate == 0 { return [] }
        if rate == 1 { return Array(0..<count) }
        var chosen: [Int] = []
        chosen.reserveCapacity(Int(Double(count) * rate * 1.2) + 8)
        let logKeep = Foundation.log1p(-rate)
        var index = -1
        while true {
            // P(gap > k) = (1 − q)^k, so the gap is 1 + floor(ln U / ln(1 − q)).
            let skip = Foundation.log(random.nextOpenUnit()) / logKeep
            if skip >= Double(count - index) { break }
            index += 1 + Int(skip)
            if index >= count { break }
            chosen.append(index)
        }
        return chosen
    }

    /// Scales `gradient` in place so its L2 norm is at most `maxNorm`, returning the factor
    /// applied (1 when already inside). A gradient with a non-finite entry is zeroed and 0 is
    /// returned: dropping it keeps the sensitivity bound that the guarantee rests on.
    @discardableResult
    package static func clip(_ gradient: UnsafeMutableBufferPointer<Double>, maxNorm: Double) -> Double {
        precondition(maxNorm > 0, "clipping norm must be positive")
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let n = gradient.count
        var i = 0
        while i + 4 <= n {
            let a = gradient[i], b = gradient[i + 1], c = gradient[i + 2], d = gradient[i + 3]
            s0 += a * a
            s1 += b * b
            s2 += c * c
            s3 += d * d
            i += 4
        }
        while i < n {
            s0 += gradient[i] * gradient[i]
            i += 1
        }
        let norm = ((s0 + s1) + (s2 + s3)).squareRoot()
        let scale: Double
        if !norm.isFinite {
            scale = 0
        } else if norm <= maxNorm {
            return 1
        } else {
            scale = maxNorm / norm
        }
        for k in 0..<n { gradient[k] = scale == 0 ? 0 : gradient[k] * scale }
        return scale
    }

    /// Clips a single precision gradient in place; see the `Double` version.
    @discardableResult
    package static func clip(_ gradient: UnsafeMutableBufferPointer<Float>, maxNorm: Double) -> Double {
        precondition(maxNorm > 0, "clipping norm must be positive")
        // Accumulate in Double: long Float sums of squares lose the small entries.
        var s0 = 0.0, s1 = 0.0
        let n = gradient.count
        var i = 0
        while i + 2 <= n {
            let a = Double(gradient[i]), b = Double(gradient[i + 1])
            s0 += a * a
            s1 += b * b
            i += 2
        }
        if i < n { s0 += Double(gradient[i]) * Double(gradient[i]) }
        let norm = (s0 + s1).squareRoot()
        if norm.isFinite && norm <= maxNorm { return 1 }
        let scale = norm.isFinite ? maxNorm / norm : 0
        let f = Float(scale)
        for k in 0..<n { gradient[k] = f == 0 ? 0 : gradient[k] * f }
        return scale
    }

    /// Clips an array gradient in place; see the buffer version.
    @discardableResult
    package static func clip(_ gradient: inout [Double], maxNorm: Double) -> Double {
        gradient.withUnsafeMutableBufferPointer { clip($0, maxNorm: maxNorm) }
    }

    /// Clips an array gradient in place; see the buffer version.
    @discardableResult
    package static func clip(_ gradient: inout [Float], maxNorm: Double) -> Double {
        gradient.withUnsafeMutableBufferPointer { clip($0, maxNorm: maxNorm) }
    }

    /// Adds independent N(0, (σC)²) noise to every entry of a summed, clipped gradient.
    package static func addNoise(
        to sum: UnsafeMutableBufferPointer<Double>, noiseMultiplier: Double, clipNorm: Double,
        using random: inout RandomStream
    ) {
        precondition(noiseMultiplier >= 0 && clipNorm > 0, "σ must be non-negative and C positive")
        let sd = noiseMultiplier * clipNorm
        for k in 0..<sum.count { sum[k] += sd * random.nextNormal() }
    }

    /// Adds N(0, (σC)²) noise to a single precision summed gradient.
    package static func addNoise(
        to sum: UnsafeMutableBufferPointer<Float>, noiseMultiplier: Double, clipNorm: Double,
        using random: inout RandomStream
    ) {
        precondition(noiseMultiplier >= 0 && clipNorm > 0, "σ must be non-negative and C positive")
        let sd = noiseMultiplier * clipNorm
        for k in 0..<sum.count { sum[k] += Float(sd * random.nextNormal()) }
    }

    /// Adds N(0, (σC)²) noise to every entry of an array; see the buffer version.
    package static func addNoise(
        to sum: inout [Double], noiseMultiplier: Double, clipNorm: Double,
        using random: inout RandomStream
    ) {
        sum.withUnsafeMutableBufferPointer {
            addNoise(to: $0, noiseMultiplier: noiseMultiplier, clipNorm: clipNorm, using: &random)
        }
    }

    /// Adds N(0, (σC)²) noise to every entry of an array; see the buffer version.
    package static func addNoise(
        to sum: inout [Float], noiseMultiplier: Double, clipNorm: Double,
        using random: inout RandomStream
    ) {
        sum.withUnsafeMutableBufferPointer {
            addNoise(to: $0, noiseMultiplier: noiseMultiplier, clipNorm: clipNorm, using: &random)
        }
    }
}
