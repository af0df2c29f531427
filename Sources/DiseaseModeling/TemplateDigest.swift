import Foundation
import Serialization

/// The digest that names which template a model was trained with: a SHA-256 of what the
/// simulator and the model read, not of the file's bytes. Prose (descriptions, sources, notes,
/// code displays, the name and version), reference ranges and plot scales (only reports use
/// them), the record rules (they only check) and key order do not
/// count, so editing a description does not invalidate a trained model, while changing any
/// number, code or simulation rule does.
enum TemplateDigest {
    /// Keys whose values never change what is simulated or learned, wherever they stand.
    static let proseKeys: Set<String> = [
        "$schema", "name", "description", "version", "sources", "source", "note", "notes", "display",
        "referenceRange", "plotScale",
    ]
    /// Top-level keys of the same kind: the record rules only check (`visits.rules` is a schedule).
    static let topLevelProseKeys: Set<String> = ["rules"]

    static func of(_ root: JSONNode) -> String {
        var bytes: [UInt8] = []
        var top = root
        if case .object(let members) = root.value {
            top.value = .object(members.filter { !topLevelProseKeys.contains($0.key) })
        }
        append(top, to: &bytes)
        return SHA256.hexDigest(of: bytes)
    }

    /// A canonical JSON text: object keys sorted, prose removed, numbers in shortest round-trip form.
    private static func append(_ node: JSONNode, to bytes: inout [UInt8]) {
        switch node.value {
        case .null: bytes += Array("null".utf8)
        case .bool(let b): bytes += Array((b ? "true" : "false").utf8)
        case .number(let d): bytes += Array("\(d)".utf8)
        case .string(let s): appendString(s, to: &bytes)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                append(item, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            let kept = members.filter { !proseKeys.contains($0.key) }.sorted { $0.key < $1.key }
            for (i, member) in kept.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                append(member.node, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// A string, length-prefixed so that no content can be mistaken for structure.
    private static func appendString(_ s: String, to bytes: inout [UInt8]) {
        let utf8 = Array(s.utf8)
        bytes += Array("\(utf8.count):".utf8) + utf8
    }
}
