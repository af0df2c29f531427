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

    ],
    targets: [
        .target(name: "Randomness", swiftSettings: fast),
        .target(name: "Serialization", swiftSettings: fast),
        .target(name: "Timelines", swiftSettings: fast),
        .target(name: "DiseaseModeling", dependencies: ["Randomness", "Serialization", "Timelines"], swiftSettings: fast),
        .target(name: "Parallelism", swiftSettings: fast),
        .target(name: "Simulation",
                dependencies: ["DiseaseModeling", "Parallelism", "Randomness", "Timelines"], swiftSettings: fast),
        .target(name: "FHIRExport", dependencies: ["Serialization", "Timelines"], swiftSettings: fast),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .target(name: "DifferentialPrivacy", dependencies: ["Randomness"], swiftSettings: fast),
        .testTarget(name: "DifferentialPrivacyTests", dependencies: ["DifferentialPrivacy", "Randomness"]),
        .target(name: "Plotting", swiftSettings: fast),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
    ]
)
