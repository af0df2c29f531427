import Foundation
import Serialization

/// Fixed-decimal text for tables and CSV (`-` for a missing value).
func fixed(_ x: Double?, _ decimals: Int) -> String {
    guard let x, x.isFinite else { return "-" }
    var w = ByteWriter(capacity: 24)
    w.decimal(x, decimals: decimals)
    return String(decoding: w.bytes, as: UTF8.self)
}
