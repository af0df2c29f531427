import Foundation
import Serialization

/// A JSON value built for a report, written with keys in the order given (stable output).
public indirect enum ReportJSON: Sendable {
    case object([(String, ReportJSON)])
    case array([ReportJSON])
    case number(Double)
    case integer(Int)
    case string(String)
    case bool(Bool)
    case null

    /// A number, or null when it is not finite.
    static func finite(_ x: Double?) -> ReportJSON {
        guard let x, x.isFinite else { return .null }
        return .number(x)
    }

    /// Pretty-printed text with two-space indentation and a final newline.
    public func text() -> String {
        var w = ByteWriter(capacity: 4096)
        write(&w, indent: 0)
        w.byte(0x0A)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private func newline(_ w: inout ByteWriter, _ indent: Int) {
        w.byte(0x0A)
        for _ in 0..<indent { w.raw("  ") }
    }

    private func write(_ w: inout ByteWriter, indent: Int) {
        switch self {
        case .object(let members):
            if members.isEmpty { w.raw("{}"); return }
            w.byte(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                newline(&w, indent + 1)
                w.jsonString(key)
                w.raw(": ")
                value.write(&w, indent: indent + 1)
            }
            newline(&w, indent)
            w.byte(UInt8(ascii: "}"))
        case .array(let items):
            if items.isEmpty { w.raw("[]"); return }
            let scalar = items.allSatisfy { if case .object = $0 { false } else if case .array = $0 { false } else { true } }
            w.byte(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { w.raw(scalar ? ", " : ",") }
                if !scalar { newline(&w, indent + 1) }
                item.write(&w, indent: indent + 1)
            }
            if !scalar { newline(&w, indent) }
            w.byte(UInt8(ascii: "]"))
        case .number(let x): w.number(x)
        case .integer(let i): w.integer(i)
        case .string(let s): w.jsonString(s)
        case .bool(let b): w.raw(b ? "true" : "false")
        case .null: w.raw("null")
        }
    }
}

/// Fixed-decimal text for tables and CSV (`-` for a missing value).
func fixed(_ x: Double?, _ decimals: Int) -> String {
    guard let x, x.isFinite else { return "-" }
    var w = ByteWriter(capacity: 24)
    w.decimal(x, decimals: decimals)
    return String(decoding: w.bytes, as: UTF8.self)
}

/// A CSV field, quoted when it needs to be.
func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}
