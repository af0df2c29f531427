/// A declared option of a command: `--name VALUE` or a `--flag`.
public struct OptionSpecification: Sendable {
    public var name: String
    public var valueName: String?
    public var help: String
    public var defaultValue: String?

    /// An option that takes a value.
    public static func value(_ name: String, _ valueName: String, help: String, default defaultValue: String? = nil) -> OptionSpecification {
        OptionSpecification(name: name, valueName: valueName, help: help, defaultValue: defaultValue)
    }

    /// An option without a value.
    public static func flag(_ name: String, help: String) -> OptionSpecification {
        OptionSpecification(name: name, valueName: nil, help: help, defaultValue: nil)
    }

    public var isFlag: Bool { valueName == nil }
}

/// A declared positional argument.
public struct ArgumentSpecification: Sendable {
    public var name: String
    public var help: String
    public var isRequired: Bool

    public init(_ name: String, help: String, isRequired: Bool = true) {
        self.name = name
        self.help = help
        self.isRequired = isRequired
    }
}

/// What a command accepts, and the text of its `--help`.
public struct CommandSpecification: Sendable {
    public var name: String
    public var abstract: String
    public var discussion: String
    public var options: [OptionSpecification]
    public var arguments: [ArgumentSpecification]

    public init(name: String, abstract: String, discussion: String = "",
                options: [OptionSpecification] = [], arguments: [ArgumentSpecification] = []) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
    }

    /// The usage line and option table.
    public func help(toolName: String) -> String {
        var usage = "USAGE: \(toolName) \(name)"
        for argument in arguments { usage += argument.isRequired ? " <\(argument.name)>" : " [<\(argument.name)>]" }
        if !options.isEmpty { usage += " [options]" }
        var lines = ["OVERVIEW: \(abstract)", ""]
        if !discussion.isEmpty { lines += [discussion, ""] }
        lines.append(usage)
        if !arguments.isEmpty {
            lines += ["", "ARGUMENTS:"]
            for argument in arguments { lines.append(Self.row("<\(argument.name)>", argument.help)) }
        }
        lines += ["", "OPTIONS:"]
        for option in options {
            var left = "--\(option.name)"
            if let v = option.valueName { left += " <\(v)>" }
            var text = option.help
            if let d = option.defaultValue { text += " (default: \(d))" }
            lines.append(Self.row(left, text))
        }
        lines.append(Self.row("-h, --help", "Show help information."))
        return lines.joined(separator: "\n")
    }

    private static func row(_ left: String, _ right: String) -> String {
        let pad = 30
        if left.count + 2 >= pad { return "  \(left)\n" + String(repeating: " ", count: pad) + right }
        return "  " + left + String(repeating: " ", count: pad - 2 - left.count) + right
    }
}
