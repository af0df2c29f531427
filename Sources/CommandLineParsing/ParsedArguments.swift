/// A command-line usage error: the message, the command's usage line and where to find more.
package struct UsageError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var usage: String

    package init(_ message: String, usage: String) {
        self.message = message
        self.usage = usage
    }

    package var description: String { "error: \(message)\n\(usage)" }
}

/// The options and arguments given to one command, checked against its specification: every
/// value is validated before the command runs, so a mistake costs no work.
package struct ParsedArguments: Sendable {
    package let specification: CommandSpecification
    /// The usage line and a pointer to the help, for errors found after parsing.
    package let usage: String
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    package private(set) var positional: [String] = []
    /// Whether `--help` was asked for.
    package private(set) var wantsHelp = false

    /// Parses `arguments` (without the tool and command names).
    package init(_ arguments: [String], specification: CommandSpecification, toolName: String) throws(UsageError) {
        self.specification = specification
        usage = specification.usageLine(toolName: toolName)
            + "\n  See '\(toolName) \(specification.name) --help' for every option."
        var i = 0
        var onlyPositional = false
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if onlyPositional || !argument.hasPrefix("-") || argument == "-" || Double(argument) != nil {
                positional.append(argument)
                continue
            }
            if argument == "--" { onlyPositional = true; continue }
            if argument == "-h" || argument == "--help" { wantsHelp = true; continue }
            guard argument.hasPrefix("--") else {
                throw UsageError("unknown option '\(argument)'" + suggestion(for: argument), usage: usage)
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let option = specification.options.first(where: { $0.name == name }) else {
                throw UsageError("unknown option '--\(name)'" + suggestion(for: name), usage: usage)
            }
            name = option.name
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
            if let problem = option.problem(value) { throw UsageError("option '--\(name)' \(problem)", usage: usage) }
            values[name] = value
        }
        if wantsHelp { return }
        for option in specification.options where option.isRequired && values[option.name] == nil {
            throw UsageError("missing option '\(option.synopsis)'", usage: usage)
        }
        let required = specification.arguments.filter(\.isRequired).count
        if positional.count < required {
            throw UsageError("missing argument <\(specification.arguments[positional.count].name)>", usage: usage)
        }
        if positional.count > specification.arguments.count {
            throw UsageError("unexpected argument '\(positional[specification.arguments.count])'", usage: usage)
        }
    }

    /// " (did you mean '--model'?)" for the declared option closest to a misspelt one.
    private func suggestion(for typed: String) -> String {
        let name = typed.drop { $0 == "-" }
        let scored = specification.options.map { ($0.name, editDistance(Array(name), Array($0.name))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else { return "" }
        return "; did you mean '--\(best.0)'?"
    }

    /// The option's value: the given one, else its default (nil for an optional option left out).
    package subscript<Value>(_ option: Option<Value>) -> Value {
        if let text = values[option.name], let value = option.convert(text) { return value }
        guard let fallback = option.fallback else {
            preconditionFailure("option --\(option.name) is required but was not checked")
        }
        return fallback
    }

    /// Whether a flag was given.
    package subscript(_ flag: Flag) -> Bool { flags.contains(flag.name) }

    /// Whether the option was given on the command line (not defaulted).
    package func wasGiven<Value>(_ option: Option<Value>) -> Bool { values[option.name] != nil }

    package func positional(_ index: Int) -> String? { index < positional.count ? positional[index] : nil }
}

/// Levenshtein distance, for suggestions.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// Levenshtein distance between two words, for "did you mean" suggestions.
package func editDistance(_ a: String, _ b: String) -> Int { editDistance(Array(a), Array(b)) }
