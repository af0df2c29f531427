import CommandLineParsing
import DiseaseModeling
import Learning
import TemplateLearning
import Foundation
import Parallelism
import Simulation
import Timelines
import ZebraSupport

/// A failure that ends a command: the message for stderr and the exit code.
package struct CommandError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var exitCode: Int32

    package init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    package var description: String { message }
}

/// Where commands write: standard output and standard error (tests can capture them).
package final class Console: @unchecked Sendable {
    private let lock = NSLock()
    package private(set) var captured: String?
    private var capturedError: String?

    /// A console that writes to the process's stdout/stderr.
    package static let standard = Console(capturing: false)

    package init(capturing: Bool) {
        captured = capturing ? "" : nil
        capturedError = capturing ? "" : nil
    }

    package var errorOutput: String { capturedError ?? "" }

    package func print(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        if captured != nil {
            captured! += text + "\n"
        } else {
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }
    }

    package func error(_ text: String, newline: Bool = true) {
        lock.lock(); defer { lock.unlock() }
        let t = newline ? text + "\n" : text
        if capturedError != nil { capturedError! += t } else { FileHandle.standardError.write(Data(t.utf8)) }
    }

    /// Whether progress may redraw one line (stderr is a terminal).
    package var isInteractive: Bool { capturedError == nil && isatty(2) != 0 }
}

/// A runnable subcommand.
protocol ZebraCommand {
    static var specification: CommandSpecification { get }
    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32
}

/// Options several commands share, declared once.
enum Shared {
    static let templates = Option<String?>(
        "templates", "dir",
        help: "Folder of disease templates (default: ./DiseaseModels, "
            + "$ZEBRA_DISEASE_MODELS, or beside the executable).")
    static let seed = Option<Int>("seed", "n", default: 1, in: 0...Int.max, help: "Random seed.")
    static let threads = Option<Int?>("threads", "n", in: 1...1024, help: "Worker threads (default: all cores).")
    static let overwrite = Flag("overwrite",
                                help: "Replace the output if Zebra wrote it (Zebra "
                                    + "never replaces what it did not write).")
    static let strict = Flag("strict", help: "Fail on any problem in the records instead of skipping the record.")
    static let model = Option<String?>(
        "model", "file",
        help: "A trained model ('zebra train') to generate with "
            + "(default: DiseaseModels/<disease>.model when it exists).")
    static let templateOnly = Flag("template-only",
                                   help: "Ignore any trained model: the template alone generates the records.")

    static let population = Option<String?>(
        "population", "id",
        help: "A population the template describes (e.g. 'japan' for multiple-system-atrophy; 'zebra diseases' "
            + "lists them): its published sex ratio and attribute mix replace the template's, and a trained "
            + "model's, for this cohort.")

    /// The seed as the generators take it.
    static func seed(_ arguments: ParsedArguments) -> UInt64 { UInt64(arguments[seed]) }

    /// The worker thread count: the option, else every core.
    static func threads(_ arguments: ParsedArguments) -> Int { arguments[threads] ?? defaultThreadCount }
}

/// A calendar date option (YYYY-MM-DD).
func dateOption(_ name: String, default day: String?, help: String) -> Option<CalendarDay?> {
    let option = Option<CalendarDay?>(name, "YYYY-MM-DD", default: .some(day.flatMap(CalendarDay.init(iso:))),
                                      defaultText: day, help: help, expectation: "a date YYYY-MM-DD",
                                      parse: { CalendarDay(iso: $0).map { Optional($0) } })
    return option
}

func templateLibrary(_ arguments: ParsedArguments) throws(CommandError) -> TemplateLibrary {
    guard let library = TemplateLibrary.locate(explicit: arguments[Shared.templates]) else {
        throw CommandError("cannot find the DiseaseModels folder; run from the repository root or pass --templates DIR")
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

/// Refuses an end date before anyone in the template could be born: such a run would write only
/// bare Patients, after minutes of work.
func checkEndDate(_ end: CalendarDay, template: DiseaseTemplate, usage: String) throws(UsageError) {
    let first = template.population.birthFrom
    guard end > first else {
        throw UsageError("option '--end-date' \(end.iso) is before the first birth template \"\(template.id)\" allows "
                             + "(\(first.iso), births \(first.iso) to \(template.population.birthTo.iso)): no patient "
                             + "would have a record",
            usage: usage)
    }
}

/// `--overwrite` replaces a model file only if it is a Zebra checkpoint.
func checkReplaceableModel(_ path: String) throws(CommandError) {
    guard FileManager.default.fileExists(atPath: path) else { return }
    let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 32)) ?? nil
    let text = head.map { String(decoding: $0, as: UTF8.self) } ?? ""
    guard text.hasPrefix(ModelCheckpoint.magic) || text.hasPrefix(LearnedTemplate.magic) else {
        throw CommandError("\(path) is not a Zebra model checkpoint, so "
            + "--overwrite will not replace it; choose another --out")
    }
}

/// The cohort composition `--population` and `--balance` ask for: the population's mix, with any
/// variable `--balance` names taken from it instead.
func cohortComposition(population: String?, balance: String?, template: DiseaseTemplate,
                       usage: String) throws(UsageError) -> Composition? {
    var result: Composition?
    if let population {
        guard let variant = template.population.variant(population) else {
            let known = template.population.variants.map(\.id)
            throw UsageError("option '--population': \"\(template.id)\" describes "
                + (known.isEmpty ? "no populations" : "the populations \(known.joined(separator: ", "))")
                + ", not \"\(population)\"", usage: usage)
        }
        result = Composition(population: variant)
    }
    if let balance {
        let chosen: Composition
        do { chosen = try Composition.parse(balance, template: template) } catch {
            throw UsageError("option '--balance': \(error.message)", usage: usage)
        }
        result = result.map { $0.overridden(by: chosen) } ?? chosen
    }
    return result
}
