/// Why a privacy computation was refused: bad inputs, or a target no allowed noise level reaches.
package struct PrivacyAccountingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad reason, for callers that react differently to each.
    package enum Kind: String, Sendable, Equatable, Codable {
        case invalidInput
        case unreachableTarget
    }

    /// The broad reason.
    package let kind: Kind
    /// A sentence a user can act on.
    package let message: String

    /// Creates an error of `kind` with a readable `message`.
    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message, so that printing the error reads as a sentence.
    package var description: String { message }

    static func invalid(_ message: String) -> PrivacyAccountingError {
        PrivacyAccountingError(.invalidInput, message)
    }
}

/// Input checks shared by the accountant and the calibration, so both refuse the same things.
enum PrivacyInputCheck {
    static func sampleRate(_ q: Double) throws {
        guard q.isFinite, q > 0, q <= 1 else {
            throw PrivacyAccountingError.invalid("sample rate must lie in (0, 1], got \(q)")
        }
    }

    static func noiseMultiplier(_ sigma: Double) throws {
        guard sigma.isFinite, sigma > 0 else {
            throw PrivacyAccountingError.invalid("noise multiplier must be positive and finite, got \(sigma)")
        }
    }

    static func steps(_ steps: Int) throws {
        guard steps >= 1 else {
            throw PrivacyAccountingError.invalid("number of steps must be at least 1, got \(steps)")
        }
    }

    static func delta(_ delta: Double) throws {
        guard delta.isFinite, delta > 0, delta < 1 else {
            throw PrivacyAccountingError.invalid("delta must lie in (0, 1), got \(delta)")
        }
    }

    static func epsilon(_ epsilon: Double) throws {
        guard epsilon.isFinite, epsilon > 0 else {
            throw PrivacyAccountingError.invalid("target epsilon must be positive and finite, got \(epsilon)")
        }
    }

    static func orders(_ orders: [Double]) throws {
        guard !orders.isEmpty else {
            throw PrivacyAccountingError.invalid("at least one Rényi order is needed")
        }
        for a in orders where !(a.isFinite && a > 1) {
            throw PrivacyAccountingError.invalid("Rényi orders must be finite and greater than 1, got \(a)")
        }
    }
}
