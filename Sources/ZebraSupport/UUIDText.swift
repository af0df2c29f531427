/// Calls `body` with each of the 36 bytes of the lowercase version-4 UUID text of 128 bits (`high` first).
@inlinable
package func forEachUUIDByte(_ high: UInt64, _ low: UInt64, _ body: (UInt8) -> Void) {
    /// The lowercase hex digit of `v` (0...15) as ASCII.
    @inline(__always) func hex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
    for i in 0..<16 {
        var b = UInt8(truncatingIfNeeded: (i < 8 ? high : low) >> (56 - 8 * UInt64(i % 8)))
        if i == 6 { b = (b & 0x0F) | 0x40 }
        if i == 8 { b = (b & 0x3F) | 0x80 }
        if i == 4 || i == 6 || i == 8 || i == 10 { body(UInt8(ascii: "-")) }
        body(hex(b >> 4))
        body(hex(b & 0xF))
    }
}

/// The version-4 UUID text of 128 bits (see `forEachUUIDByte`).
package func uuidString(_ high: UInt64, _ low: UInt64) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(36)
    forEachUUIDByte(high, low) { bytes.append($0) }
    return String(decoding: bytes, as: UTF8.self)
}
