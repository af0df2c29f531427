/// What the parser and the help text know of one option, whatever its value type.
package struct OptionSpecification: Sendable {
    package var name: String
    /// The placeholder of the value (`<n>`); nil for a flag.
    package var valueName: String?
    package var help: String
    /// The default as shown in help; nil when there is none.
    package var defaultText: String?
    package var isRequired: Bool
    /// The problem with a value's text, or nil when it is valid.
    let problem: @Sendable (String) -> String?

    package var isFlag: Bool { valueName == nil }

    /// The option as shown in messages: `--patients <n>`.
    package var synopsis: String { "--\(name)" + (valueName.map { " <\($0)>" } ?? "") }
}

/// Anything a command can list among its options: one option, a flag, or a group of them.
package protocol OptionDeclaration: Sendable {
    var specifications: [OptionSpecification] { get }
}

/// A typed `--name <value>` option, declared once with its help, default and validation, and read
/// as `arguments[option]`.
package struct Option<Value: Sendable>: OptionDeclaration {
    package let specification: OptionSpecification
    let convert: @Sendable (String) -> Value?
    let fallback: Value?

    package var specifications: [OptionSpecification] { [specification] }
    package var name: String { specification.name }

    /// The general form: `parse` turns text into a value (nil when invalid), `validate` names any
    /// further problem with a parsed value.
    package init(_ name: String, _ valueName: String, default fallback: Value?, isRequired: Bool = false,
                defaultText: String? = nil, help: String, expectation: String,
                parse: @escaping @Sendable (String) -> Value?,
                validate: @escaping @Sendable (Value) -> String? = { _ in nil }) {
        specification = OptionSpecification(
            name: name, valueName: valueName, help: help,
            defaultText: defaultText ?? fallback.flatMap(Self.describe), isRequired: isRequired,
            problem: { text in
                guard let value = parse(text) else { return "expects \(expectation), got '\(text)'" }
                return validate(value)
            })
        convert = parse
        self.fallback = fallback
    }

    private static func describe(_ value: Value) -> String? {
        let text = "\(value)"
        return text == "nil" || text.isEmpty ? nil : text
    }
}

extension Option where Value: ArgumentValue {
    /// An option with a default.
    package init(_ name: String, _ valueName: String, default value: Value, help: String) {
        self.init(name, valueName, default: value, help: help, expectation: Value.expectation,
                  parse: Value.init(argument:))
    }

    /// An option that must be given.
    package static func required(_ name: String, _ valueName: String, help: String) -> Option {
        Option(name, valueName, default: nil, isRequired: true, help: help, expectation: Value.expectation,
               parse: Value.init(argument:))
    }
}

extension Option where Value: ArgumentValue & Comparable {
    /// An option with a default and a closed range of valid values.
    package init(_ name: String, _ valueName: String, default value: Value, in range: ClosedRange<Value>,
                 help: String) {
        self.init(name, valueName, default: value, help: help, expectation: Value.expectation,
                  parse: Value.init(argument:), validate: Self.within(range))
    }

    /// An option that must be given, within a range.
    package static func required(_ name: String, _ valueName: String, in range: ClosedRange<Value>, help: String)
        -> Option {
        Option(name, valueName, default: nil, isRequired: true, help: help, expectation: Value.expectation,
               parse: Value.init(argument:), validate: within(range))
    }

    static func within(_ range: ClosedRange<Value>) -> @Sendable (Value) -> String? {
        { value in
            range.contains(value) ? nil : "must be between \(range.lowerBound) and \(range.upperBound), got \(value)"
        }
    }
}

extension Option {
    /// An option that may be left out (its value is then nil).
    package init<Wrapped: ArgumentValue>(_ name: String, _ valueName: String, help: String)
    where Value == Wrapped? {
        self.init(name, valueName, default: .some(nil), help: help,
                  expectation: Wrapped.expectation, parse: { Wrapped(argument: $0).map { $0 } })
    }

    /// An option that may be left out, within a range when given.
    package init<Wrapped: ArgumentValue & Comparable>(_ name: String, _ valueName: String,
                                                      in range: ClosedRange<Wrapped>,
                                                    help: String) where Value == Wrapped? {
        let check = Option<Wrapped>.within(range)
        self.init(name, valueName, default: .some(nil), help: help, expectation: Wrapped.expectation,
                  parse: { Wrapped(argument: $0).map { $0 } }, validate: { $0.flatMap(check) })
    }

    /// An optional option read by a custom parser (dates, for example).
    package init<Wrapped: Sendable>(_ name: String, _ valueName: String, help: String, expectation: String,
                                   parse: @escaping @Sendable (String) -> Wrapped?) where Value == Wrapped? {
        self.init(name, valueName, default: .some(nil), help: help, expectation: expectation,
                  parse: { parse($0).map { $0 } })
    }
}

extension Option where Value: CaseIterable & RawRepresentable, Value.RawValue == String {
    /// An option whose value is one of an enumeration's raw values.
    package init(_ name: String, default value: Value, help: String) {
        let names = Value.allCases.map(\.rawValue)
        self.init(name, names.joined(separator: "|"), default: value, defaultText: value.rawValue, help: help,
                  expectation: "one of \(names.joined(separator: ", "))", parse: Value.init(rawValue:))
    }
}

/// A `--name` switch without a value.
package struct Flag: OptionDeclaration {
    package let specification: OptionSpecification

    package init(_ name: String, help: String) {
        specification = OptionSpecification(name: name, valueName: nil, help: help, defaultText: nil, isRequired: false,
                                            problem: { _ in nil })
    }

    package var specifications: [OptionSpecification] { [specification] }
    package var name: String { specification.name }
}

/// Options that several commands share (seed, threads, output), declared once.
package struct OptionGroup: OptionDeclaration {
    package let specifications: [OptionSpecification]

    package init(_ members: [any OptionDeclaration]) {
        specifications = members.flatMap(\.specifications)
    }
}
