import CommandLineParsing
import DiseaseModeling
import Foundation
import RecordChecks
import RecordImport

struct CheckRecordsCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "check-records", abstract: "Report every record that contradicts itself or its disease's rules.",
        discussion: """
        Reads FHIR R4 (Bulk ndjson or Bundles) or long-CSV records, real or synthetic, and checks
        each patient against the rules every template implies (nothing before birth or after death,
        values within bounds, a measure not recorded after the event that ends it, a one-time event
        once, no drug before it was available) and the rules the template states (for example:
        kidney failure with kidney function in the failure range). Prints, per rule, the
        violations, the patients and example patient ids. Exits 1 when a rule is broken.
        """,
        options: [disease, records, examples, Shared.templates])

    static let disease = Option<String?>("disease", "id", help: "Template id (default: the disease the records name).")
    static let records = Option<String>.required("records", "path", help: "Folder or file of records to check.")
    static let examples = Option<Int>("examples", "n", default: 3, in: 0...1000,
                                      help: "Example patients per broken rule.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let (template, records) = try readDiseaseRecords(arguments[Self.records], disease: arguments[Self.disease],
                                                         arguments, console: console)
        console.error(records.report.summary().replacingOccurrences(of: "\n", with: "; "))
        var checker = RecordChecker(template: template, concepts: records.concepts)
        checker.examplesPerRule = arguments[Self.examples]
        let report = checker.check(records.timelines)
        console.print(report.text())
        return report.allHold ? 0 : 1
    }
}
