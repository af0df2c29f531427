import Foundation

extension Descriptive {
    /// The sample covariance of paired data (`n - 1` divisor).
    package static func covariance(_ x: [Double], _ y: [Double]) throws -> Double {
        try Check.sameCount(x.count, y.count, "covariance")
        try Check.count(x, atLeast: 2, "covariance")
        let mx = try Kernel.checkedSum(x, "covariance input") / Double(x.count)
        let my = try Kernel.checkedSum(y, "covariance input") / Double(y.count)
        return Kernel.sumOfCrossProducts(x, mx, y, my) / Double(x.count - 1)
    }

    /// Pearson's product-moment correlation; throws `.undefined` if either sample is constant.
    package static func pearsonCorrelation(_ x: [Double], _ y: [Double]) throws -> Double {
        try Check.sameCount(x.count, y.count, "Pearson correlation")
        try Check.count(x, atLeast: 2, "Pearson correlation")
        let mx = try Kernel.checkedSum(x, "correlation input") / Double(x.count)
        let my = try Kernel.checkedSum(y, "correlation input") / Double(y.count)
        let sxx = Kernel.sumOfSquares(x, about: mx), syy = Kernel.sumOfSquares(y, about: my)
        if sxx == 0 || syy == 0 {
            throw StatisticsError.undefined("correlation with a constant sample")
        }
        let r = Kernel.sumOfCrossProducts(x, mx, y, my) / (sxx * syy).squareRoot()
        return Swift.min(1, Swift.max(-1, r))
    }

    /// Spearman's rank correlation: Pearson's correlation of average ranks (ties get the mean rank).
    package static func spearmanCorrelation(_ x: [Double], _ y: [Double]) throws -> Double {
        try Check.sameCount(x.count, y.count, "Spearman correlation")
        return try pearsonCorrelation(ranks(x), ranks(y))
    }

    /// The 1-based ranks of `x`, ties receiving the average of the ranks they span.
    package static func ranks(_ x: [Double]) throws -> [Double] {
        try Check.finite(x, "rank input")
        let order = x.indices.sorted { x[$0] < x[$1] }
        var result = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { result[order[k]] = rank }
            i = j + 1
        }
        return result
    }

    /// The `p × p` sample covariance matrix of `p` equally long columns (`n - 1` divisor).
    package static func covarianceMatrix(columns: [[Double]]) throws -> Matrix {
        let p = columns.count
        if p == 0 { throw StatisticsError.invalidArgument("covariance matrix of zero columns") }
        let n = columns[0].count
        for (j, c) in columns.enumerated() {
            try Check.sameCount(c.count, n, "covariance matrix column \(j)")
            try Check.finite(c, "covariance matrix column \(j)")
        }
        if n < 2 { throw StatisticsError.tooFewObservations(needed: 2, got: n, context: "covariance matrix") }
        let means = columns.map { Kernel.sum($0) / Double(n) }
        var result = Matrix(rows: p, columns: p)
        for a in 0..<p {
            for b in a..<p {
                let c = Kernel.sumOfCrossProducts(columns[a], means[a], columns[b], means[b]) / Double(n - 1)
                result[a, b] = c
                result[b, a] = c
            }
        }
        return result
    }

    /// The `p × p` Pearson correlation matrix of `p` equally long columns; throws if a column is constant.
    package static func correlationMatrix(columns: [[Double]]) throws -> Matrix {
        var c = try covarianceMatrix(columns: columns)
        let p = c.rows
        let sd = (0..<p).map { c[$0, $0].squareRoot() }
        if let j = sd.firstIndex(of: 0) {
            throw StatisticsError.undefined("correlation matrix: column \(j) is constant")
        }
        for a in 0..<p {
            for b in 0..<p {
                c[a, b] = a == b ? 1 : Swift.min(1, Swift.max(-1, c[a, b] / (sd[a] * sd[b])))
            }
        }
        return c
    }
}
