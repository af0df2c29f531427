import Foundation
import Statistics

/// The summaries calibration figures use, as NaN-on-failure wrappers of the Statistics module
/// (a figure that cannot be computed shows as n/a and fails its check, it does not stop the run).
enum Summary {
    static func mean(_ x: [Double]) -> Double { (try? Descriptive.mean(x)) ?? .nan }

    static func sd(_ x: [Double]) -> Double { (try? Descriptive.standardDeviation(x)) ?? .nan }

    static func median(_ x: [Double]) -> Double { (try? Descriptive.median(x)) ?? .nan }

    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        (try? Descriptive.pearsonCorrelation(x, y)) ?? .nan
    }

    static func fraction(_ flags: [Bool]) -> Double {
        flags.isEmpty ? .nan : Double(flags.filter { $0 }.count) / Double(flags.count)
    }

    /// Ordinary least-squares slope of y on x.
    static func slope(_ x: [Double], _ y: [Double]) -> Double {
        guard let fit = try? LinearRegression.fit(response: y, regressors: [Regressor("x", x)]) else { return .nan }
        return fit.coefficients[1]
    }

    /// Kaplan–Meier survival at time `t`.
    static func kaplanMeier(_ data: [(time: Double, event: Bool)], at t: Double) -> Double {
        (try? KaplanMeier.estimate(times: data.map(\.time), events: data.map(\.event)))?.survival(at: t) ?? .nan
    }

    /// Kaplan–Meier median (first time S ≤ 0.5), or NaN if never reached.
    static func kaplanMeierMedian(_ data: [(time: Double, event: Bool)]) -> Double {
        ((try? KaplanMeier.estimate(times: data.map(\.time), events: data.map(\.event)))?.median ?? nil) ?? .nan
    }
}
