import Testing
@testable import CommandLineParsing

enum Shape: String, CaseIterable, Sendable { case circle, square }

enum Options {
    static let patients = Option<Int>("patients", "n", default: 1000, in: 1...1_000_000, help: "Number of patients.")
    static let rate = Option<Double?>("rate", "x", in: 0...1, help: "A rate.")
    static let name = Option<String>.required("name", "text", help: "A name.")
    static let shape = Option<Shape>("shape", default: .circle, help: "A shape.")
    static let model = Option<String?>("model", "file", help: "A model.")
    static let verbose = Flag("verbose", help: "Say more.")
    static let common = OptionGroup([model, verbose])
    static let command = CommandSpecification(
        name: "demo", abstract: "A demonstration command.",
        discussion: "A long discussion that goes on and on so that it has to be wrapped at eighty columns, like every "
            + "other paragraph of help that Zebra prints.\n\nA second paragraph.",
        options: [patients, rate, name, shape, common])
}

@Suite struct ParsedArgumentsTests {
    func parse(_ words: [String]) throws(UsageError) -> ParsedArguments {
        try ParsedArguments(words, specification: Options.command, toolName: "zebra")
    }

    func problem(_ words: [String]) -> String {
        do { _ = try parse(words); return "" } catch { return error.description }
    }

    @Test func typedValuesAndDefaults() throws {
        let a = try parse(["--name", "x", "--patients", "2_500", "--rate=0.25", "--shape", "square", "--verbose"])
        #expect(a[Options.patients] == 2500)
        #expect(a[Options.rate] == 0.25)
        #expect(a[Options.name] == "x")
        #expect(a[Options.shape] == .square)
        #expect(a[Options.verbose])
        #expect(a[Options.model] == nil)
        let b = try parse(["--name", "y"])
        #expect(b[Options.patients] == 1000)
        #expect(b[Options.rate] == nil)
        #expect(b[Options.shape] == .circle)
        #expect(!b[Options.verbose])
        #expect(!b.wasGiven(Options.patients))
    }

    @Test func requiredOptionsAreChecked() {
        let message = problem(["--patients", "3"])
        #expect(message.contains("missing option '--name <text>'"))
        #expect(message.contains("USAGE: zebra demo --name <text> [options]"))
        #expect(message.contains("See 'zebra demo --help'"))
    }

    @Test(arguments: [
        (["--name", "a", "--patients", "many"], "option '--patients' expects a whole number, got 'many'"),
        (["--name", "a", "--patients", "0"], "option '--patients' must be between 1 and 1000000, got 0"),
        (["--name", "a", "--rate", "nan"], "option '--rate' expects a number, got 'nan'"),
        (["--name", "a", "--rate", "2"], "option '--rate' must be between 0.0 and 1.0, got 2.0"),
        (["--name", "a", "--shape", "cube"], "option '--shape' expects one of circle, square, got 'cube'"),
        (["--name", "a", "--modle", "m"], "unknown option '--modle'; did you mean '--model'?"),
        (["--name", "a", "--pateints", "3"], "did you mean '--patients'?"),
        (["--name", "a", "--name", "b"], "option '--name' given twice"),
        (["--name"], "option '--name' needs a value <text>"),
        (["--name", "a", "--verbose=yes"], "option '--verbose' takes no value"),
        (["--name", "a", "extra"], "unexpected argument 'extra'"),
    ])
    func mistakesAreNamed(words: [String], message: String) {
        let text = problem(words)
        #expect(text.hasPrefix("error: "))
        #expect(text.contains(message), "\(text)")
    }

    @Test func farOffNamesGetNoSuggestion() {
        let text = problem(["--name", "a", "--zzzzzzzz"])
        #expect(text.contains("unknown option '--zzzzzzzz'"))
        #expect(!text.contains("did you mean"))
    }

    @Test func negativeNumbersAreValues() throws {
        let effect = Option<Double?>("effect", "x", in: -10...10, help: "An effect.")
        let spec = CommandSpecification(name: "demo", abstract: "Demo.", options: [effect])
        let a = try ParsedArguments(["--effect", "-0.5"], specification: spec, toolName: "zebra")
        #expect(a[effect] == -0.5)
    }

    @Test func helpIsWrappedAtEightyColumns() {
        let help = Options.command.help(toolName: "zebra")
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 12)
        for line in lines { #expect(line.count <= 80, "\(line)") }
        #expect(help.contains("--patients <n>"))
        #expect(help.contains("(default: 1000)"))
        #expect(help.contains("--name <text>               A name. (required)"))
        #expect(help.contains("--shape <circle|square>"))
        #expect(help.contains("\nA second paragraph.\n"))
    }

    @Test func wrappingKeepsEveryWord() {
        let text = (1...60).map { "word\($0)" }.joined(separator: " ")
        let lines = CommandSpecification.wrap(text, width: 40, indent: 4)
        #expect(lines.count > 5)
        for line in lines { #expect(line.count <= 40) }
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("    ") })
        let words = lines.flatMap { $0.split(separator: " ") }.map(String.init)
        #expect(words == text.split(separator: " ").map(String.init))
    }

    @Test(arguments: [("model", "models", 1), ("kitten", "sitting", 3), ("", "abc", 3), ("same", "same", 0)])
    func editDistances(a: String, b: String, distance: Int) {
        #expect(editDistance(a, b) == distance)
    }
}
