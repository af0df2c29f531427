import Randomness
import Testing

/// Gradient checking strategy.
///
/// Finite differences in Float32 are dominated by rounding (a step of 1e-3 leaves ~1e-4 relative
/// error in the quotient), so the checks never difference the Float code. Each test holds a
/// straightforward Double re-implementation of the layer written from its defining equations
/// (per sequence, per element, no batching, no SIMD). The fast Float forward is compared with it,
/// and the fast Float backward is compared with central differences of the Double forward (step
/// 1e-6, error ~1e-10), so the only slack needed is Float rounding of the analytic gradient.
enum GradientCheck {
    /// Central differences at some coordinates of a point with `dimension` coordinates.
    struct Numeric {
        /// The point's number of coordinates: the length the analytic gradient must have.
        let dimension: Int
        /// The difference quotient at each checked coordinate.
        let values: [Int: Double]
    }

    /// Central differences of `f` at `x` for the coordinates `indices` (all when nil).
    static func numeric(
        _ f: ([Double]) -> Double, at x: [Double], indices: [Int]? = nil, step: Double = 1e-6
    ) -> Numeric {
        var result: [Int: Double] = [:]
        var probe = x
        for i in indices ?? Array(x.indices) {
            probe[i] = x[i] + step
            let up = f(probe)
            probe[i] = x[i] - step
            let down = f(probe)
            probe[i] = x[i]
            result[i] = (up - down) / (2 * step)
        }
        return Numeric(dimension: x.count, values: result)
    }

    /// Expects the analytic Float gradient to have one entry per coordinate of the point and to
    /// match the numeric one at every checked coordinate (of which there must be some), within
    /// absolute `absolute` plus `relative` of the magnitude.
    static func expectMatch(
        _ analytic: [Float], _ numeric: Numeric, absolute: Double = 2e-5, relative: Double = 1e-3,
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(analytic.count == numeric.dimension,
                "\(what): \(analytic.count) analytic values for \(numeric.dimension) coordinates",
                sourceLocation: sourceLocation)
        #expect(!numeric.values.isEmpty, "\(what): no coordinate checked", sourceLocation: sourceLocation)
        guard analytic.count == numeric.dimension else { return }
        var failures = 0
        for (i, expected) in numeric.values.sorted(by: { $0.key < $1.key }) {
            let error = abs(Double(analytic[i]) - expected)
            if error > absolute + relative * abs(expected) {
                failures += 1
                if failures <= 5 {
                    Issue.record("\(what)[\(i)]: analytic \(analytic[i]), numeric \(expected)",
                                 sourceLocation: sourceLocation)
                }
            }
        }
        #expect(failures == 0, "\(what): \(failures) of \(numeric.values.count) coordinates differ",
                sourceLocation: sourceLocation)
    }

    /// Uniform values in [-scale, scale].
    static func values(_ count: Int, scale: Double = 1, _ random: inout RandomStream) -> [Double] {
        (0..<count).map { _ in (random.nextUnit() * 2 - 1) * scale }
    }

    /// A sample of `count` distinct indices below `bound` (all of them when bound ≤ count).
    static func sample(_ count: Int, below bound: Int, _ random: inout RandomStream) -> [Int] {
        bound <= count ? Array(0..<bound) : Array(random.shuffledIndices(bound).prefix(count)).sorted()
    }
}

extension Array where Element == Double {
    var floats: [Float] { map { Float($0) } }
}

extension Array where Element == Float {
    var doubles: [Double] { map { Double($0) } }
}
