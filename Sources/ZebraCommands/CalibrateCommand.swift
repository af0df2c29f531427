import Calibration
import CommandLineParsing
import Foundation
import Parallelism

struct CalibrateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "calibrate", abstract: "Compare a template's simulated cohort with published natural-history figures.",
        options: [
            .value("disease", "id", help: "Template id.", default: "friedreich-ataxia"),
            .value("patients", "n", help: "Patients per simulated cohort.", default: "4000"),
            .value("seed", "n", help: "Random seed.", default: "2024"),
            .value("threads", "n", help: "Worker threads (default: all cores)."),
            templatesOption,
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let template = try loadTemplate(arguments.string("disease")!, arguments)
        let patients = try arguments.integer("patients", in: 100...10_000_000)!
        let seed = try arguments.integer("seed", in: 0...Int.max)!
        let threads = try arguments.integer("threads", in: 1...1024) ?? defaultThreadCount
        let report = try Calibration.run(template: template, patients: patients, seed: UInt64(seed), threads: threads)
        console.print(report.table())
        return report.allPassed ? 0 : 1
    }
}
