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
        .target(name: "DenseKernels", swiftSettings: fast),
        .testTarget(name: "DenseKernelsTests", dependencies: ["DenseKernels", "Randomness"]),
        .target(name: "NeuralNetworks", dependencies: ["DenseKernels", "Randomness"], swiftSettings: fast),
        .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "DenseKernels", "Randomness"]),
        .executableTarget(
            name: "nn-bench", dependencies: ["DenseKernels", "NeuralNetworks", "Randomness"],
            path: "Benchmarks/NNBench", swiftSettings: fast),
    ]
)
