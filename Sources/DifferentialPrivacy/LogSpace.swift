import Foundation

/// Arithmetic on numbers stored as their natural logarithms; -inf stands for zero.
///
/// The sampled Gaussian mechanism's moments overflow doubles long before the orders of interest,
/// so every sum is carried out here.
enum LogSpace {
    /// log(exp(x) + exp(y)).
    @inlinable
    static func add(_ x: Double, _ y: Double) -> Double {
        let a = Swift.min(x, y), b = Swift.max(x, y)
        if a == -.infinity { return b }
        return Foundation.log1p(Foundation.exp(a - b)) + b
    }

    /// log(exp(x) - exp(y)), or nil when the difference would be negative.
    @inlinable
    static func subtract(_ x: Double, _ y: Double) -> Double? {
        if x < y { return nil }
        if y == -.infinity { return x }
        if x == y { return -.infinity }
        let d = x - y
        // exp(d) overflows past ~709; then exp(y) is negligible beside exp(x).
        if d > 700 { return x }
        return Foundation.log(Foundation.expm1(d)) + y
    }

    /// log(erfc(x)), accurate where erfc itself underflows.
    static func logErfc(_ x: Double) -> Double {
        if x < 25 {
            return Foundation.log(Foundation.erfc(x))
        }
        // Asymptotic expansion of erfc for large x (Abramowitz & Stegun 7.1.23, in log form);
        // at x >= 25 the dropped terms are below 1e-14 relative.
        let x2 = x * x
        let inv2 = 1 / x2
        return -0.5 * Foundation.log(Double.pi) - Foundation.log(x) - x2
            - 0.5 * inv2 + 0.625 * inv2 * inv2 - 37.0 / 24.0 * inv2 * inv2 * inv2
            + 353.0 / 64.0 * inv2 * inv2 * inv2 * inv2
    }
}
