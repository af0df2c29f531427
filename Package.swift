// swift-tools-version:6.0
import PackageDescription

/// Release-mode settings for numeric hot paths; debug builds keep every check.
let fast: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Zebra",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "zebra", targets: ["zebra"]),
    ],
    targets: [
        .target(name: "Randomness", swiftSettings: fast),
        .target(name: "Serialization", swiftSettings: fast),
        .target(name: "Timelines", swiftSettings: fast),
        .target(name: "DiseaseModeling", dependencies: ["Randomness", "Serialization", "Timelines"], swiftSettings: fast),
        .target(name: "Parallelism", swiftSettings: fast),
        .target(name: "Simulation",
                dependencies: ["DiseaseModeling", "Parallelism", "Randomness", "Timelines"], swiftSettings: fast),
        .target(name: "FHIRExport", dependencies: ["Parallelism", "Serialization", "Timelines"], swiftSettings: fast),
        .target(name: "Calibration", dependencies: ["DiseaseModeling", "Simulation", "Timelines"], swiftSettings: fast),
        .target(name: "CommandLineParsing", swiftSettings: fast),
        .target(name: "ZebraCommands",
                dependencies: ["Calibration", "CommandLineParsing", "DiseaseModeling", "FHIRExport", "Parallelism",
                               "Serialization", "Simulation", "Timelines"],
                swiftSettings: fast),
        .executableTarget(name: "zebra", dependencies: ["ZebraCommands"], swiftSettings: fast),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .target(name: "DifferentialPrivacy", dependencies: ["Randomness"], swiftSettings: fast),
        .testTarget(name: "DifferentialPrivacyTests", dependencies: ["DifferentialPrivacy", "Randomness"]),
        .target(name: "Plotting", swiftSettings: fast),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
    ]
)
