import Dispatch

/// Where the operands of one product live, as strides: A(i, p) = a[i·aRowStride + p·aColumnStride],
/// B(p, j) = b[p·bRowStride + j] (or b[j·bRowStride + p] when `bTransposed`), C(i, j) = c[i·ldc + j].
struct GemmOperands: @unchecked Sendable {
    let m: Int
    let n: Int
    let k: Int
    let a: UnsafePointer<Float>
    let aRowStride: Int
    let aColumnStride: Int
    let b: UnsafePointer<Float>
    let bRowStride: Int
    let bTransposed: Bool
    let c: UnsafeMutablePointer<Float>
    let ldc: Int
}

/// Blocks a product into 4×8 register tiles over depth slices of B panels.
///
/// Edge tiles (fewer than 4 rows or 8 columns) go through zero-padded copies and the same
/// micro-kernel, so every element of C sees the same sequence of operations wherever it lies and
/// however the rows were divided between threads.
enum GemmDriver {
    static let tileRows = 4
    static let tileColumns = 8
    /// Depth slice: keeps one B panel (256 × 8 floats, 8 KiB) in L1 while all row tiles use it.
    static let depthBlock = 256
    /// Products below this many flops stay on one thread: a dispatch costs about as much as
    /// 2 MFLOP of work at these sizes.
    static let parallelFlops = 1 << 21

    static func clear(_ c: UnsafeMutableBufferPointer<Float>, count: Int, accumulate: Bool) {
        if !accumulate { c.baseAddress!.update(repeating: 0, count: count) }
    }

    static func run(_ op: GemmOperands, alpha: Float, accumulate: Bool, threads: Int) {
        let rowTiles = (op.m + tileRows - 1) / tileRows
        let flops = 2 * op.m * op.n * op.k
        let parts = flops >= parallelFlops ? max(1, min(threads, rowTiles)) : 1
        if parts == 1 {
            compute(op, rows: 0..<op.m, alpha: alpha, accumulate: accumulate)
            return
        }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lower = rowTiles * part / parts * tileRows
            let upper = min(op.m, rowTiles * (part + 1) / parts * tileRows)
            compute(op, rows: lower..<upper, alpha: alpha, accumulate: accumulate)
        }
    }

    /// Computes the rows `rows` of C; `rows.lowerBound` is a multiple of `tileRows`.
    static func compute(_ op: GemmOperands, rows: Range<Int>, alpha: Float, accumulate: Bool) {
        let scratchCount = depthBlock * tileColumns + depthBlock * tileRows + tileRows * tileColumns
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { scratch in
            let panel = scratch.baseAddress!
            let paddedA = panel + depthBlock * tileColumns
            let tile = paddedA + depthBlock * tileRows
            var j0 = 0
            while j0 < op.n {
                let width = min(tileColumns, op.n - j0)
                var p0 = 0
                while p0 < op.k {
                    let depth = min(depthBlock, op.k - p0)
                    let add = accumulate || p0 > 0
                    let (bPanel, bStride) = panelOfB(op, column: j0, width: width, depth: p0, count: depth, into: panel)
                    var i = rows.lowerBound
                    while i + tileRows <= rows.upperBound {
                        let aTile = op.a + i * op.aRowStride + p0 * op.aColumnStride
                        let cTile = op.c + i * op.ldc + j0
                        if width == tileColumns {
                            microKernel(
                                depth: depth, a: aTile, aRowStride: op.aRowStride, aColumnStride: op.aColumnStride,
                                b: bPanel, bStride: bStride, c: cTile, ldc: op.ldc, alpha: alpha, add: add)
                        } else {
                            edgeTile(
                                depth: depth, a: aTile, aRowStride: op.aRowStride, aColumnStride: op.aColumnStride,
                                b: bPanel, c: cTile, ldc: op.ldc, rows: tileRows, columns: width,
                                alpha: alpha, add: add, tile: tile)
                        }
                        i += tileRows
                    }
                    if i < rows.upperBound {
                        let remaining = rows.upperBound - i
                        padRowsOfA(op, row: i, count: remaining, depth: p0, depthCount: depth, into: paddedA)
                        edgeTile(
                            depth: depth, a: paddedA, aRowStride: depth, aColumnStride: 1,
                            b: bPanel, bStride: bStride, c: op.c + i * op.ldc + j0, ldc: op.ldc,
                            rows: remaining, columns: width, alpha: alpha, add: add, tile: tile)
                    }
                    p0 += depth
                }
                j0 += tileColumns
            }
        }
    }

    /// The 8-column panel of B for columns j0..<j0+width and depth p0..<p0+count: B itself when it
    /// is a full, untransposed panel, otherwise a zero-padded packed copy with stride 8.
    @inline(__always)
    static func panelOfB(
        _ op: GemmOperands, column j0: Int, width: Int, depth p0: Int, count: Int,
        into panel: UnsafeMutablePointer<Float>
    ) -> (UnsafePointer<Float>, Int) {
        if !op.bTransposed && width == tileColumns {
            return (op.b + p0 * op.bRowStride + j0, op.bRowStride)
        }
        if width < tileColumns { panel.update(repeating: 0, count: count * tileColumns) }
        if op.bTransposed {
            for jj in 0..<width {
                let source = op.b + (j0 + jj) * op.bRowStride + p0
                for p in 0..<count { panel[p * tileColumns + jj] = source[p] }
            }
        } else {
            for p in 0..<count {
                let source = op.b + (p0 + p) * op.bRowStride + j0
                for jj in 0..<width { panel[p * tileColumns + jj] = source[jj] }
            }
        }
        return (UnsafePointer(panel), tileColumns)
    }

    /// Copies `count` (< 4) rows of A over one depth slice into a zero-padded 4-row block.
    @inline(__always)
    static func padRowsOfA(
        _ op: GemmOperands, row i: Int, count: Int, depth p0: Int, depthCount: Int,
        into padded: UnsafeMutablePointer<Float>
    ) {
        padded.update(repeating: 0, count: tileRows * depthCount)
        for r in 0..<count {
            let source = op.a + (i + r) * op.aRowStride + p0 * op.aColumnStride
            let target = padded + r * depthCount
            for p in 0..<depthCount { target[p] = source[p * op.aColumnStride] }
        }
    }

    /// Runs the micro-kernel on a 4×8 scratch tile and copies back the `rows × columns` that exist.
    @inline(__always)
    static func edgeTile(
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Float>, bStride: Int = tileColumns, c: UnsafeMutablePointer<Float>, ldc: Int,
        rows: Int, columns: Int, alpha: Float, add: Bool, tile: UnsafeMutablePointer<Float>
    ) {
        tile.update(repeating: 0, count: tileRows * tileColumns)
        if add {
            for r in 0..<rows { (tile + r * tileColumns).update(from: c + r * ldc, count: columns) }
        }
        microKernel(
            depth: depth, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
            b: b, bStride: bStride, c: tile, ldc: tileColumns, alpha: alpha, add: add)
        for r in 0..<rows { (c + r * ldc).update(from: tile + r * tileColumns, count: columns) }
    }
}
