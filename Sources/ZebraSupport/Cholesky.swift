/// Where a Cholesky factorization broke down: the pivot index and the value it had.
package struct CholeskyPivotFailure: Error, Sendable, Equatable {
    /// The 0-based row whose diagonal pivot was not accepted.
    package var pivot: Int
    /// The pivot's value before the square root (not positive enough, or not finite).
    package var value: Double

    /// A failure at `pivot` with pivot value `value`.
    package init(pivot: Int, value: Double) {
        self.pivot = pivot
        self.value = value
    }
}

/// The row-major lower Cholesky factor of symmetric `a` (lower triangle read); fails at the first pivot not finite or
/// not above `minimumPivot`.
package func choleskyLower(_ a: [Double], dimension n: Int, minimumPivot: Double)
    -> Result<[Double], CholeskyPivotFailure> {
    precondition(a.count == n * n, "Cholesky: \(a.count) entries for a \(n) × \(n) matrix")
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0...i {
            var sum = a[i * n + j]
            for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
            if i == j {
                guard sum > minimumPivot, sum.isFinite else {
                    return .failure(CholeskyPivotFailure(pivot: i, value: sum))
                }
                l[i * n + i] = sum.squareRoot()
            } else {
                l[i * n + j] = sum / l[j * n + j]
            }
        }
    }
    return .success(l)
}
