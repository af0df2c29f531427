import Calibration
import CommandLineParsing
import Foundation
import Parallelism

struct CalibrateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "calibrate", abstract: "Compare a simulated cohort with published natural-history figures.",
        discussion: """
        Simulates on the default path (the template learned into DiseaseModels/<disease>.model, or
        --model) unless --template-only, and compares every figure with its published target.
        """,
        options: [disease, patients, seed, Shared.threads, Shared.model, Shared.templateOnly, Shared.templates])

    static let disease = Option<String>("disease", "id", default: "friedreich-ataxia", help: "Template id.")
    static let patients = Option<Int>("patients", "n", default: 4000, in: 100...10_000_000,
                                      help: "Patients per simulated cohort.")
    static let seed = Option<Int>("seed", "n", default: 2024, in: 0...Int.max, help: "Random seed.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let template = try loadTemplate(arguments[Self.disease], arguments)
        let patients = arguments[Self.patients]
        let seed = arguments[Self.seed]
        let threads = Shared.threads(arguments)
        let model = try loadModel(arguments, template: template, console: console)
        if model?.sequenceModel != nil {
            throw CommandError("calibrate reads whole simulated lives, which a sequence model does not generate; give "
                + "a learned template ('zebra train'), or --template-only")
        }
        let report = try Calibration.run(template: model?.template(base: template) ?? template, patients: patients,
                                         seed: UInt64(seed), threads: threads)
        console.print("generator: " + (model?.generation ?? "template only"))
        console.print(report.table())
        return report.allPassed ? 0 : 1
    }
}
