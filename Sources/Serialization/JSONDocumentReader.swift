/// One problem found in a JSON document (a template, a trial specification): the file, the
/// 1-based line of the value, its JSON path and what is wrong.
package struct DocumentProblem: Sendable, Hashable, CustomStringConvertible {
    package var file: String
    /// A JSON path such as `$.measures[2].slope.effects[0].attribute`.
    package var path: String
    /// The 1-based line of the value the problem is about (0 when unknown).
    package var line: Int
    package var message: String

    package init(file: String, path: String, line: Int, message: String) {
        self.file = file
        self.path = path
        self.line = line
        self.message = message
    }

    package var description: String {
        line > 0 ? "\(file):\(line): \(path): \(message)" : "\(file): \(path): \(message)"
    }
}

/// Reads typed values out of a JSON tree while recording every problem with its JSON path.
///
/// Decoding carries on after a problem (with a neutral stand-in value), so that one pass reports
/// everything wrong with a document instead of stopping at the first error.
package final class JSONDocumentReader {
    package let file: String
    package private(set) var problems: [DocumentProblem] = []
    /// JSON path → line of every value read, for problems found later (against a template).
    package private(set) var lines: [String: Int] = [:]

    package init(file: String) { self.file = file }

    package func report(_ path: String, _ node: JSONNode?, _ message: String) {
        problems.append(DocumentProblem(file: file, path: path, line: node?.line ?? lines[path] ?? 0, message: message))
    }

    func note(_ path: String, _ node: JSONNode?) {
        if let node { lines[path] = node.line }
    }

    /// The members of an object; reports keys outside `allowed`, suggesting the likely one.
    package func object(_ node: JSONNode?, _ path: String, allowed: Set<String>) -> [String: JSONNode]? {
        guard let node else { return nil }
        note(path, node)
        guard let members = node.objectValue else {
            report(path, node, "expected an object, found \(node.value.typeName)")
            return nil
        }
        var result: [String: JSONNode] = [:]
        for member in members {
            if !allowed.contains(member.key) {
                let hint = Self.closest(member.key, in: allowed).map { " (did you mean \"\($0)\"?)" }
                    ?? "; allowed: \(allowed.sorted().joined(separator: ", "))"
                report("\(path).\(member.key)", member.node, "unknown key \"\(member.key)\"\(hint)")
            }
            result[member.key] = member.node
            note("\(path).\(member.key)", member.node)
        }
        return result
    }

    /// The members of an object in their written order.
    package func members(_ node: JSONNode?, _ path: String) -> [JSONMember] {
        guard let node else { return [] }
        note(path, node)
        guard let members = node.objectValue else {
            report(path, node, "expected an object, found \(node.value.typeName)")
            return []
        }
        for m in members { note("\(path).\(m.key)", m.node) }
        return members
    }

    package func required(_ members: [String: JSONNode], _ key: String, _ path: String, parent: JSONNode?)
        -> JSONNode? {
        if let node = members[key] { return node }
        report(path, parent, "missing required key \"\(key)\"")
        return nil
    }

    package func string(_ node: JSONNode?, _ path: String) -> String? {
        guard let node else { return nil }
        guard let s = node.stringValue else {
            report(path, node, "expected a string, found \(node.value.typeName)")
            return nil
        }
        return s
    }

    package func number(_ node: JSONNode?, _ path: String, in range: ClosedRange<Double>? = nil) -> Double? {
        guard let node else { return nil }
        guard let d = node.numberValue else {
            report(path, node, "expected a number, found \(node.value.typeName)")
            return nil
        }
        if let range, !range.contains(d) {
            report(path, node, "\(d) is outside the allowed range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return d
    }

    package func integer(_ node: JSONNode?, _ path: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let d = number(node, path) else { return nil }
        guard d == d.rounded(), abs(d) < 1e9, range.map({ $0.contains(Int(d)) }) ?? true else {
            let within = range.map { " in \($0.lowerBound)...\($0.upperBound)" } ?? ""
            report(path, node, "expected a whole number\(within), found \(d)")
            return nil
        }
        return Int(d)
    }

    package func bool(_ node: JSONNode?, _ path: String) -> Bool? {
        guard let node else { return nil }
        guard let b = node.boolValue else {
            report(path, node, "expected true or false, found \(node.value.typeName)")
            return nil
        }
        return b
    }

    package func array(_ node: JSONNode?, _ path: String) -> [JSONNode]? {
        guard let node else { return nil }
        note(path, node)
        guard let a = node.arrayValue else {
            report(path, node, "expected an array, found \(node.value.typeName)")
            return nil
        }
        for (i, item) in a.enumerated() { note("\(path)[\(i)]", item) }
        return a
    }

    package func strings(_ node: JSONNode?, _ path: String) -> [String]? {
        guard let items = array(node, path) else { return nil }
        return items.enumerated().compactMap { string($1, "\(path)[\($0)]") }
    }

    /// A string that must be one of `choices`.
    package func choice(_ node: JSONNode?, _ path: String, _ choices: [String]) -> String? {
        guard let s = string(node, path) else { return nil }
        if !choices.contains(s) {
            report(path, node, "\"\(s)\" is not one of \(choices.map { "\"\($0)\"" }.joined(separator: ", "))")
            return nil
        }
        return s
    }

    /// The allowed name closest to a misspelt key, when it is close enough to be a likely typo.
    static func closest(_ key: String, in allowed: Set<String>) -> String? {
        var best: (String, Int)?
        for candidate in allowed {
            let d = editDistance(key.lowercased(), candidate.lowercased())
            if d <= max(1, candidate.count / 4), best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) {
                best = (candidate, d)
            }
        }
        return best?.0
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.utf8), y = Array(b.utf8)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}
