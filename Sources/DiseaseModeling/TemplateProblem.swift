/// One problem found in a template: where it is and what is wrong.
public struct TemplateProblem: Sendable, Hashable, CustomStringConvertible {
    /// The template file (as given by the caller).
    public var file: String
    /// A JSON path such as `$.measures[2].slope.effects[0].attribute`.
    public var path: String
    /// The 1-based line of the value the problem is about (0 when unknown).
    public var line: Int
    public var message: String

    public init(file: String, path: String, line: Int, message: String) {
        self.file = file
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line): \(path): \(message)" : "\(file): \(path): \(message)"
    }
}

/// A template that could not be loaded, with every problem found (not only the first).
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [TemplateProblem]

    public init(file: String, problems: [TemplateProblem]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        let count = problems.count
        let header = "\(file): \(count) problem\(count == 1 ? "" : "s") found"
        return ([header] + problems.map { "  " + $0.description }).joined(separator: "\n")
    }
}
