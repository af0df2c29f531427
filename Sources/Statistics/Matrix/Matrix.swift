import Foundation

/// A small dense matrix of doubles stored row-major, for the regression and survival fits
/// (sizes up to about 100 × 100). Shape errors throw `StatisticsError.dimensionMismatch`.
package struct Matrix: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The number of rows.
    package let rows: Int
    /// The number of columns.
    package let columns: Int
    /// The entries, row after row: entry `(i, j)` is `elements[i * columns + j]`.
    package internal(set) var elements: [Double]

    /// A `rows × columns` matrix filled with `value`.
    package init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Double](repeating: value, count: rows * columns)
    }

    /// A matrix from row-major `elements`; throws if the count is not `rows * columns`.
    package init(rows: Int, columns: Int, elements: [Double]) throws {
        if rows < 0 || columns < 0 || elements.count != rows * columns {
            throw StatisticsError.dimensionMismatch("\(elements.count) elements for a \(rows) × \(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from an array of equally long rows.
    package init(_ rowArrays: [[Double]]) throws {
        let c = rowArrays.first?.count ?? 0
        for (i, r) in rowArrays.enumerated() where r.count != c {
            throw StatisticsError.dimensionMismatch("row \(i) has \(r.count) entries, row 0 has \(c)")
        }
        try self.init(rows: rowArrays.count, columns: c, elements: rowArrays.flatMap { $0 })
    }

    /// The `n × n` identity.
    package static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// A square matrix with `values` on the diagonal.
    package static func diagonal(_ values: [Double]) -> Matrix {
        var m = Matrix(rows: values.count, columns: values.count)
        for i in values.indices { m[i, i] = values[i] }
        return m
    }

    /// The entry in row `i`, column `j`.
    package subscript(i: Int, j: Int) -> Double {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    /// Whether the matrix is square.
    package var isSquare: Bool { rows == columns }

    /// Row `i` as an array.
    package func row(_ i: Int) -> [Double] { Array(elements[(i * columns)..<((i + 1) * columns)]) }

    /// Column `j` as an array.
    package func column(_ j: Int) -> [Double] { (0..<rows).map { self[$0, j] } }

    /// The main diagonal.
    package var diagonalElements: [Double] { (0..<Swift.min(rows, columns)).map { self[$0, $0] } }

    /// The rows as nested arrays.
    package var rowArrays: [[Double]] { (0..<rows).map(row) }

    /// The transpose.
    package func transposed() -> Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { t[j, i] = self[i, j] }
        }
        return t
    }

    /// The matrix product `self · other`.
    package func multiplied(by other: Matrix) throws -> Matrix {
        if columns != other.rows {
            throw StatisticsError.dimensionMismatch("cannot multiply \(rows) × \(columns) "
                + "by \(other.rows) × \(other.columns)")
        }
        var out = Matrix(rows: rows, columns: other.columns)
        let n = rows, k = columns, m = other.columns
        elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                out.elements.withUnsafeMutableBufferPointer { c in
                    // i-k-j order streams through rows of `b` and `c` contiguously.
                    for i in 0..<n {
                        for p in 0..<k {
                            let aip = a[i * k + p]
                            if aip == 0 { continue }
                            for j in 0..<m { c[i * m + j] += aip * b[p * m + j] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The matrix–vector product `self · v`.
    package func multiplied(by v: [Double]) throws -> [Double] {
        if columns != v.count {
            throw StatisticsError.dimensionMismatch("cannot multiply \(rows) × \(columns) by a vector of \(v.count)")
        }
        var out = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            var s = 0.0
            for j in 0..<columns { s += self[i, j] * v[j] }
            out[i] = s
        }
        return out
    }

    /// The entrywise sum.
    package func adding(_ other: Matrix) throws -> Matrix {
        if rows != other.rows || columns != other.columns {
            throw StatisticsError.dimensionMismatch("cannot add \(rows) × \(columns) and "
                + "\(other.rows) × \(other.columns)")
        }
        var out = self
        for i in elements.indices { out.elements[i] += other.elements[i] }
        return out
    }

    /// Every entry multiplied by `factor`.
    package func scaled(by factor: Double) -> Matrix {
        var out = self
        for i in elements.indices { out.elements[i] *= factor }
        return out
    }

    /// Whether the matrix is square and `|a_ij - a_ji| <= tolerance · max(1, max |a|)`.
    package func isSymmetric(tolerance: Double = 1e-10) -> Bool {
        guard isSquare else { return false }
        let scale = Swift.max(1, elements.reduce(0) { Swift.max($0, Swift.abs($1)) })
        for i in 0..<rows {
            for j in (i + 1)..<Swift.max(i + 1, columns)
            where Swift.abs(self[i, j] - self[j, i]) > tolerance * scale {
                return false
            }
        }
        return true
    }

    /// The largest absolute entrywise difference to `other` (infinite if the shapes differ).
    package func maxAbsoluteDifference(to other: Matrix) -> Double {
        guard rows == other.rows && columns == other.columns else { return .infinity }
        var d = 0.0
        for i in elements.indices { d = Swift.max(d, Swift.abs(elements[i] - other.elements[i])) }
        return d
    }

    /// The rows, tab-separated, six significant digits.
    package var description: String {
        rowArrays.map { $0.map { String(format: "%.6g", $0) }.joined(separator: "\t") }
            .joined(separator: "\n")
    }
}
