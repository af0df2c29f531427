/// A declared positional argument.
package struct ArgumentSpecification: Sendable {
    package var name: String
    package var help: String
    package var isRequired: Bool

    package init(_ name: String, help: String, isRequired: Bool = true) {
        self.name = name
        self.help = help
        self.isRequired = isRequired
    }
}

/// What a command accepts, and the text of its `--help`.
package struct CommandSpecification: Sendable {
    package var name: String
    package var abstract: String
    package var discussion: String
    package var options: [OptionSpecification]
    package var arguments: [ArgumentSpecification]

    /// The width help is wrapped to.
    package static let helpWidth = 80

    package init(name: String, abstract: String, discussion: String = "",
                options: [any OptionDeclaration] = [], arguments: [ArgumentSpecification] = []) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options.flatMap(\.specifications)
        self.arguments = arguments
        let names = self.options.map(\.name)
        precondition(Set(names).count == names.count, "\(name): an option is declared twice")
    }

    /// The one-line usage: required options spelled out, the rest as `[options]`.
    package func usageLine(toolName: String) -> String {
        var usage = "USAGE: \(toolName) \(name)"
        for argument in arguments { usage += argument.isRequired ? " <\(argument.name)>" : " [<\(argument.name)>]" }
        for option in options where option.isRequired { usage += " \(option.synopsis)" }
        if options.contains(where: { !$0.isRequired }) { usage += " [options]" }
        return usage
    }

    /// The usage line and the option table, wrapped at 80 columns.
    package func help(toolName: String) -> String {
        var lines = Self.wrap("OVERVIEW: \(abstract)", indent: 0) + [""]
        if !discussion.isEmpty {
            for paragraph in Self.paragraphs(discussion) { lines += Self.wrap(paragraph, indent: 0) + [""] }
        }
        lines += Self.wrap(usageLine(toolName: toolName), indent: 7)
        if !arguments.isEmpty {
            lines += ["", "ARGUMENTS:"]
            for argument in arguments { lines += Self.row("<\(argument.name)>", argument.help) }
        }
        lines += ["", "OPTIONS:"]
        for option in options {
            var text = option.help
            if option.isRequired { text += " (required)" }
            if let d = option.defaultText { text += " (default: \(d))" }
            lines += Self.row(option.synopsis, text)
        }
        lines += Self.row("-h, --help", "Show help information.")
        return lines.joined(separator: "\n")
    }

    private static let column = 30

    /// Paragraphs separated by blank lines, each joined into one line.
    static func paragraphs(_ text: String) -> [String] {
        var result: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " }) {
                if !current.isEmpty { result.append(current.joined(separator: " ")); current = [] }
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: " ")) }
        return result
    }

    /// An option row: the option, then its help wrapped in a column of its own.
    private static func row(_ left: String, _ right: String) -> [String] {
        let body = wrap(right, width: helpWidth - column, indent: 0)
        let pad = String(repeating: " ", count: column)
        var lines: [String]
        if left.count + 4 > column {
            lines = ["  " + left] + body.map { pad + $0 }
        } else {
            lines = ["  " + left + String(repeating: " ", count: column - 2 - left.count) + body[0]]
            lines += body.dropFirst().map { pad + $0 }
        }
        return lines
    }

    /// Greedy word wrap; continuation lines are indented by `indent` spaces.
    static func wrap(_ text: String, width: Int = helpWidth, indent: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let limit = lines.isEmpty ? width : width - indent
            if !current.isEmpty && current.count + 1 + word.count > limit {
                lines.append(current)
                current = String(word)
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        lines.append(current)
        let pad = String(repeating: " ", count: indent)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : pad + $0.element }
    }
}
