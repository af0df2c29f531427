import Serialization

/// One problem found in a template: where it is and what is wrong.
package typealias TemplateProblem = DocumentProblem

/// A template that could not be loaded, with every problem found (not only the first).
package struct TemplateError: Error, Sendable, CustomStringConvertible {
    package var file: String
    package var problems: [TemplateProblem]

    package init(file: String, problems: [TemplateProblem]) {
        self.file = file
        self.problems = problems
    }

    package var description: String {
        let count = problems.count
        let header = "\(file): \(count) problem\(count == 1 ? "" : "s") found"
        return ([header] + problems.map { "  " + $0.description }).joined(separator: "\n")
    }
}
