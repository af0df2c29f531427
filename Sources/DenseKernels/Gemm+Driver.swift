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

/// Blocks a product into 4×8 register tiles.
///
/// Per depth slice and block of rows, A is packed once with each value repeated in four lanes, so
/// the micro-kernel loads its broadcasts instead of shuffling them (SSE has no broadcast load);
/// rows past the end are packed as zeros. Each 8-column panel of B is packed (zero-padded) into a
/// contiguous block per depth slice and row block, except where few rows use it. Every element of C
/// thus sees the same sequence of operations wherever it lies and however the rows were divided
/// between threads.
enum GemmDriver {
    static let tileRows = 4
    static let tileColumns = 8
    /// Depth slice: one B panel (128 × 8 floats, 4 KiB) stays in L1 while all row tiles use it.
    static let depthBlock = 128
    /// Rows of A packed at a time: 32 × 128 × 4 lanes = 64 KiB, small enough to stay below
    /// malloc's mmap threshold (a fresh mapping per call would page-fault on every product).
    static let rowBlock = 32
    /// Products below this many flops (8.4 M) stay on one thread: below it, the dispatch and the
    /// halved reuse of each B panel cost more than the second core gains (measured with nn-bench).
    static let parallelFlops = 1 << 23

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
        let packedCount = rowBlock * depthBlock * 4
        let scratchCount = depthBlock * tileColumns + packedCount + tileRows * tileColumns
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { scratch in
            let panel = scratch.baseAddress!
            let packedA = panel + depthBlock * tileColumns
            let tile = packedA + packedCount
            var p0 = 0
            while p0 < op.k {
                let depth = min(depthBlock, op.k - p0)
                let add = accumulate || p0 > 0
                var i0 = rows.lowerBound
                while i0 < rows.upperBound {
                    let blockRows = min(rowBlock, rows.upperBound - i0)
                    packA(op, rows: i0..<(i0 + blockRows), depth: p0, count: depth, into: packedA)
                    var j0 = 0
                    while j0 < op.n {
                        let width = min(tileColumns, op.n - j0)
                        let (bPanel, bStride) = panelOfB(
                            op, column: j0, width: width, depth: p0, count: depth, rows: blockRows, into: panel)
                        var t = 0
                        while t * tileRows < blockRows {
                            let tileRowCount = min(tileRows, blockRows - t * tileRows)
                            let aTile = UnsafePointer(packedA + t * depth * tileRows * 4)
                            let cTile = op.c + (i0 + t * tileRows) * op.ldc + j0
                            if width == tileColumns && tileRowCount == tileRows {
                                microKernel(
                                    depth: depth, a: aTile, b: bPanel, bStride: bStride, c: cTile, ldc: op.ldc,
                                    alpha: alpha, add: add)
                            } else {
                                edgeTile(
                                    depth: depth, a: aTile, b: bPanel, bStride: bStride, c: cTile, ldc: op.ldc,
                                    rows: tileRowCount, columns: width, alpha: alpha, add: add, tile: tile)
                            }
                            t += 1
                        }
                        j0 += tileColumns
                    }
                    i0 += blockRows
                }
                p0 += depth
            }
        }
    }

    /// Packs rows `rows` of A over depth p0..<p0+count as 4-row tiles: tile t holds, for each p,
    /// the four rows' values each repeated in four lanes (16 floats); missing rows are zeros.
    @inline(__always)
    static func packA(
        _ op: GemmOperands, rows: Range<Int>, depth p0: Int, count: Int, into packed: UnsafeMutablePointer<Float>
    ) {
        let raw = UnsafeMutableRawPointer(packed)
        var t = 0
        while t * tileRows < rows.count {
            let tileBase = t * count * tileRows * 4
            for r in 0..<tileRows {
                let i = rows.lowerBound + t * tileRows + r
                if i >= rows.upperBound {
                    for p in 0..<count {
                        raw.storeBytes(of: SIMD4<Float>(), toByteOffset: (tileBase + (p * tileRows + r) * 4) * 4,
                                       as: SIMD4<Float>.self)
                    }
                    continue
                }
                let source = op.a + i * op.aRowStride + p0 * op.aColumnStride
                for p in 0..<count {
                    let value = SIMD4<Float>(repeating: source[p * op.aColumnStride])
                    raw.storeBytes(of: value, toByteOffset: (tileBase + (p * tileRows + r) * 4) * 4,
                                   as: SIMD4<Float>.self)
                }
            }
            t += 1
        }
    }

    /// The 8-column panel of B for columns j0..<j0+width and depth p0..<p0+count, packed into a
    /// contiguous, zero-padded block (stride 8) unless used in place.
    ///
    /// A full panel of an untransposed B is used in place by one or two row tiles, where a copy
    /// would cost as much as the products (batches of one). Reused by more tiles it is packed too:
    /// in place, rows 384 floats apart fall into a few L1 sets and evict each other (that halved
    /// AVX2 throughput at hidden 128).
    @inline(__always)
    static func panelOfB(
        _ op: GemmOperands, column j0: Int, width: Int, depth p0: Int, count: Int, rows: Int,
        into panel: UnsafeMutablePointer<Float>
    ) -> (UnsafePointer<Float>, Int) {
        if !op.bTransposed && width == tileColumns {
            if rows <= 2 * tileRows { return (op.b + p0 * op.bRowStride + j0, op.bRowStride) }
            for p in 0..<count { store8(load8(op.b + (p0 + p) * op.bRowStride + j0), panel + p * tileColumns) }
            return (UnsafePointer(panel), tileColumns)
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

    /// Runs the micro-kernel on a 4×8 scratch tile and copies back the `rows × columns` that exist.
    @inline(__always)
    static func edgeTile(
        depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bStride: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int, alpha: Float, add: Bool,
        tile: UnsafeMutablePointer<Float>
    ) {
        tile.update(repeating: 0, count: tileRows * tileColumns)
        if add {
            for r in 0..<rows { (tile + r * tileColumns).update(from: c + r * ldc, count: columns) }
        }
        microKernel(depth: depth, a: a, b: b, bStride: bStride, c: tile, ldc: tileColumns, alpha: alpha, add: add)
        for r in 0..<rows { (c + r * ldc).update(from: tile + r * tileColumns, count: columns) }
    }
}
