/// Row-major matrix helpers around the products: bias broadcast, column sums and transposes.
package enum MatrixOps {
    /// x[i, :] += row for every row i of the rows×columns matrix x.
    package static func addRowBroadcast(
        _ row: UnsafeBufferPointer<Float>, to x: UnsafeMutableBufferPointer<Float>, rows: Int, columns: Int
    ) {
        precondition(row.count >= columns && x.count >= rows * columns, "addRowBroadcast: buffer too small")
        guard let rp = row.baseAddress, let xp = x.baseAddress else { return }
        for i in 0..<rows {
            let target = xp + i * columns
            var j = 0
            while j + 8 <= columns {
                store8(load8(target + j) + load8(rp + j), target + j)
                j += 8
            }
            while j < columns {
                target[j] += rp[j]
                j += 1
            }
        }
    }

    /// out[j] (+)= Σ_i x[i, j]: the bias gradient of a batch of output gradients.
    ///
    /// Rows are added top to bottom, so each column's sum has a fixed order.
    package static func columnSums(
        _ x: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
        into out: UnsafeMutableBufferPointer<Float>, accumulate: Bool = false
    ) {
        precondition(out.count >= columns && x.count >= rows * columns, "columnSums: buffer too small")
        guard let op = out.baseAddress else { return }
        if !accumulate { op.update(repeating: 0, count: columns) }
        guard let xp = x.baseAddress else { return }
        for i in 0..<rows {
            let source = xp + i * columns
            var j = 0
            while j + 8 <= columns {
                store8(load8(op + j) + load8(source + j), op + j)
                j += 8
            }
            while j < columns {
                op[j] += source[j]
                j += 1
            }
        }
    }

    /// out[columns×rows] = xᵀ for the rows×columns matrix x, in 8×8 blocks to stay in cache.
    package static func transpose(
        _ x: UnsafeBufferPointer<Float>, rows: Int, columns: Int, into out: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(x.count >= rows * columns && out.count >= rows * columns, "transpose: buffer too small")
        guard let xp = x.baseAddress, let op = out.baseAddress else { return }
        let block = 8
        var i0 = 0
        while i0 < rows {
            let iEnd = min(i0 + block, rows)
            var j0 = 0
            while j0 < columns {
                let jEnd = min(j0 + block, columns)
                for i in i0..<iEnd {
                    for j in j0..<jEnd { op[j * rows + i] = xp[i * columns + j] }
                }
                j0 += block
            }
            i0 += block
        }
    }
}

extension MatrixOps {
    /// x[i, :] += row on arrays.
    package static func addRowBroadcast(_ row: [Float], to x: inout [Float], rows: Int, columns: Int) {
        row.withUnsafeBufferPointer { r in
            x.withUnsafeMutableBufferPointer { addRowBroadcast(r, to: $0, rows: rows, columns: columns) }
        }
    }

    /// Column sums of a rows×columns array.
    package static func columnSums(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: columns)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { columnSums(x, rows: rows, columns: columns, into: $0) }
        }
        return out
    }

    /// The transpose of a rows×columns array (a columns×rows array).
    package static func transpose(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { transpose(x, rows: rows, columns: columns, into: $0) }
        }
        return out
    }
}
