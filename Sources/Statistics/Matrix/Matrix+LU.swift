import Foundation

/// The LU factorization with partial (row) pivoting `P A = L U` of a square matrix.
package struct LUFactorization: Sendable, Equatable {
    /// `L` (unit diagonal, not stored) and `U` packed into one matrix.
    let packed: Matrix
    /// `permutation[i]` is the row of `A` that became row `i`.
    package let permutation: [Int]
    /// `+1` or `-1`: the sign of the permutation.
    let sign: Double

    /// Factorizes `a`. Throws `.singularMatrix` if a pivot is exactly zero or below
    /// `relativeTolerance` times the largest absolute entry.
    package init(_ a: Matrix, relativeTolerance: Double = 1e-14) throws {
        if !a.isSquare {
            throw StatisticsError.dimensionMismatch("LU needs a square matrix, got \(a.rows) × \(a.columns)")
        }
        let n = a.rows
        var m = a
        var perm = Array(0..<n)
        var sign = 1.0
        let scale = a.elements.reduce(0) { Swift.max($0, Swift.abs($1)) }
        for k in 0..<n {
            var pivotRow = k
            for i in (k + 1)..<Swift.max(k + 1, n) where Swift.abs(m[i, k]) > Swift.abs(m[pivotRow, k]) {
                pivotRow = i
            }
            let pivot = m[pivotRow, k]
            if !(Swift.abs(pivot) > relativeTolerance * scale) || !pivot.isFinite {
                throw StatisticsError.singularMatrix("LU pivot \(k) is \(pivot) (largest entry \(scale))")
            }
            if pivotRow != k {
                for j in 0..<n { m.elements.swapAt(k * n + j, pivotRow * n + j) }
                perm.swapAt(k, pivotRow)
                sign = -sign
            }
            for i in (k + 1)..<Swift.max(k + 1, n) {
                let f = m[i, k] / pivot
                m[i, k] = f
                if f == 0 { continue }
                for j in (k + 1)..<n { m[i, j] -= f * m[k, j] }
            }
        }
        packed = m
        permutation = perm
        self.sign = sign
    }

    /// Solves `A x = b`.
    package func solve(_ b: [Double]) throws -> [Double] {
        let n = packed.rows
        try Check.sameCount(b.count, n, "LU solve: right-hand side vs matrix")
        var y = permutation.map { b[$0] }
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= packed[i, k] * y[k] }
            y[i] = s
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<Swift.max(i + 1, n) { s -= packed[i, k] * y[k] }
            y[i] = s / packed[i, i]
        }
        return y
    }

    /// `A⁻¹`.
    package func inverse() throws -> Matrix {
        let n = packed.rows
        var inv = Matrix(rows: n, columns: n)
        var e = [Double](repeating: 0, count: n)
        for j in 0..<n {
            e[j] = 1
            let col = try solve(e)
            e[j] = 0
            for i in 0..<n { inv[i, j] = col[i] }
        }
        return inv
    }

    /// `det A`.
    package var determinant: Double {
        var d = sign
        for i in 0..<packed.rows { d *= packed[i, i] }
        return d
    }
}

extension Matrix {
    /// Solves `self · x = b` for a general square `self` by LU with partial pivoting.
    package func solve(_ b: [Double]) throws -> [Double] {
        try LUFactorization(self).solve(b)
    }

    /// The inverse of a general square matrix, by LU with partial pivoting.
    package func inverse() throws -> Matrix {
        try LUFactorization(self).inverse()
    }

    /// The determinant of a square matrix (zero if it is exactly singular).
    package func determinant() throws -> Double {
        do {
            return try LUFactorization(self, relativeTolerance: 0).determinant
        } catch StatisticsError.singularMatrix {
            return 0
        }
    }
}
