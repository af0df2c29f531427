/// A failure of a statistical routine on the data it was given. Every case carries enough
/// context to be shown to a user as is (see `message`).
package enum StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer observations than the routine needs.
    case tooFewObservations(needed: Int, got: Int, context: String)
    /// Arrays that must have matching lengths (or matrices matching shapes) do not.
    case dimensionMismatch(String)
    /// An argument outside its domain: a negative weight, a probability outside [0, 1], NaN, ...
    case invalidArgument(String)
    /// A matrix that had to be invertible is singular (or numerically so), e.g. collinear predictors.
    case singularMatrix(String)
    /// A matrix that had to be symmetric positive definite is not.
    case notPositiveDefinite(String)
    /// An iterative fit stopped at its iteration cap without meeting its tolerance.
    case didNotConverge(iterations: Int, context: String)
    /// A quantity is undefined for these data, e.g. a standardized difference when both groups are constant.
    case undefined(String)

    /// A readable, one-sentence explanation of the failure.
    package var message: String {
        switch self {
        case let .tooFewObservations(needed, got, context):
            return "\(context): needs at least \(needed) observation(s), got \(got)."
        case let .dimensionMismatch(text):
            return "Dimension mismatch: \(text)."
        case let .invalidArgument(text):
            return "Invalid argument: \(text)."
        case let .singularMatrix(text):
            return "Singular matrix: \(text)."
        case let .notPositiveDefinite(text):
            return "Matrix is not positive definite: \(text)."
        case let .didNotConverge(iterations, context):
            return "\(context): did not converge within \(iterations) iterations."
        case let .undefined(text):
            return "Undefined: \(text)."
        }
    }

    /// The same as `message`.
    package var description: String { message }
}

/// Argument checks shared by the routines, so every entry point reports the same way.
enum Check {
    static func count(_ values: [Double], atLeast needed: Int, _ context: String) throws {
        if values.count < needed {
            throw StatisticsError.tooFewObservations(needed: needed, got: values.count, context: context)
        }
    }

    static func finite(_ values: [Double], _ context: String) throws {
        for v in values where !v.isFinite {
            throw StatisticsError.invalidArgument("\(context) contains a non-finite value (\(v))")
        }
    }

    static func sameCount(_ a: Int, _ b: Int, _ context: String) throws {
        if a != b { throw StatisticsError.dimensionMismatch("\(context): \(a) vs \(b)") }
    }

    /// Weights must be finite, non-negative and not all zero.
    static func weights(_ weights: [Double], count: Int, _ context: String) throws {
        try sameCount(weights.count, count, "\(context): weights vs values")
        var total = 0.0
        for w in weights {
            if !w.isFinite || w < 0 {
                throw StatisticsError.invalidArgument("\(context): weights must be finite and non-negative, found \(w)")
            }
            total += w
        }
        if total <= 0 { throw StatisticsError.invalidArgument("\(context): weights sum to zero") }
    }

    static func level(_ level: Double) throws {
        if !(level > 0 && level < 1) {
            throw StatisticsError.invalidArgument("confidence level must lie strictly between 0 and 1, got \(level)")
        }
    }
}
