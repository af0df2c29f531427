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
        // The domain: timelines, templates, simulation, FHIR, calibration.
        library("Timelines"),
        library("DiseaseModeling", ["Randomness", "Serialization", "Timelines"]),
        library("Simulation", ["DiseaseModeling", "Parallelism", "Randomness", "Timelines"]),
        library("FHIRExport", ["Parallelism", "Serialization", "Timelines"]),
        library("Calibration", ["DiseaseModeling", "Simulation", "Statistics", "Timelines"]),
        library("TrialDesign", ["DiseaseModeling", "Parallelism", "Plotting", "Randomness", "Serialization",
                                "Simulation", "Statistics", "Timelines"]),
        // The command-line tool.
        library("ZebraCommands", ["Calibration", "CommandLineParsing", "DiseaseModeling", "FHIRExport", "Parallelism",
                                  "Plotting", "Serialization", "Simulation", "Statistics", "Timelines", "TrialDesign"]),
        .executableTarget(name: "zebra", dependencies: ["ZebraCommands"], swiftSettings: fast),

        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], exclude: ["reference_values.py"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "DifferentialPrivacyTests", dependencies: ["DifferentialPrivacy", "Randomness"]),
        .testTarget(name: "TrialDesignTests", dependencies: ["DiseaseModeling", "FHIRExport", "Randomness", "Simulation", "Statistics",
                                                             "Timelines", "TrialDesign", "ZebraCommands"]),
    ]
)
