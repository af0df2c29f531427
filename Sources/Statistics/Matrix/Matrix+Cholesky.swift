import Foundation
import ZebraSupport

/// The Cholesky factorization `A = L Lᵀ` of a symmetric positive definite matrix.
package struct CholeskyFactorization: Sendable, Equatable {
    /// The lower-triangular factor `L` (entries above the diagonal are zero).
    package let lower: Matrix

    /// Factorizes `a`, reading its lower triangle. Throws `.notPositiveDefinite` if a pivot is not
    /// positive, or is below `relativeTolerance` times the largest diagonal entry (numerically
    /// singular, e.g. collinear predictors).
    package init(_ a: Matrix, relativeTolerance: Double = 1e-13) throws {
        if !a.isSquare {
            throw StatisticsError.dimensionMismatch("Cholesky needs a square matrix, got \(a.rows) × \(a.columns)")
        }
        switch Self.factor(a, relativeTolerance: relativeTolerance) {
        case let .success(l): lower = l
        case let .failure(f):
            throw StatisticsError.notPositiveDefinite("pivot \(f.pivot) is \(f.value) (largest "
                + "diagonal entry \(f.maxDiagonal))")
        }
    }

    /// Where a factorization broke down, so callers can name the offending variable.
    struct PivotFailure: Error {
        var pivot: Int
        var value: Double
        var maxDiagonal: Double
    }

    /// The lower factor, or the first pivot that is not clearly positive.
    static func factor(_ a: Matrix, relativeTolerance: Double) -> Result<Matrix, PivotFailure> {
        let n = a.rows
        var maxDiag = 0.0
        for i in 0..<n { maxDiag = Swift.max(maxDiag, Swift.abs(a[i, i])) }
        switch choleskyLower(a.elements, dimension: n, minimumPivot: relativeTolerance * maxDiag) {
        case .success(let elements):
            var l = Matrix(rows: n, columns: n)
            l.elements = elements
            return .success(l)
        case .failure(let f):
            return .failure(PivotFailure(pivot: f.pivot, value: f.value, maxDiagonal: maxDiag))
        }
    }

    /// Wraps an already computed lower factor.
    init(lower: Matrix) { self.lower = lower }

    /// The dimension `n` of the factored `n × n` matrix.
    package var dimension: Int { lower.rows }

    /// Solves `A x = b`.
    package func solve(_ b: [Double]) throws -> [Double] {
        let n = dimension
        try Check.sameCount(b.count, n, "Cholesky solve: right-hand side vs matrix")
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= lower[i, k] * y[k] }
            y[i] = s / lower[i, i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<Swift.max(i + 1, n) { s -= lower[k, i] * y[k] }
            y[i] = s / lower[i, i]
        }
        return y
    }

    /// Solves `A X = B` column by column.
    package func solve(_ b: Matrix) throws -> Matrix {
        try Check.sameCount(b.rows, dimension, "Cholesky solve: right-hand side rows vs matrix")
        var x = Matrix(rows: b.rows, columns: b.columns)
        for j in 0..<b.columns {
            let col = try solve(b.column(j))
            for i in 0..<b.rows { x[i, j] = col[i] }
        }
        return x
    }

    /// `A⁻¹`, symmetrized exactly.
    package func inverse() throws -> Matrix {
        var inv = try solve(Matrix.identity(dimension))
        let n = dimension
        for i in 0..<n {
            for j in 0..<i {
                let avg = (inv[i, j] + inv[j, i]) / 2
                inv[i, j] = avg
                inv[j, i] = avg
            }
        }
        return inv
    }

    /// `log det A = 2 Σ log L_ii`.
    package var logDeterminant: Double {
        var s = 0.0
        for i in 0..<dimension { s += Foundation.log(lower[i, i]) }
        return 2 * s
    }
}

extension Matrix {
    /// The Cholesky factorization of this symmetric positive definite matrix.
    package func cholesky() throws -> CholeskyFactorization {
        try CholeskyFactorization(self)
    }

    /// The inverse of this symmetric positive definite matrix, via Cholesky.
    package func inverseSPD() throws -> Matrix {
        do {
            return try CholeskyFactorization(self).inverse()
        } catch StatisticsError.notPositiveDefinite(let why) {
            throw StatisticsError.singularMatrix("SPD inverse failed, \(why)")
        }
    }

    /// Solves `self · x = b` for a symmetric positive definite `self`, via Cholesky.
    package func solveSPD(_ b: [Double]) throws -> [Double] {
        try CholeskyFactorization(self).solve(b)
    }

    /// Whether the matrix is symmetric and its Cholesky factorization succeeds.
    package var isPositiveDefinite: Bool {
        guard isSymmetric() else { return false }
        return (try? CholeskyFactorization(self, relativeTolerance: 0)) != nil
    }
}
