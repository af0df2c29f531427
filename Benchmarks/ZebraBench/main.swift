import DiseaseModeling
import FHIRExport
import Foundation
import Parallelism
import Serialization
import Simulation
import ZebraSupport

/// zebra-bench: end-to-end simulation + FHIR ndjson throughput and peak memory; and (`vae`) the
/// sequence model's training and sampling throughput.
///
///     swift run -c release zebra-bench [simulate] [--patients N] [--disease ID ...] [--threads T] [--keep]
///     swift run -c release zebra-bench vae [--hidden 64,128] [--threads 1,2] [--epochs 8]
///
/// For each disease it simulates N patients (default 10,000), writes Bulk ndjson to a staging
/// folder under Output/bench, and prints patients/s, resources/s, MB/s and the process's peak RSS.
struct Options {
    var patients = 10_000
    var diseases: [String] = []
    var threads = defaultThreadCount
    var keep = false
    var models = "DiseaseModels"

    init(_ arguments: [String]) {
        var i = 0
        func value() -> String {
            i += 1
            guard i < arguments.count else { fail("missing value after \(arguments[i - 1])") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--patients": patients = Int(value()) ?? { fail("--patients expects a number") }()
            case "--disease": diseases.append(value())
            case "--threads": threads = Int(value()) ?? { fail("--threads expects a number") }()
            case "--templates": models = value()
            case "--keep": keep = true
            case "-h", "--help":
                print("usage: zebra-bench [--patients N] [--disease ID]... [--threads T] [--templates DIR] [--keep]")
                exit(0)
            default: fail("unknown argument \(arguments[i])")
            }
            i += 1
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("zebra-bench: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "vae" {
    var benchmark = VAEBenchmark()
    var i = 1
    while i < arguments.count {
        let value = i + 1 < arguments.count ? arguments[i + 1] : ""
        switch arguments[i] {
        case "--disease": benchmark.disease = value
        case "--patients": benchmark.patients = Int(value) ?? benchmark.patients
        case "--hidden": benchmark.hiddenSizes = value.split(separator: ",").compactMap { Int($0) }
        case "--epochs": benchmark.epochs = Int(value) ?? benchmark.epochs
        case "--threads": benchmark.threadCounts = value.split(separator: ",").compactMap { Int($0) }
        case "--samples": benchmark.samplePatients = Int(value) ?? benchmark.samplePatients
        case "--templates": benchmark.models = value
        default: fail("unknown argument \(arguments[i]) (vae options: --disease --patients "
            + "--hidden 64,128 --epochs --threads 1,2 --samples --templates)")
        }
        i += 2
    }
    do { try benchmark.run() } catch { fail("\(error)") }
    exit(0)
}
if arguments.first == "simulate" { arguments.removeFirst() }
let options = Options(arguments)
let library = TemplateLibrary(directory: options.models)
let ids = options.diseases.isEmpty ? ["friedreich-ataxia", "fabry", "gaucher"] : options.diseases
print("zebra-bench: \(options.patients) patients per disease, \(options.threads) threads, ndjson, "
    + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
print("disease              patients/s   resources/s      MB/s   resources        MB   seconds  peak RSS MB")
var totalResources = 0, totalSeconds = 0.0
for id in ids {
    let template: DiseaseTemplate
    do { template = try library.template(id: id) } catch { fail(error.description) }
    let simulator = CohortSimulator(template: template, options: SimulationOptions(seed: 1))
    let serializer = FHIRSerializer(concepts: simulator.concepts.table, source: "urn:zebra:bench")
    let out = "Output/bench/\(id)"
    do {
        let staged = try StagedDirectory(path: out, replaceExisting: true)
        let summary = try CohortExport(format: .ndjson, serializer: serializer, threads: options.threads)
            .write(count: options.patients, into: staged, generate: { simulator.patient($0).timeline })
        if options.keep { try staged.commit() } else { staged.discard() }
        let mb = Double(summary.bytes) / 1_000_000
        totalResources += summary.resources
        totalSeconds += summary.seconds
        let cells = [
            id.padding(toLength: 18, withPad: " ", startingAt: 0),
            String(format: "%12.0f", Double(summary.patients) / summary.seconds),
            String(format: "%13.0f", Double(summary.resources) / summary.seconds),
            String(format: "%9.1f", mb / summary.seconds),
            String(format: "%11d", summary.resources),
            String(format: "%9.1f", mb),
            String(format: "%9.2f", summary.seconds),
            String(format: "%12.1f", peakResidentMegabytes() ?? .nan),
        ]
        print(cells.joined(separator: " "))
    } catch {
        fail(error.message)
    }
}
print(String(format: "all diseases: %.0f resources/s end to end; peak RSS %.1f MB",
             Double(totalResources) / totalSeconds, peakResidentMegabytes() ?? .nan))
