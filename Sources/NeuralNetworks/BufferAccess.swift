/// Scoped pointer access to several arrays at once, so hot code can take all its buffers in one
/// closure instead of a pyramid of `withUnsafe…` calls.
typealias FloatBuffer = UnsafeBufferPointer<Float>
typealias MutableFloatBuffer = UnsafeMutableBufferPointer<Float>

@inline(__always)
func withBuffers<R>(_ a: [Float], _ b: [Float], _ body: (FloatBuffer, FloatBuffer) -> R) -> R {
    a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in body(a, b) } }
}

@inline(__always)
func withBuffers<R>(_ a: [Float], _ b: [Float], _ c: [Float], _ body: (FloatBuffer, FloatBuffer, FloatBuffer) -> R)
    -> R {
    a.withUnsafeBufferPointer { a in withBuffers(b, c) { b, c in body(a, b, c) } }
}

@inline(__always)
func withMutableBuffers<R>(_ a: inout [Float], _ b: inout [Float],
                           _ body: (MutableFloatBuffer, MutableFloatBuffer) -> R) -> R {
    a.withUnsafeMutableBufferPointer { a in b.withUnsafeMutableBufferPointer { b in body(a, b) } }
}

@inline(__always)
func withMutableBuffers<R>(
    _ a: inout [Float], _ b: inout [Float], _ c: inout [Float],
    _ body: (MutableFloatBuffer, MutableFloatBuffer, MutableFloatBuffer) -> R
) -> R {
    a.withUnsafeMutableBufferPointer { a in withMutableBuffers(&b, &c) { b, c in body(a, b, c) } }
}

@inline(__always)
func withMutableBuffers<R>(
    _ a: inout [Float], _ b: inout [Float], _ c: inout [Float], _ d: inout [Float],
    _ body: (MutableFloatBuffer, MutableFloatBuffer, MutableFloatBuffer, MutableFloatBuffer) -> R
) -> R {
    a.withUnsafeMutableBufferPointer { a in withMutableBuffers(&b, &c, &d) { b, c, d in body(a, b, c, d) } }
}

extension UnsafeBufferPointer where Element == Float {
    /// Rows `rows` of a matrix with `columns` columns.
    func rows(_ rows: Range<Int>, columns: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: self[(rows.lowerBound * columns)..<(rows.upperBound * columns)])
    }
}

extension UnsafeMutableBufferPointer where Element == Float {
    /// Rows `rows` of a matrix with `columns` columns.
    func rows(_ rows: Range<Int>, columns: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: self[(rows.lowerBound * columns)..<(rows.upperBound * columns)])
    }

    /// A read-only view.
    var readOnly: UnsafeBufferPointer<Float> { UnsafeBufferPointer(self) }
}

@inline(__always)
func withBuffers<R>(_ a: [Float], _ body: (FloatBuffer) -> R) -> R {
    a.withUnsafeBufferPointer(body)
}
