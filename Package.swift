// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Release builds of the two matrix-kernel modules drop bounds, overflow, precondition and
/// exclusivity checks: their inner loops index flat buffers, where the checks cost measurable
/// GEMM and training throughput (their tests still run with the checks, at -O in debug). Every
/// other module keeps them in release (plain -O): the JSON parser and the record importer read
/// untrusted files, and a failed check there must stop the run rather than read out of bounds.
let uncheckedInRelease: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// The matrix kernels are compiled for the building machine's vector units when it has AVX2 and
/// FMA (as a from-source tool, Zebra runs where it is built): about 1.7× faster GEMM than plain
/// x86-64. ZEBRA_PORTABLE=1 turns this off, for binaries meant for other machines.
let kernelTarget: [SwiftSetting] = {
    let environment = ProcessInfo.processInfo.environment
    guard environment["ZEBRA_PORTABLE"] == nil,
          let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
    let present = Set(flags.split(separator: " ").map(String.init))
    guard ["avx2", "fma", "bmi2"].allSatisfy(present.contains) else { return [] }
    return [.unsafeFlags(["-target-cpu", "haswell"])]
}()

/// Compute-heavy modules are optimised in debug builds too: `swift test` builds for debugging,
/// and statistical tests that train models or simulate thousands of lives would otherwise take
/// tens of minutes. Assertions and overflow checks stay on (-O, not -Ounchecked).
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// Each module's README.md says what it owns; it is documentation, not a resource.
let moduleReadme = ["README.md"]

/// A library module with the project's settings: release builds use the default -O with every
/// check on; `optimized` modules are built with -O in debug too.
func library(_ name: String, _ dependencies: [Target.Dependency] = [], optimized: Bool = false) -> Target {
    .target(name: name, dependencies: dependencies, exclude: moduleReadme,
            swiftSettings: optimized ? optimizedInDebug : [])
}

