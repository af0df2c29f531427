/// A type an option's text can be read as.
package protocol ArgumentValue: Sendable {
    /// The value the text stands for, or nil when it is not one.
    init?(argument: String)
    /// What a valid value looks like, for error messages ("a whole number").
    static var expectation: String { get }
}

extension Int: ArgumentValue {
    /// Accepts `_` as a digit separator (`100_000`).
    package init?(argument: String) { self.init(String(argument.filter { $0 != "_" })) }
    package static var expectation: String { "a whole number" }
}

extension UInt64: ArgumentValue {
    package init?(argument: String) { self.init(String(argument.filter { $0 != "_" })) }
    package static var expectation: String { "a whole number ≥ 0" }
}

extension Double: ArgumentValue {
    /// Finite numbers only: `nan` and `inf` are never meant as option values.
    package init?(argument: String) {
        guard let value = Double(argument), value.isFinite else { return nil }
        self = value
    }
    package static var expectation: String { "a number" }
}

extension String: ArgumentValue {
    package init?(argument: String) { self = argument }
    package static var expectation: String { "text" }
}
