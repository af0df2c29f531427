import Foundation
@testable import Statistics

/// Whether `a` and `b` agree to `rel` relative or `abs` absolute tolerance.
func close(_ a: Double, _ b: Double, rel: Double = 1e-9, abs: Double = 1e-12) -> Bool {
    Swift.abs(a - b) <= Swift.max(abs, rel * Swift.max(Swift.abs(a), Swift.abs(b)))
}

/// Elementwise `close` of equally long arrays.
func close(_ a: [Double], _ b: [Double], rel: Double = 1e-9, abs: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, rel: rel, abs: abs) }
}

/// Data sets shared by several suites; the generating code and the reference numbers computed
/// from them are in `reference_values.py` next to this file.
enum Fixtures {
    // Freireich et al. (1963) 6-MP leukaemia remission data (as in Gehan 1965); false = censored.
    static let timesMP: [Double] = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    static let eventsMP: [Bool] = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0].map { $0 == 1 }
    static let timesPlacebo: [Double] = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
    static let eventsPlacebo = [Bool](repeating: true, count: 21)

    // A small simulated Cox data set (numpy seed 3, see the script).
    static let z1 = [2.041, -2.556, 0.418, -0.568, -0.453, -0.216, -2.02, -0.232, -0.865, 3.323, 0.226, -0.353, -0.281,
                     -0.668, -1.055, -0.391, 0.482, -0.239, 0.958, -0.2, 0.024, 1.546, 0.545, -0.505, -0.183, 0.541,
                     1.935, -0.27, -0.244, 1.002]
    static let z2: [Double] = [1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1]
    static let coxTimes = [0.737, 14.03, 3.275, 6.557, 13.389, 4.884, 13.057, 0.961, 19.804, 1.29, 0.666, 1.965, 1.563,
                           5.237, 10.73, 4.53, 4.053, 3.848, 10.024, 10.004, 13.058, 4.146, 0.585, 22.349, 10.934,
                           0.493, 8.666, 2.614, 10.997, 20.703]
    static let coxEvents: [Bool] = [1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1,
                                    1, 0].map { $0 == 1 }
    static let coxWeights = [2.14, 1.01, 1.46, 1.19, 1.02, 1.64, 1.14, 1.74, 1.66, 0.71, 1.38, 1.28, 1.91, 0.68, 0.84,
                             1.53, 1.31, 1.83, 1.17, 0.89, 2.36, 0.99, 0.79, 1.06, 1.18, 0.95, 1.57, 2.37, 0.75, 1.33]
    /// `ceil(coxTimes / 3)`: the same data with many ties.
    static let coxTiedTimes: [Double] = [1, 5, 2, 3, 5, 2, 5, 1, 7, 1, 1, 1, 1, 2, 4, 2, 2, 2, 4, 4, 5, 2, 1, 8, 4, 1,
                                         3, 1, 4, 7]
}
