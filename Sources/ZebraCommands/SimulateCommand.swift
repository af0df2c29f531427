import CommandLineParsing
import DiseaseModeling
import FHIRExport
import Foundation
import Parallelism
import Serialization
import Simulation
import Timelines

struct SimulateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "simulate", abstract: "Simulate a cohort from a disease template and write it as FHIR R4.",
        discussion: """
        Each patient is simulated from birth to death (event to event) and recorded from diagnosis to
        the end date: visits, observations, diagnoses, complications and treatments. The same
        template, seed and options give byte-identical output whatever the thread count.
        """,
        options: [
            .value("disease", "id", help: "Template id (see 'zebra diseases').", default: "fabry"),
            .value("patients", "n", help: "Number of patients.", default: "1000"),
            .value("seed", "n", help: "Random seed.", default: "1"),
            .value("out", "dir", help: "Output folder (default: Output/<disease>)."),
            .value("format", "ndjson|bundle|transaction", help: "Bulk ndjson, one collection Bundle per patient, or one transaction Bundle per patient.", default: "ndjson"),
            .value("end-date", "YYYY-MM-DD", help: "Records end on this date; patients alive then are censored.", default: "2025-12-31"),
            .value("threads", "n", help: "Worker threads (default: all cores)."),
            .flag("overwrite", help: "Replace the output folder if it exists."),
            .flag("natural-history", help: "Nobody is treated: untreated natural history."),
            .flag("include-undiagnosed", help: "Keep patients not diagnosed by the end date (default: redraw them, as a registry would only see diagnosed patients)."),
            .flag("registry-extract", help: "Write registry-extract records: one enrolment mid-course, a few years of visits up to the end date (seed records for 'zebra train')."),
            .value("registry-opened", "YYYY-MM-DD", help: "With --registry-extract: the day the registry opened.", default: "2005-01-01"),
            .value("follow-up", "years", help: "With --registry-extract: mean years of follow-up before loss to follow-up.", default: "6"),
            templatesOption,
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let disease = arguments.string("disease")!
        let patients = try arguments.integer("patients", in: 1...100_000_000)!
        let seed = try arguments.integer("seed", in: 0...Int.max)!
        let format = FHIRFormat(rawValue: try arguments.choice("format", FHIRFormat.allCases.map(\.rawValue))!)!
        let threads = try arguments.integer("threads", in: 1...1024) ?? defaultThreadCount
        guard let endText = arguments.string("end-date"), let endDate = CalendarDay(iso: endText) else {
            throw UsageError("option '--end-date' expects a date YYYY-MM-DD, got '\(arguments.string("end-date") ?? "")'", usage: arguments.usage)
        }
        let template = try loadTemplate(disease, arguments)
        let out = arguments.string("out") ?? "Output/\(template.id)"
        var options = SimulationOptions(seed: UInt64(seed), endDate: endDate)
        options.treatmentsEnabled = !arguments.flag("natural-history")
        options.requireDiagnosis = !arguments.flag("include-undiagnosed")
        if arguments.flag("registry-extract") {
            guard let text = arguments.string("registry-opened"), let opened = CalendarDay(iso: text) else {
                throw UsageError("option '--registry-opened' expects a date YYYY-MM-DD", usage: arguments.usage)
            }
            options.registry = RegistryProtocol(opened: opened, meanFollowUpYears: try arguments.double("follow-up", in: 0.1...100)!)
        }
        let simulator = CohortSimulator(template: template, options: options)
        let serializer = FHIRSerializer(concepts: simulator.concepts.table,
                                        source: "urn:zebra:template:\(template.id):\(template.version)")
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: out, replaceExisting: arguments.flag("overwrite")) } catch {
            throw CommandError(error.message)
        }
        console.error("simulate: \(template.name) v\(template.version), \(formatCount(patients)) patients, seed \(seed), "
            + "\(format.rawValue) → \(directory.finalPath) (\(threads) threads)")
        let reporter = ProgressReporter(console: console, total: patients, label: "simulate")
        let summary: ExportSummary
        do {
            summary = try CohortExport(format: format, serializer: serializer, threads: threads)
                .write(count: patients, into: directory, generate: { simulator.patient($0).timeline },
                       progress: { done, s in reporter.update(done: done, resources: s.resources, seconds: s.seconds) })
            let info = runInfo(template: template, options: options, format: format, patients: patients, summary: summary)
            try writeFileAtomically(Array(info.utf8), to: directory.path(of: "zebra-run.txt"))
            try directory.commit()
        } catch {
            directory.discard()
            throw CommandError(error.message)
        }
        reporter.finish()
        console.error(summaryText(summary, path: directory.finalPath))
        return 0
    }

    static func runInfo(template: DiseaseTemplate, options: SimulationOptions, format: FHIRFormat,
                        patients: Int, summary: ExportSummary) -> String {
        var lines = [
            "generator: zebra simulate",
            "template: \(template.id) \(template.version) sha256:\(template.digest)",
            "patients: \(patients)",
            "seed: \(options.seed)",
            "end-date: \(options.endDate?.iso ?? "none")",
            "treatments: \(options.treatmentsEnabled ? "as in template" : "none (natural history)")",
            "diagnosed-only: \(options.requireDiagnosis)",
            "records: \(options.registry.map { "registry extract (opened \($0.opened.iso), mean follow-up \($0.meanFollowUpYears) y)" } ?? "from diagnosis")",
            "format: \(format.rawValue)",
        ]
        for type in ResourceType.allCases where summary.resourcesByType[type.rawValue] > 0 {
            lines.append("resources.\(type.name): \(summary.resourcesByType[type.rawValue])")
        }
        lines.append("note: synthetic data; every resource carries meta.security HTEST")
        return lines.joined(separator: "\n") + "\n"
    }

    static func summaryText(_ s: ExportSummary, path: String) -> String {
        let mb = Double(s.bytes) / 1_000_000
        var lines = ["wrote \(formatCount(s.patients)) patients, \(formatCount(s.resources)) resources, "
            + String(format: "%.1f MB in %.2f s", mb, s.seconds) + " → \(path)"]
        var parts: [String] = []
        for type in ResourceType.allCases where s.resourcesByType[type.rawValue] > 0 {
            parts.append("\(type.name) \(formatCount(s.resourcesByType[type.rawValue]))")
        }
        lines.append("  " + parts.joined(separator: ", "))
        if s.seconds > 0 {
            lines.append("  \(formatRate(Double(s.patients) / s.seconds)) patients/s, "
                + "\(formatRate(Double(s.resources) / s.seconds)) resources/s, "
                + String(format: "%.1f MB/s", mb / s.seconds))
        }
        return lines.joined(separator: "\n")
    }
}

/// A progress line on stderr: redrawn in place on a terminal, every 10 % otherwise.
final class ProgressReporter {
    let console: Console
    let total: Int
    let label: String
    private var lastPrint = Date.distantPast
    private var lastDecile = 0
    private var drewLine = false

    init(console: Console, total: Int, label: String) {
        self.console = console
        self.total = total
        self.label = label
    }

    func update(done: Int, resources: Int, seconds: Double) {
        let rate = seconds > 0 ? Double(resources) / seconds : 0
        let text = "\(label): \(formatCount(done))/\(formatCount(total)) patients (\(done * 100 / max(total, 1))%), "
            + "\(formatCount(resources)) resources, \(formatRate(rate)) resources/s"
        if console.isInteractive {
            guard Date().timeIntervalSince(lastPrint) > 0.25 || done == total else { return }
            lastPrint = Date()
            console.error("\r\u{1B}[K" + text, newline: false)
            drewLine = true
        } else if seconds > 2 {
            let decile = done * 10 / max(total, 1)
            if decile > lastDecile { lastDecile = decile; console.error(text) }
        }
    }

    func finish() {
        if drewLine { console.error("") }
    }
}
