/// A command-line usage error: the message, and the help of the command it concerns.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var usage: String

    public init(_ message: String, usage: String) {
        self.message = message
        self.usage = usage
    }

    public var description: String { "error: \(message)\n\n\(usage)" }
}

/// The options and arguments given to one command, checked against its specification.
public struct ParsedArguments: Sendable {
    public let specification: CommandSpecification
    public let usage: String
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    public private(set) var positional: [String] = []
    /// Whether `--help` was asked for.
    public private(set) var wantsHelp = false

    /// Parses `arguments` (without the tool and command names).
    public init(_ arguments: [String], specification: CommandSpecification, toolName: String) throws(UsageError) {
        self.specification = specification
        usage = specification.help(toolName: toolName)
        var i = 0
        var onlyPositional = false
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if onlyPositional || !argument.hasPrefix("-") || argument == "-" {
                positional.append(argument)
                continue
            }
            if argument == "--" { onlyPositional = true; continue }
            if argument == "-h" || argument == "--help" { wantsHelp = true; continue }
            guard argument.hasPrefix("--") else { throw UsageError("unknown option '\(argument)'", usage: usage) }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let option = specification.options.first(where: { $0.name == name }) else {
                throw UsageError("unknown option '--\(name)'", usage: usage)
            }
            if option.isFlag {
                if inlineValue != nil { throw UsageError("option '--\(name)' takes no value", usage: usage) }
                flags.insert(name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard i < arguments.count, !arguments[i].hasPrefix("--") else {
                    throw UsageError("option '--\(name)' needs a value <\(option.valueName!)>", usage: usage)
                }
                value = arguments[i]
                i += 1
            }
            if values[name] != nil { throw UsageError("option '--\(name)' given twice", usage: usage) }
            values[name] = value
        }
        if wantsHelp { return }
        let required = specification.arguments.filter(\.isRequired).count
        if positional.count < required {
            throw UsageError("missing argument <\(specification.arguments[positional.count].name)>", usage: usage)
        }
        if positional.count > specification.arguments.count {
            throw UsageError("unexpected argument '\(positional[specification.arguments.count])'", usage: usage)
        }
    }

    /// The option's value, or its default.
    public func string(_ name: String) -> String? {
        values[name] ?? specification.options.first { $0.name == name }?.defaultValue
    }

    /// Whether the option was given on the command line (not defaulted).
    public func wasGiven(_ name: String) -> Bool { values[name] != nil || flags.contains(name) }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func positional(_ index: Int) -> String? { index < positional.count ? positional[index] : nil }

    /// An integer option within a range.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(String(text.filter { $0 != "_" })) else {
            throw UsageError("option '--\(name)' expects a whole number, got '\(text)'", usage: usage)
        }
        guard range.contains(value) else {
            throw UsageError("option '--\(name)' must be between \(range.lowerBound) and \(range.upperBound), got \(value)", usage: usage)
        }
        return value
    }

    /// A number option within a range.
    public func double(_ name: String, in range: ClosedRange<Double>) throws(UsageError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw UsageError("option '--\(name)' expects a number, got '\(text)'", usage: usage)
        }
        guard range.contains(value) else {
            throw UsageError("option '--\(name)' must be between \(range.lowerBound) and \(range.upperBound), got \(value)", usage: usage)
        }
        return value
    }

    /// An option whose value must be one of `choices`.
    public func choice(_ name: String, _ choices: [String]) throws(UsageError) -> String? {
        guard let text = string(name) else { return nil }
        guard choices.contains(text) else {
            throw UsageError("option '--\(name)' must be one of \(choices.joined(separator: ", ")), got '\(text)'", usage: usage)
        }
        return text
    }
}
