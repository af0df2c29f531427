import Serialization

/// One FHIR resource as read, with where it came from.
struct RawResource {
    var type: String
    var node: JSONNode
    var source: RecordSource
    /// The bundle it came in (references resolve there first), or -1 for a bare resource.
    var scope: Int
    var fullUrl: String?

    /// `id`, or the id a bundle's `urn:uuid:` full URL gives a resource without one.
    var id: String? {
        if let id = node["id"]?.stringValue, !id.isEmpty { return id }
        if let url = fullUrl, url.hasPrefix("urn:uuid:") { return String(url.dropFirst(9)) }
        return nil
    }
}

/// All resources read from ndjson lines and bundles, and how references between them resolve.
///
/// Resources are kept whole until every file is read, because a reference may point forward
/// (an Observation line before its Patient's file) and because resources are grouped by
/// `resourceType`, not by the file they came in.
struct ResourcePool {
    private(set) var resources: [RawResource] = []
    /// `Type/id` → the first resource with it.
    private var global: [String: Int] = [:]
    /// Per bundle: full URL and `Type/id` → resource.
    private var scopes: [[String: Int]] = []

    /// Reads a file of newline-delimited resources (FHIR Bulk Data); blank lines are allowed.
    mutating func readNDJSON(_ bytes: [UInt8], file: String, session: inout ImportSession) {
        var start = 0
        var line = 0
        while start < bytes.count {
            line += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var content = start..<end
            if content.upperBound > content.lowerBound, bytes[content.upperBound - 1] == 0x0D {
                content = content.lowerBound..<(content.upperBound - 1)
            }
            if bytes[content].contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                do {
                    let node = try JSONParser.parse(Array(bytes[content]))
                    add(node, RecordSource(type: "", file: file, lineOffset: line - 1, line: line, path: "$"),
                        scope: -1, fullUrl: nil, session: &session)
                } catch {
                    session.fileProblem("malformed JSON", "not valid JSON: \(error.message) (column \(error.column))",
                                        file: file, line: line)
                }
            }
            start = end + 1
        }
    }

    /// Reads a file holding one JSON resource, usually a `Bundle`.
    mutating func readJSON(_ bytes: [UInt8], file: String, session: inout ImportSession) {
        do {
            let node = try JSONParser.parse(bytes)
            add(node, RecordSource(type: "", file: file, lineOffset: 0, line: node.line, path: "$"),
                scope: -1, fullUrl: nil, session: &session)
        } catch {
            session.fileProblem("malformed JSON", "not valid JSON: \(error.message) (column \(error.column))",
                                file: file, line: error.line)
        }
    }

    private mutating func add(_ node: JSONNode, _ where: RecordSource, scope: Int, fullUrl: String?,
                              session: inout ImportSession) {
        var source = `where`
        source.line = source.lineOffset + node.line
        guard let type = node["resourceType"]?.stringValue, !type.isEmpty else {
            session.fileProblem("not a FHIR resource", "\(source.path) has no \"resourceType\"", file: source.file, line: source.line)
            return
        }
        source.type = type
        if type == "Bundle" {
            addBundle(node, source, session: &session)
            return
        }
        let index = resources.count
        resources.append(RawResource(type: type, node: node, source: source, scope: scope, fullUrl: fullUrl))
        let resource = resources[index]
        if let id = resource.id {
            let key = "\(type)/\(id)"
            if global[key] == nil { global[key] = index }
            if scope >= 0 && scopes[scope][key] == nil { scopes[scope][key] = index }
        }
        if scope >= 0, let fullUrl {
            if scopes[scope][fullUrl] == nil { scopes[scope][fullUrl] = index }
            if let tail = Self.typeAndID(fullUrl), scopes[scope][tail] == nil { scopes[scope][tail] = index }
        }
    }

    private mutating func addBundle(_ node: JSONNode, _ source: RecordSource, session: inout ImportSession) {
        let scope = scopes.count
        scopes.append([:])
        for (i, entry) in (node["entry"]?.arrayValue ?? []).enumerated() {
            if entry["request"]?["method"]?.stringValue == "DELETE" { continue }
            guard let resource = entry["resource"] else { continue }
            var inner = source
            inner.path = "\(source.path).entry[\(i)].resource"
            add(resource, inner, scope: scope, fullUrl: entry["fullUrl"]?.stringValue, session: &session)
        }
    }

    /// The resource a reference names: within the referring bundle first (full URL, then
    /// `Type/id`), then among all resources by `Type/id`. Absolute URLs match by their last
    /// `Type/id`; nil when nothing matches.
    func resolve(_ reference: String, from scope: Int) -> Int? {
        if scope >= 0, let i = scopes[scope][reference] { return i }
        guard let key = Self.typeAndID(reference) else { return nil }
        if scope >= 0, let i = scopes[scope][key] { return i }
        return global[key]
    }

    /// `Type/id` from a relative or absolute reference (a version suffix `/_history/n` dropped).
    static func typeAndID(_ reference: String) -> String? {
        var parts = reference.split(separator: "/", omittingEmptySubsequences: true)
        if parts.count >= 4 && parts[parts.count - 2] == "_history" { parts.removeLast(2) }
        guard parts.count >= 2, let first = parts[parts.count - 2].first, first.isUppercase else { return nil }
        return "\(parts[parts.count - 2])/\(parts[parts.count - 1])"
    }
}
