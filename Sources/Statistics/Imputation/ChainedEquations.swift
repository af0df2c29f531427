import Foundation
import Randomness

/// Multiple imputation by chained equations (van Buuren and Groothuis-Oudshoorn 2011) with
/// predictive mean matching.
///
/// Each variable is a group of columns imputed together: one column for a number, the indicator
/// columns of a categorical covariate for a category (multivariate matching copies a donor's
/// whole group, so an imputed category is always one of the observed ones). A row either has a
/// group's every column or none of them. Every imputation is its own random stream, so the
/// result does not depend on how many are made or in which order.
package struct ChainedEquations: Sendable {
    /// Completed data sets to make (m).
    package var imputations: Int
    /// Rounds through every incomplete group per imputation.
    package var iterations: Int
    /// Donors among which predictive mean matching picks one at random (mice's default, 5).
    package var donors: Int
    /// The ridge added to XᵀX, relative to its mean diagonal, so that collinear predictors
    /// (indicator columns with an intercept) still fit (mice uses 1e-5).
    package var ridge: Double

    /// The settings of a run.
    package init(imputations: Int = 20, iterations: Int = 10, donors: Int = 5, ridge: Double = 1e-5) {
        self.imputations = imputations
        self.iterations = iterations
        self.donors = donors
        self.ridge = ridge
    }

    /// What is missing, by group.
    package struct Pattern: Sendable, Equatable {
        /// The rows lacking each group, ascending.
        package var missingRows: [[Int]]
    }

    /// The missing rows of each group in `data` (rows × columns, NaN where missing). Throws when a
    /// row has some but not all of a group's columns, or a group has no observed row.
    package static func pattern(_ data: [[Double]], groups: [[Int]]) throws -> Pattern {
        var missing: [[Int]] = []
        for (g, group) in groups.enumerated() {
            var rows: [Int] = []
            for (r, row) in data.enumerated() {
                let absent = group.filter { row[$0].isNaN }.count
                if absent == group.count { rows.append(r) } else if absent > 0 {
                    throw StatisticsError.invalidArgument(
                        "row \(r) has part of variable \(g) (columns \(group)) missing")
                }
            }
            if rows.count == data.count && !data.isEmpty {
                throw StatisticsError.invalidArgument("variable \(g) (columns \(group)) is missing in every row")
            }
            missing.append(rows)
        }
        return Pattern(missingRows: missing)
    }

    /// `imputations` completed copies of `data`. `auxiliary` holds complete columns (rows ×
    /// count) that predict the missing values but are not imputed (the arm, the outcome).
    package func complete(_ data: [[Double]], groups: [[Int]], auxiliary: [[Double]] = [],
                          seed: UInt64) throws -> [[[Double]]] {
        let pattern = try Self.pattern(data, groups: groups)
        guard imputations >= 1, iterations >= 1, donors >= 1 else {
            throw StatisticsError.invalidArgument("imputations, iterations and donors must be at least 1")
        }
        if !auxiliary.isEmpty && auxiliary.count != data.count {
            throw StatisticsError.dimensionMismatch("\(auxiliary.count) auxiliary rows for \(data.count) data rows")
        }
        var out: [[[Double]]] = []
        for m in 0..<imputations {
            var random = RandomStream(seed: seed, stream: UInt64(m) &+ 0x4D49_4345)
            out.append(try completeOne(data, groups: groups, pattern: pattern, auxiliary: auxiliary,
                                       random: &random))
        }
        return out
    }

    private func completeOne(_ data: [[Double]], groups: [[Int]], pattern: Pattern, auxiliary: [[Double]],
                             random: inout RandomStream) throws -> [[Double]] {
        var x = data
        // Start from random observed values (mice's default initialisation).
        for (g, group) in groups.enumerated() where !pattern.missingRows[g].isEmpty {
            let missing = Set(pattern.missingRows[g])
            let observed = data.indices.filter { !missing.contains($0) }
            for r in pattern.missingRows[g] {
                let donor = observed[random.nextInt(below: observed.count)]
                for c in group { x[r][c] = data[donor][c] }
            }
        }
        let incomplete = groups.indices.filter { !pattern.missingRows[$0].isEmpty }
        for _ in 0..<iterations {
            for g in incomplete {
                try update(group: g, groups: groups, pattern: pattern, auxiliary: auxiliary, data: &x,
                           random: &random)
            }
        }
        return x
    }

    /// One chained-equation step: regress the group's columns on everything else over its observed
    /// rows, draw the coefficients from their posterior, and match each missing row to donors.
    private func update(group g: Int, groups: [[Int]], pattern: Pattern, auxiliary: [[Double]],
                        data x: inout [[Double]], random: inout RandomStream) throws {
        let target = groups[g]
        let others = groups.indices.filter { $0 != g }.flatMap { groups[$0] }
        let missing = pattern.missingRows[g]
        let isMissing = Set(missing)
        let observed = x.indices.filter { !isMissing.contains($0) }
        func predictors(_ r: Int) -> [Double] {
            [1.0] + (auxiliary.isEmpty ? [] : auxiliary[r]) + others.map { x[r][$0] }
        }
        let design = observed.map(predictors)
        let p = design[0].count
        var xtx = Matrix(rows: p, columns: p)
        for row in design {
            for i in 0..<p where row[i] != 0 { for j in 0..<p { xtx[i, j] += row[i] * row[j] } }
        }
        let meanDiagonal = (0..<p).map { xtx[$0, $0] }.reduce(0, +) / Double(p)
        for i in 0..<p { xtx[i, i] += ridge * max(meanDiagonal, 1e-12) }
        let inverse = try xtx.inverseSPD()
        let root = try inverse.cholesky().lower
        let dof = max(observed.count - p, 1)
        var fitted: [[Double]] = Array(repeating: [], count: observed.count)
        var drawn: [[Double]] = Array(repeating: [], count: missing.count)
        var scales: [Double] = []
        for c in target {
            var xty = [Double](repeating: 0, count: p)
            for (k, row) in design.enumerated() { for i in 0..<p { xty[i] += row[i] * x[observed[k]][c] } }
            let beta = try inverse.multiplied(by: xty)
            var ssr = 0.0
            for (k, row) in design.enumerated() {
                let f = zip(row, beta).reduce(0) { $0 + $1.0 * $1.1 }
                fitted[k].append(f)
                ssr += (x[observed[k]][c] - f) * (x[observed[k]][c] - f)
            }
            // Bayesian linear regression draw (Rubin 1987, p. 167):
            // σ*² = SSR / χ²(n − p), β* ~ N(β̂, σ*²(XᵀX)⁻¹).
            let sigma = (ssr / (2 * random.nextGamma(shape: Double(dof) / 2))).squareRoot()
            let z = (0..<p).map { _ in random.nextNormal() }
            var betaStar = beta
            for i in 0..<p { for j in 0...i { betaStar[i] += sigma * root[i, j] * z[j] } }
            for (k, r) in missing.enumerated() {
                drawn[k].append(zip(predictors(r), betaStar).reduce(0) { $0 + $1.0 * $1.1 })
            }
            let values = observed.map { x[$0][c] }
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(values.count - 1, 1)))
                .squareRoot()
            scales.append(sd > 0 ? sd : 1)
        }
        let k = min(donors, observed.count)
        for (m, r) in missing.enumerated() {
            let donor = nearestDonors(to: drawn[m], fitted: fitted, scales: scales, count: k)
            let chosen = observed[donor[random.nextInt(below: donor.count)]]
            for c in target { x[r][c] = x[chosen][c] }
        }
    }

    /// The `count` observed rows whose fitted group vector is nearest (scaled Euclidean) to `value`;
    /// ties go to the lower row, so the choice is reproducible.
    private func nearestDonors(to value: [Double], fitted: [[Double]], scales: [Double], count: Int) -> [Int] {
        var best: [(distance: Double, row: Int)] = []
        best.reserveCapacity(count + 1)
        for (k, f) in fitted.enumerated() {
            var d = 0.0
            for j in value.indices { let e = (f[j] - value[j]) / scales[j]; d += e * e }
            if best.count == count, d >= best[count - 1].distance { continue }
            let at = best.firstIndex { $0.distance > d } ?? best.count
            best.insert((d, k), at: at)
            if best.count > count { best.removeLast() }
        }
        return best.map(\.row)
    }
}
