// swift-tools-version:6.0
import PackageDescription

/// Release-mode settings for numeric hot paths; debug builds keep every check.
let fast: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// Compute-heavy modules are optimised in debug builds too: `swift test` builds for debugging,
/// and statistical tests that train models or simulate thousands of lives would otherwise take
/// tens of minutes. Assertions and overflow checks stay on (-O, not -Ounchecked).
let optimizedInDebug: [SwiftSetting] = fast + [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// A library module with the project's settings.
func library(_ name: String, _ dependencies: [Target.Dependency] = [], optimized: Bool = false) -> Target {
    .target(name: name, dependencies: dependencies, swiftSettings: optimized ? optimizedInDebug : fast)
}

let package = Package(
    name: "Zebra",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "zebra", targets: ["zebra"]),
    ],
    targets: [
        // Foundations: random streams, parallel maps, JSON and files, statistics, plots, CLI parsing.
        library("Randomness", [], optimized: true),
        library("Parallelism"),
        library("Serialization"),
        library("Statistics", ["Randomness"], optimized: true),
        library("Plotting"),
        library("CommandLineParsing"),
        library("DifferentialPrivacy", ["Randomness"]),
        library("DenseKernels", [], optimized: true),
        library("NeuralNetworks", ["DenseKernels", "Randomness"], optimized: true),
        // The domain: timelines, templates, simulation, FHIR, calibration.
        library("Timelines"),
        library("DiseaseModeling", ["Randomness", "Serialization", "Timelines"], optimized: true),
        library("Simulation", ["DiseaseModeling", "Parallelism", "Randomness", "Timelines"], optimized: true),
        library("FHIRExport", ["Parallelism", "Serialization", "Timelines"]),
        library("Calibration", ["DiseaseModeling", "Simulation", "Statistics", "Timelines"]),
        library("RecordImport", ["DiseaseModeling", "Parallelism", "Serialization", "Simulation", "Timelines"]),
        library("Learning", ["DiseaseModeling", "NeuralNetworks", "Parallelism", "Randomness", "Serialization",
                             "Simulation", "Statistics", "Timelines"], optimized: true),
        library("Evaluation", ["DiseaseModeling", "Learning", "Parallelism", "Plotting", "Randomness", "Serialization",
                               "Simulation", "Statistics", "Timelines"], optimized: true),
        // The command-line tool.
        library("ZebraCommands", ["Calibration", "CommandLineParsing", "DiseaseModeling", "Evaluation", "FHIRExport", "Learning",
                                  "Parallelism", "Plotting", "Randomness", "RecordImport", "Serialization", "Simulation",
                                  "Statistics", "Timelines"]),
        .executableTarget(name: "zebra", dependencies: ["ZebraCommands"], swiftSettings: fast),
        .executableTarget(name: "nn-bench", dependencies: ["DenseKernels", "NeuralNetworks", "Randomness"],
                          path: "Benchmarks/NNBench", swiftSettings: fast),
        .executableTarget(name: "zebra-bench", dependencies: ["DiseaseModeling", "FHIRExport", "Parallelism", "Serialization", "Simulation"],
                          path: "Benchmarks/ZebraBench", swiftSettings: fast),

        .target(name: "ZebraTestSupport", dependencies: ["DiseaseModeling"], path: "Tests/ZebraTestSupport"),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .testTarget(name: "SerializationTests", dependencies: ["Serialization", "ZebraTestSupport"]),
        .testTarget(name: "TimelinesTests", dependencies: ["Timelines"]),
        .testTarget(name: "DiseaseModelingTests", dependencies: ["DiseaseModeling", "ZebraTestSupport"]),
        .testTarget(name: "SimulationTests",
                    dependencies: ["Simulation", "DiseaseModeling", "FHIRExport", "Randomness", "Statistics", "Timelines", "ZebraTestSupport"]),
        .testTarget(name: "FHIRExportTests",
                    dependencies: ["FHIRExport", "DiseaseModeling", "Serialization", "Simulation", "Timelines", "ZebraTestSupport"]),
        .testTarget(name: "LearningTests",
                    dependencies: ["Learning", "DiseaseModeling", "NeuralNetworks", "Randomness", "Serialization", "Simulation",
                                   "Statistics", "Timelines", "ZebraTestSupport"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "DiseaseModeling", "ZebraTestSupport"]),
        .testTarget(name: "ZebraCommandsTests", dependencies: ["ZebraCommands", "Serialization", "ZebraTestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], exclude: ["reference_values.py"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "DifferentialPrivacyTests", dependencies: ["DifferentialPrivacy", "Randomness"]),
        .testTarget(name: "DenseKernelsTests", dependencies: ["DenseKernels", "Randomness"]),
        .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "DenseKernels", "Randomness"]),
        .testTarget(name: "EvaluationTests",
                    dependencies: ["Evaluation", "DiseaseModeling", "FHIRExport", "Learning", "Randomness", "Serialization", "Simulation",
                                   "Statistics", "Timelines", "ZebraCommands", "ZebraTestSupport"]),
        .testTarget(name: "RecordImportTests", dependencies: ["DiseaseModeling", "FHIRExport", "RecordImport", "Serialization",
                                                              "Simulation", "Timelines", "ZebraCommands"]),
    ]
)
