import CommandLineParsing
import DiseaseModeling
import Foundation
import ZebraSupport

/// A failure that ends a command: the message for stderr and the exit code.
public struct CommandError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}

/// Where commands write: standard output and standard error (tests can capture them).
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    public private(set) var captured: String?
    private var capturedError: String?

    /// A console that writes to the process's stdout/stderr.
    public static let standard = Console(capturing: false)

    public init(capturing: Bool) {
        captured = capturing ? "" : nil
        capturedError = capturing ? "" : nil
    }

    public var errorOutput: String { capturedError ?? "" }

    public func print(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        if captured != nil { captured! += text + "\n" } else { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    }

    public func error(_ text: String, newline: Bool = true) {
        lock.lock(); defer { lock.unlock() }
        let t = newline ? text + "\n" : text
        if capturedError != nil { capturedError! += t } else { FileHandle.standardError.write(Data(t.utf8)) }
    }

    /// Whether progress may redraw one line (stderr is a terminal).
    public var isInteractive: Bool { capturedError == nil && isatty(2) != 0 }
}

/// A runnable subcommand.
protocol ZebraCommand {
    static var specification: CommandSpecification { get }
    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32
}

let templatesOption = OptionSpecification.value("models", "dir", help: "Folder of disease templates (default: ./DiseaseModels, $ZEBRA_DISEASE_MODELS, or beside the executable).")

func templateLibrary(_ arguments: ParsedArguments) throws(CommandError) -> TemplateLibrary {
    guard let library = TemplateLibrary.locate(explicit: arguments.string("models")) else {
        throw CommandError("cannot find the DiseaseModels folder; run from the repository root or pass --models DIR")
    }
    return library
}

func loadTemplate(_ id: String, _ arguments: ParsedArguments) throws(CommandError) -> DiseaseTemplate {
    let library = try templateLibrary(arguments)
    do { return try library.template(id: id) } catch {
        throw CommandError(error.description)
    }
}

func formatRate(_ x: Double) -> String {
    x >= 100 ? formatCount(Int(x.rounded())) : String(format: "%.1f", x)
}
