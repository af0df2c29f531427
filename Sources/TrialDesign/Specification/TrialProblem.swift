import Serialization

/// One problem in a trial specification: file, line, JSON path and what is wrong.
package typealias TrialProblem = DocumentProblem

/// A trial specification that cannot be used, with every problem found.
package struct TrialSpecificationError: Error, Sendable, CustomStringConvertible {
    package var file: String
    package var problems: [TrialProblem]

    /// The problems found in `file`.
    package init(file: String, problems: [TrialProblem]) {
        self.file = file
        self.problems = problems
    }

    package var description: String {
        let n = problems.count
        if n == 1 { return problems[0].description }
        return (["\(file): \(n) problems found"] + problems.map { "  " + $0.description }).joined(separator: "\n")
    }
}

/// A failure of trial design work (no eligible patients, a treated arm that lacks a covariate,
/// a model that cannot be fitted), with a message meant for the person running the trial.
package struct TrialDesignError: Error, Sendable, CustomStringConvertible {
    package var message: String

    /// An error with a message for the user.
    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
