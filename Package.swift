// swift-tools-version:6.0
import PackageDescription

/// Release-mode settings for numeric hot paths; debug builds keep every check.
let fast: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// A library module with the project's settings.
func library(_ name: String, _ dependencies: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: dependencies, swiftSettings: fast)
}

let package = Package(
    name: "Zebra",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "zebra", targets: ["zebra"]),
    ],
    targets: [
        // Foundations: random streams, parallel maps, JSON and files, statistics, plots, CLI parsing.
        library("Randomness"),
        library("Parallelism"),
        library("Serialization"),
        library("Statistics", ["Randomness"]),
        library("Plotting"),
        library("CommandLineParsing"),
        library("DifferentialPrivacy", ["Randomness"]),
        library("DenseKernels"),
        library("NeuralNetworks", ["DenseKernels", "Randomness"]),
        // The domain: timelines, templates, simulation, FHIR, calibration.
        library("Timelines"),
        library("DiseaseModeling", ["Randomness", "Serialization", "Timelines"]),
        library("Simulation", ["DiseaseModeling", "Parallelism", "Randomness", "Timelines"]),
        library("FHIRExport", ["Parallelism", "Serialization", "Timelines"]),
        library("Calibration", ["DiseaseModeling", "Simulation", "Statistics", "Timelines"]),
        library("Learning", ["DiseaseModeling", "NeuralNetworks", "Parallelism", "Randomness", "Serialization",
                             "Simulation", "Statistics", "Timelines"]),
        // The command-line tool.
        library("ZebraCommands", ["Calibration", "CommandLineParsing", "DiseaseModeling", "FHIRExport", "Parallelism",
                                  "Serialization", "Simulation", "Timelines"]),
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
        .testTarget(name: "ScratchTests", dependencies: ["Learning", "Simulation", "DiseaseModeling", "ZebraTestSupport"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "DiseaseModeling", "ZebraTestSupport"]),
        .testTarget(name: "ZebraCommandsTests", dependencies: ["ZebraCommands", "Serialization", "ZebraTestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], exclude: ["reference_values.py"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "DifferentialPrivacyTests", dependencies: ["DifferentialPrivacy", "Randomness"]),
        .testTarget(name: "DenseKernelsTests", dependencies: ["DenseKernels", "Randomness"]),
        .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "DenseKernels", "Randomness"]),
    ]
)
