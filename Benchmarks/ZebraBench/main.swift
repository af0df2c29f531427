import DiseaseModeling
import FHIRExport
import Foundation
import Learning
import Parallelism
import Serialization
import Simulation
import TemplateLearning
import Timelines
import ZebraSupport

/// zebra-bench: end-to-end simulation + FHIR ndjson throughput and peak memory; and (`vae`) the
/// sequence model's training and sampling throughput.
///
///     swift run -c release zebra-bench [simulate] [--patients N] [--disease ID ...] [--threads T]
///         [--paths template,default] [--out DIR] [--keep]
///     swift run -c release zebra-bench vae [--hidden 64,128] [--threads 1,2] [--epochs 8]
///
/// For each disease it simulates N patients (default 10,000), writes Bulk ndjson to a staging
/// folder under Output/bench, and prints patients/s, resources/s, MB/s and the process's peak RSS,
/// for each generation path side by side in one run: template only, and the default path
/// (template + the shipped model, `DiseaseModels/<id>.model`), with the default's share.
struct Options {
    var patients = 10_000
    var diseases: [String] = []
    var threads = defaultThreadCount
    var keep = false
    var models = "DiseaseModels"
    var paths = ["template", "default"]
    /// Where the staging folders go: a tmpfs such as /dev/shm measures generation "to memory".
    var out = "Output/bench"

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
            case "--out": out = value()
            case "--paths":
                paths = value().split(separator: ",").map(String.init)
                guard !paths.isEmpty, paths.allSatisfy({ ["template", "default"].contains($0) }) else {
                    fail("--paths takes template, default or both, comma-separated")
                }
            case "-h", "--help":
                print("usage: zebra-bench [--patients N] [--disease ID]... [--threads T] [--templates DIR] "
                    + "[--paths template,default] [--out DIR] [--keep]")
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
print("disease            path        patients/s   resources/s      MB/s   resources        MB   seconds  peak RSS MB")
var totalResources = 0, totalSeconds = 0.0

/// The generator of a path: the template alone, or the default path: the shipped model, which is a
/// learned template (simulated like the template, on its learned numbers) or a sequence model.
func generator(_ path: String, template: DiseaseTemplate,
               simulator: CohortSimulator) -> (@Sendable (Int) -> PatientTimeline)? {
    guard path == "default" else { return { simulator.patient($0).timeline } }
    let file = (options.models as NSString).appendingPathComponent("\(template.id).model")
    guard FileManager.default.fileExists(atPath: file), let bytes = try? readFileBytes(file) else { return nil }
    if LearnedTemplate.isLearnedTemplate(bytes) {
        do {
            let learned = try LearnedTemplate.decode(bytes, file: file, template: template).apply(to: template)
            let learnedSimulator = CohortSimulator(template: learned, options: simulator.options)
            return { learnedSimulator.patient($0).timeline }
        } catch { fail(error.message) }
    }
    do {
        let model = try ModelCheckpoint.decode(bytes, file: file, template: template).model()
        let generator = ModelGenerator(simulator: simulator, model: model)
        return { generator.patient($0).timeline }
    } catch { fail(error.message) }
}

for id in ids {
    let template: DiseaseTemplate
    do { template = try library.template(id: id) } catch { fail(error.description) }
    let simulator = CohortSimulator(template: template, options: SimulationOptions(seed: 1))
    let serializer = FHIRSerializer(concepts: simulator.concepts.table, source: "urn:zebra:bench")
    var rates: [String: Double] = [:]
    for path in options.paths {
        guard let generate = generator(path, template: template, simulator: simulator) else {
            print("\(id): no shipped model, so no default-path row")
            continue
        }
        let out = "\(options.out)/\(id)-\(path)"
        do {
            let staged = try StagedDirectory(path: out, replaceExisting: true)
            let summary = try CohortExport(format: .ndjson, serializer: serializer, threads: options.threads)
                .write(count: options.patients, into: staged, generate: generate)
            if options.keep { try staged.commit() } else { staged.discard() }
            let mb = Double(summary.bytes) / 1_000_000
            totalResources += summary.resources
            totalSeconds += summary.seconds
            rates[path] = Double(summary.resources) / summary.seconds
            let cells = [
                id.padding(toLength: 18, withPad: " ", startingAt: 0),
                path.padding(toLength: 9, withPad: " ", startingAt: 0),
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
    if let plain = rates["template"], let model = rates["default"] {
        print(String(format: "%@: the default path runs at %.0f %% of template-only throughput",
                     id, 100 * model / plain))
    }
}
print(String(format: "all runs: %.0f resources/s end to end; peak RSS %.1f MB",
             Double(totalResources) / totalSeconds, peakResidentMegabytes() ?? .nan))
