import Foundation

/// The eigen-decomposition `A = V diag(λ) Vᵀ` of a symmetric matrix.
package struct SymmetricEigendecomposition: Sendable, Equatable {
    /// The eigenvalues in descending order.
    package let values: [Double]
    /// The orthonormal eigenvectors as columns, in the order of `values`.
    package let vectors: Matrix
}

extension Matrix {
    /// The eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations, which
    /// are accurate for the small matrices used here. Reads the upper triangle only after
    /// checking symmetry to `1e-10` relative.
    package func symmetricEigendecomposition(maxSweeps: Int = 100) throws -> SymmetricEigendecomposition {
        if !isSymmetric() {
            throw StatisticsError.invalidArgument("eigen-decomposition needs a symmetric matrix")
        }
        try Check.finite(elements, "matrix")
        let n = rows
        var a = self
        var v = Matrix.identity(n)
        var converged = n < 2
        for _ in 0..<maxSweeps where !converged {
            var off = 0.0, total = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    total += a[i, j] * a[i, j]
                    if i != j { off += a[i, j] * a[i, j] }
                }
            }
            if off <= 1e-30 * total || off == 0 { converged = true; break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n where a[p, q] != 0 {
                    Matrix.rotate(&a, &v, p, q)
                }
            }
        }
        if !converged {
            throw StatisticsError.didNotConverge(iterations: maxSweeps, context: "Jacobi eigen-decomposition")
        }
        let order = (0..<n).sorted { a[$0, $0] > a[$1, $1] }
        var vectors = Matrix(rows: n, columns: n)
        for (k, j) in order.enumerated() {
            for i in 0..<n { vectors[i, k] = v[i, j] }
        }
        return SymmetricEigendecomposition(values: order.map { a[$0, $0] }, vectors: vectors)
    }

    /// One Jacobi rotation zeroing `a[p, q]` (Rutishauser's stable formulas).
    private static func rotate(_ a: inout Matrix, _ v: inout Matrix, _ p: Int, _ q: Int) {
        let n = a.rows
        let theta = (a[q, q] - a[p, p]) / (2 * a[p, q])
        let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot(), s = t * c
        for k in 0..<n {
            let akp = a[k, p], akq = a[k, q]
            a[k, p] = c * akp - s * akq
            a[k, q] = s * akp + c * akq
        }
        for k in 0..<n {
            let apk = a[p, k], aqk = a[q, k]
            a[p, k] = c * apk - s * aqk
            a[q, k] = s * apk + c * aqk
        }
        for k in 0..<n {
            let vkp = v[k, p], vkq = v[k, q]
            v[k, p] = c * vkp - s * vkq
            v[k, q] = s * vkp + c * vkq
        }
    }

    /// Whether the matrix is symmetric with no eigenvalue below `-tolerance · max(1, |λ|max)`.
    package func isPositiveSemidefinite(tolerance: Double = 1e-10) -> Bool {
        guard isSymmetric(), let eig = try? symmetricEigendecomposition() else { return false }
        let scale = Swift.max(1, eig.values.map { Swift.abs($0) }.max() ?? 0)
        return (eig.values.last ?? 0) >= -tolerance * scale
    }
}
