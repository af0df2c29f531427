import Calibration
import CommandLineParsing
import Foundation
import Parallelism

struct CalibrateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "calibrate", abstract: "Compare a template's simulated cohort with published natural-history figures.",
        options: [disease, patients, seed, Shared.threads, Shared.templates])

    static let disease = Option<String>("disease", "id", default: "friedreich-ataxia", help: "Template id.")
    static let patients = Option<Int>("patients", "n", default: 4000, in: 100...10_000_000,
                                      help: "Patients per simulated cohort.")
    static let seed = Option<Int>("seed", "n", default: 2024, in: 0...Int.max, help: "Random seed.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let template = try loadTemplate(arguments[Self.disease], arguments)
        let patients = arguments[Self.patients]
        let seed = arguments[Self.seed]
        let threads = Shared.threads(arguments)
        let report = try Calibration.run(template: template, patients: patients, seed: UInt64(seed), threads: threads)
        console.print(report.table())
        return report.allPassed ? 0 : 1
    }
}
