import Foundation
import Randomness
import Testing
@testable import Statistics

/// The MMRM (REML, unstructured covariance, Satterthwaite df) on cases with known answers: with
/// every visit observed and visit-specific effects it is ordinary least squares visit by visit
/// (seemingly unrelated regressions with the same regressors), Σ is the residual cross-product
/// over n − k, and the df of a visit's coefficient is n − k.
@Suite struct MMRMTests {
    /// n subjects, 3 visits, columns per visit (1, treated, baseline); errors correlated across visits.
    static func data(n: Int, seed: UInt64, dropout: Double = 0) -> (subjects: [RepeatedMeasures],
                                                                    byVisit: [[(y: Double, x: [Double])]]) {
        var g = RandomStream(seed: seed)
        var subjects: [RepeatedMeasures] = []
        var byVisit = [[(y: Double, x: [Double])]](repeating: [], count: 3)
        for i in 0..<n {
            let treated = Double(i % 2), baseline = 40 + 8 * g.nextNormal()
            let shared = g.nextNormal()
            var visits: [Int] = [], ys: [Double] = [], rows: [[Double]] = []
            for k in 0..<3 {
                if k > 0 && g.nextUnit() < dropout { break }
                let y = 1.5 * Double(k + 1) - 1.2 * treated * Double(k + 1) / 3 + 0.05 * baseline
                    + 2 * shared + (1 + Double(k)) * g.nextNormal()
                var row = [Double](repeating: 0, count: 9)
                row[3 * k] = 1; row[3 * k + 1] = treated; row[3 * k + 2] = baseline
                visits.append(k); ys.append(y); rows.append(row)
                byVisit[k].append((y, [treated, baseline]))
            }
            subjects.append(RepeatedMeasures(visits: visits, responses: ys, rows: rows))
        }
        return (subjects, byVisit)
    }

    @Test(arguments: [1, 2] as [UInt64])
    func completeDataIsOrdinaryLeastSquaresVisitByVisit(seed: UInt64) throws {
        let (subjects, byVisit) = Self.data(n: 80, seed: seed)
        let fit = try MMRM.fit(subjects, visitCount: 3, p: 9)
        var residuals: [[Double]] = []
        for k in 0..<3 {
            let ols = try LinearRegression.fit(response: byVisit[k].map(\.y),
                                               regressors: [Regressor("treated", byVisit[k].map { $0.x[0] }),
                                                            Regressor("baseline", byVisit[k].map { $0.x[1] })])
            for j in 0..<3 { #expect(abs(fit.coefficients[3 * k + j] - ols.coefficients[j]) < 1e-6, "visit \(k)") }
            residuals.append(ols.residuals)
        }
        for a in 0..<3 {
            for b in 0..<3 {
                let cross = zip(residuals[a], residuals[b]).reduce(0) { $0 + $1.0 * $1.1 } / Double(80 - 3)
                #expect(abs(fit.visitCovariance[a, b] - cross) < 1e-5 * max(1, abs(cross)), "Σ[\(a),\(b)]")
            }
        }
        // The treatment effect at the last visit: Satterthwaite df n − k, the OLS SE.
        #expect(abs(fit.degreesOfFreedom[7] - 77) < 0.05, "df \(fit.degreesOfFreedom[7])")
        let last = try LinearRegression.fit(response: byVisit[2].map(\.y),
                                            regressors: [Regressor("treated", byVisit[2].map { $0.x[0] }),
                                                         Regressor("baseline", byVisit[2].map { $0.x[1] })])
        let se = try last.estimate("treated", covariance: .classical).standardError
        #expect(abs(fit.covariance[7, 7].squareRoot() - se) < 1e-6)
    }

    @Test func withDropoutTheEstimateUsesTheEarlierVisits() throws {
        let (subjects, _) = Self.data(n: 300, seed: 5, dropout: 0.25)
        let fit = try MMRM.fit(subjects, visitCount: 3, p: 9)
        // The truth is −1.2 at the last visit; the df are below the complete cases' n − k.
        let e = try fit.estimate(7, name: "treated at visit 3")
        #expect(e.confidenceInterval.contains(-1.2), "\(e)")
        let complete = subjects.filter { $0.visits.count == 3 }.count
        #expect(fit.degreesOfFreedom[7] > Double(complete - 3) && fit.degreesOfFreedom[7] < Double(300 - 3))
    }
}
