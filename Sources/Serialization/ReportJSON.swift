import Foundation

/// A JSON value built for a report (evaluation metrics, control-arm results, operating
/// characteristics, benchmark shapes), written with keys in the order given, so the same inputs
/// give the same bytes. Strings are escaped by `ByteWriter.jsonString`; numbers are never NaN or
/// infinite in the text (`finite` turns those into null).
package indirect enum ReportJSON: Sendable {
    case object([(String, ReportJSON)])
    case array([ReportJSON])
    case number(Double)
    case integer(Int)
    case unsigned(UInt64)
    case string(String)
    case bool(Bool)
    case null

    /// How a report's JSON is laid out: two-space indentation, one member per line, and these choices.
    package struct Layout: Sendable, Equatable {
        /// Objects whose members are all scalars go on one line: `{"a": 1, "b": "x"}`.
        package var flatObjectsInline: Bool
        /// Arrays of scalars go on one line, `[1, 2]`, rather than one item per line.
        package var scalarArraysInline: Bool
        /// Significant digits of non-integral numbers (`%.6g`); nil for the shortest text that reads back exactly.
        package var significantDigits: Int?

        /// A layout with the given choices.
        package init(flatObjectsInline: Bool, scalarArraysInline: Bool, significantDigits: Int?) {
            precondition(significantDigits.map { (1...17).contains($0) } ?? true, "significant digits must be 1...17")
            self.flatObjectsInline = flatObjectsInline
            self.scalarArraysInline = scalarArraysInline
            self.significantDigits = significantDigits
        }

        /// Every object spread over lines, scalar arrays on one line, numbers exact (the trial reports).
        package static let standard = Layout(flatObjectsInline: false, scalarArraysInline: true, significantDigits: nil)
    }

    /// A number, or null when it is missing or not finite.
    package static func finite(_ x: Double?) -> ReportJSON {
        guard let x, x.isFinite else { return .null }
        return .number(x)
    }

    /// A string, or null when it is missing.
    package static func nullable(_ s: String?) -> ReportJSON {
        s.map { .string($0) } ?? .null
    }

    /// Pretty-printed text with a final newline.
    package func text(layout: Layout = .standard) -> String {
        String(decoding: bytes(layout: layout), as: UTF8.self)
    }

    /// Pretty-printed UTF-8 bytes with a final newline.
    package func bytes(layout: Layout = .standard) -> [UInt8] {
        var w = ByteWriter(capacity: 4096)
        write(&w, indent: 0, layout: layout)
        w.byte(0x0A)
        return w.bytes
    }

    /// Whether the value is neither an object nor an array.
    private var isScalar: Bool {
        switch self {
        case .object, .array: false
        default: true
        }
    }

    /// Starts a new line indented `indent` levels.
    private func newline(_ w: inout ByteWriter, _ indent: Int) {
        w.byte(0x0A)
        for _ in 0..<indent { w.raw("  ") }
    }

    /// Writes the value at nesting depth `indent`.
    private func write(_ w: inout ByteWriter, indent: Int, layout: Layout) {
        switch self {
        case .object(let members):
            if members.isEmpty { w.raw("{}"); return }
            let inline = layout.flatObjectsInline && members.allSatisfy { $0.1.isScalar }
            w.byte(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { w.raw(inline ? ", " : ",") }
                if !inline { newline(&w, indent + 1) }
                w.jsonString(key)
                w.raw(": ")
                value.write(&w, indent: indent + 1, layout: layout)
            }
            if !inline { newline(&w, indent) }
            w.byte(UInt8(ascii: "}"))
        case .array(let items):
            if items.isEmpty { w.raw("[]"); return }
            let inline = layout.scalarArraysInline && items.allSatisfy(\.isScalar)
            w.byte(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { w.raw(inline ? ", " : ",") }
                if !inline { newline(&w, indent + 1) }
                item.write(&w, indent: indent + 1, layout: layout)
            }
            if !inline { newline(&w, indent) }
            w.byte(UInt8(ascii: "]"))
        case .number(let x):
            if let digits = layout.significantDigits, x.isFinite, !(x == x.rounded() && x.magnitude < 1e15) {
                w.rawString(String(format: "%.\(digits)g", x))
            } else {
                w.number(x)
            }
        case .integer(let i): w.integer(i)
        case .unsigned(let u): w.unsigned(u)
        case .string(let s): w.jsonString(s)
        case .bool(let b): w.raw(b ? "true" : "false")
        case .null: w.raw("null")
        }
    }
}
