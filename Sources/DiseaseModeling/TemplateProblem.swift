import Serialization

/// One problem found in a template: where it is and what is wrong.
public typealias TemplateProblem = DocumentProblem

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
