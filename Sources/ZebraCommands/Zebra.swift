import CommandLineParsing
import Foundation

/// The `zebra` command-line tool: dispatches to subcommands.
package enum Zebra {
    /// This release of Zebra (`zebra --version`).
    package static let version = "0.5.0"

    static var commands: [any ZebraCommand.Type] {
        [DiseasesCommand.self, SimulateCommand.self, ValidateTemplateCommand.self, CalibrateCommand.self,
         InspectRecordsCommand.self, CheckRecordsCommand.self, TrainCommand.self, ControlArmCommand.self,
         TrialSimCommand.self, SplitRecordsCommand.self, EvaluateCommand.self, ShowCommand.self,
         ProgressionCommand.self, CasesCommand.self, MergeCommand.self, FederatedInitCommand.self,
         FederatedUpdateCommand.self, FederatedAggregateCommand.self, FederatedSimulateCommand.self]
    }

    static var overview: String {
        var lines = [
            "OVERVIEW: Zebra generates synthetic patient records for rare diseases from disease-progression",
            "templates, and writes them as FHIR R4.",
            "",
            "USAGE: zebra <command> [options]",
            "       zebra --version",
            "",
            "COMMANDS:",
        ]
        for c in commands {
            let name = c.specification.name
            lines.append("  " + name + String(repeating: " ", count: max(2, 20 - name.count))
                + c.specification.abstract)
        }
        lines += ["", "See 'zebra <command> --help' for a command's options."]
        return lines.joined(separator: "\n")
    }

    /// "; did you mean 'simulate'?" for a misspelt command.
    static func suggestion(forCommand name: String) -> String {
        var best: (name: String, distance: Int)?
        for command in commands {
            let candidate = command.specification.name
            let distance = editDistance(name, candidate)
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= 3 else { return "" }
        return "; did you mean '\(best.name)'?"
    }

    /// Runs the tool with `arguments` (without the program name); returns the exit code.
    package static func main(_ arguments: [String], console: Console = .standard) -> Int32 {
        guard let first = arguments.first else {
            console.error(overview)
            return 64
        }
        if first == "--version" || first == "version" {
            console.print("zebra \(version)")
            return 0
        }
        if first == "--help" || first == "-h" || first == "help" {
            console.print(overview)
            return 0
        }
        // A command group ("federated init"): the group's name and the action name the command.
        var arguments = arguments, name = first
        if arguments.count >= 2, commands.contains(where: { $0.specification.name.hasPrefix(name + " ") }) {
            name += " " + arguments[1]
            arguments.removeFirst()
        }
        guard let command = commands.first(where: { $0.specification.name == name }) else {
            console.error("error: unknown command '\(name)'\(suggestion(forCommand: name))\n\n" + overview)
            return 64
        }
        do {
            let parsed = try ParsedArguments(Array(arguments.dropFirst()), specification: command.specification,
                                             toolName: "zebra")
            if parsed.wantsHelp {
                console.print(command.specification.help(toolName: "zebra"))
                return 0
            }
            return try command.run(parsed, console: console)
        } catch let error as UsageError {
            console.error(error.description)
            return 64
        } catch let error as CommandError {
            console.error("error: " + error.message)
            return error.exitCode
        } catch {
            console.error("error: \(error)")
            return 1
        }
    }
}