let package = Package(
    name: "Zebra",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "zebra", targets: ["zebra"]),
    ],
    targets: [
        // Foundations: shared utilities, random streams, parallel maps, JSON and files, statistics,
        // plots, CLI parsing.
        library("ZebraSupport", [], optimized: true),
        library("Randomness", ["ZebraSupport"], optimized: true),
        library("Parallelism"),
        library("Serialization"),
        library("Statistics", ["Randomness", "ZebraSupport"], optimized: true),
        library("Plotting", ["ZebraSupport"]),
        library("CommandLineParsing"),
        library("DifferentialPrivacy", ["Randomness"]),
        .target(name: "DenseKernels", exclude: moduleReadme,
                swiftSettings: optimizedInDebug + uncheckedInRelease + kernelTarget),
        .target(name: "NeuralNetworks", dependencies: ["DenseKernels", "Randomness"], exclude: moduleReadme,
                swiftSettings: optimizedInDebug + uncheckedInRelease),
        // The domain: timelines, templates, simulation, FHIR, calibration.
        library("Timelines"),
        library("DiseaseModeling", ["Randomness", "Serialization", "Timelines", "ZebraSupport"], optimized: true),
        library("Simulation", ["DiseaseModeling", "Parallelism", "Randomness", "Timelines", "ZebraSupport"],
                optimized: true),
        library("FHIRExport", ["Parallelism", "Serialization", "Timelines", "ZebraSupport"]),
        library("OMOPExport", ["DiseaseModeling", "Parallelism", "Serialization", "Timelines"]),
        library("FlatCSVExport", ["Parallelism", "Serialization", "Timelines"]),
        library("Calibration", ["DiseaseModeling", "Simulation", "Statistics", "Timelines"]),
        library("RecordImport", ["DiseaseModeling", "FlatCSVExport", "Parallelism", "Serialization", "Timelines",
                                 "ZebraSupport"]),
        library("RecordChecks", ["DiseaseModeling", "Timelines", "ZebraSupport"]),
        library("RecordDisplay", ["DiseaseModeling", "Plotting", "Timelines"]),
        library("ProgressionReport", ["DiseaseModeling", "Plotting", "RecordDisplay", "Serialization", "Statistics",
                                      "Timelines"]),
        library("TeachingCases", ["DiseaseModeling", "Plotting", "RecordDisplay", "Serialization", "Timelines"]),
        library("Learning", ["DifferentialPrivacy", "DiseaseModeling", "NeuralNetworks", "Parallelism", "Randomness",
                             "Serialization", "Simulation", "Statistics", "Timelines", "ZebraSupport"],
                optimized: true),
        // The default generator: a template learned from seed records (the template is the prior).
        library("TemplateLearning", ["DiseaseModeling", "Parallelism", "Randomness", "Serialization", "Simulation",
                                     "Statistics", "Timelines"], optimized: true),
        // Federated learning of a template across sites that keep their records.
        library("Federation", ["DifferentialPrivacy", "DiseaseModeling", "Randomness", "Serialization", "Simulation", "TemplateLearning",
                               "Timelines"]),
        // Trial design and evaluation reach a trained model only through Simulation's protocols
        // (ScheduledObservationGenerator, RecordLikelihood); ZebraCommands passes Learning's types in.
        library("TrialDesign", ["DiseaseModeling", "Parallelism", "Plotting", "Randomness", "Serialization",
                                "Simulation", "Statistics", "Timelines"]),
        library("Evaluation", ["DiseaseModeling", "Parallelism", "Plotting", "Randomness", "Serialization",
                               "Simulation", "Statistics", "Timelines", "ZebraSupport"], optimized: true),
        // The command-line tool.
        library("ZebraCommands", ["Calibration", "CommandLineParsing", "RecordChecks", "DiseaseModeling",
                                  "Evaluation", "Federation", "FHIRExport", "FlatCSVExport", "Learning", "OMOPExport", "Parallelism", "Plotting",
                                  "Randomness", "ProgressionReport", "RecordDisplay", "RecordImport", "Serialization", "Simulation", "Statistics",
                                  "TeachingCases", "TemplateLearning", "Timelines", "TrialDesign", "ZebraSupport"]),
        .executableTarget(name: "zebra", dependencies: ["Serialization", "ZebraCommands"], exclude: moduleReadme),
        .executableTarget(name: "nn-bench", dependencies: ["DenseKernels", "NeuralNetworks", "Randomness",
                                                           "ZebraSupport"],
                          path: "Benchmarks/NNBench"),
        .executableTarget(name: "zebra-bench", dependencies: ["DiseaseModeling", "FHIRExport", "Learning",
                                                              "NeuralNetworks", "Parallelism", "Randomness",
                                                              "Serialization", "Simulation", "TemplateLearning",
                                                              "Timelines", "ZebraSupport"],
                          path: "Benchmarks/ZebraBench"),

        .target(name: "ZebraTestSupport", dependencies: ["DiseaseModeling"], path: "Tests/ZebraTestSupport"),
        .testTarget(name: "ZebraSupportTests", dependencies: ["ZebraSupport"]),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness", "ZebraSupport"]),
        .testTarget(name: "CommandLineParsingTests", dependencies: ["CommandLineParsing"]),
        .testTarget(name: "RecordChecksTests",
                    dependencies: ["DiseaseModeling", "RecordChecks", "Simulation", "Timelines", "ZebraTestSupport"]),
        .testTarget(name: "ProgressionReportTests",
                    dependencies: ["DiseaseModeling", "ProgressionReport", "Simulation", "Statistics", "Timelines",
                                   "ZebraTestSupport"]),
        .testTarget(name: "TeachingCasesTests",
                    dependencies: ["DiseaseModeling", "FHIRExport", "RecordImport", "Simulation", "TeachingCases",
                                   "Timelines", "ZebraTestSupport"]),
        .testTarget(name: "RecordDisplayTests",
                    dependencies: ["DiseaseModeling", "RecordDisplay", "Simulation", "Timelines", "ZebraTestSupport"]),
        .testTarget(name: "SerializationTests", dependencies: ["Serialization", "ZebraTestSupport"]),
        .testTarget(name: "TimelinesTests", dependencies: ["Timelines"]),
        .testTarget(name: "DiseaseModelingTests", dependencies: ["DiseaseModeling", "ZebraTestSupport"]),
        .testTarget(name: "SimulationTests",
                    dependencies: ["Simulation", "DiseaseModeling", "FHIRExport", "Randomness", "Statistics",
                                   "Timelines", "ZebraTestSupport"]),
        .testTarget(name: "FHIRExportTests",
                    dependencies: ["FHIRExport", "DiseaseModeling", "Serialization", "Simulation", "Timelines",
                                   "ZebraSupport", "ZebraTestSupport"]),
        .testTarget(name: "OMOPExportTests",
                    dependencies: ["OMOPExport", "DiseaseModeling", "Serialization", "Simulation", "Timelines",
                                   "ZebraTestSupport"]),
        .testTarget(name: "LearningTests",
                    dependencies: ["Learning", "DiseaseModeling", "NeuralNetworks", "Randomness", "Serialization",
                                   "Simulation", "Statistics", "Timelines", "ZebraTestSupport"]),
        .testTarget(name: "TemplateLearningTests",
                    dependencies: ["TemplateLearning", "DiseaseModeling", "RecordChecks", "Simulation", "Timelines",
                                   "ZebraTestSupport"]),
        .testTarget(name: "FederationTests",
                    dependencies: ["Federation", "DiseaseModeling", "Serialization", "Simulation", "TemplateLearning", "Timelines",
                                   "ZebraTestSupport"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "DiseaseModeling", "Serialization",
                                                             "TemplateLearning", "ZebraTestSupport"]),
        .testTarget(name: "ZebraCommandsTests", dependencies: ["CommandLineParsing", "DiseaseModeling", "RecordImport", "Serialization",
                                                               "Timelines", "ZebraCommands", "ZebraTestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Randomness", "Statistics"], exclude: ["reference_values.py"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "DifferentialPrivacyTests", dependencies: ["DifferentialPrivacy", "Randomness"]),
        .testTarget(name: "DenseKernelsTests", dependencies: ["DenseKernels", "Randomness"]),
        .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "DenseKernels", "Randomness"]),
        .testTarget(name: "EvaluationTests",
                    dependencies: ["Evaluation", "DiseaseModeling", "FHIRExport", "Learning", "Randomness",
                                   "Serialization", "Simulation", "Statistics", "Timelines", "ZebraCommands",
                                   "ZebraTestSupport"]),
        .testTarget(name: "RecordImportTests", dependencies: ["DiseaseModeling", "FHIRExport", "FlatCSVExport",
                                                              "RecordImport", "Serialization", "Simulation", "Timelines",
                                                              "ZebraCommands", "ZebraTestSupport"]),
        .testTarget(name: "TrialDesignTests", dependencies: ["DiseaseModeling", "FHIRExport", "Learning",
                                                             "Randomness", "RecordImport", "Simulation", "Statistics",
                                                             "Timelines", "TrialDesign", "ZebraCommands",
                                                             "ZebraTestSupport"]),
    ]
)
