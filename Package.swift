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
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .target(name: "Statistics", dependencies: ["Randomness"], swiftSettings: fast),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], exclude: ["reference_values.py"]),
    ]
)
