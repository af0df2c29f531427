import Serialization

/// Reads typed values out of a JSON tree while recording every problem with its JSON path.
///
/// Decoding carries on after a problem (with a neutral stand-in value), so that one pass reports
/// everything wrong with a template instead of stopping at the first error.
final class TemplateReader {
    let file: String
    private(set) var problems: [TemplateProblem] = []

    init(file: String) { self.file = file }

    func report(_ path: String, _ node: JSONNode?, _ message: String) {
        problems.append(TemplateProblem(file: file, path: path, line: node?.line ?? 0, message: message))
    }

    /// The members of an object; reports keys outside `allowed`.
    func object(_ node: JSONNode?, _ path: String, allowed: Set<String>) -> [String: JSONNode]? {
        guard let node else { return nil }
        guard let members = node.objectValue else {
            report(path, node, "expected an object, found \(node.value.typeName)")
            return nil
        }
        var result: [String: JSONNode] = [:]
        for member in members {
            if !allowed.contains(member.key) {
                let suggestion = closest(member.key, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                report("\(path).\(member.key)", member.node, "unknown key \"\(member.key)\"\(suggestion)")
            }
            result[member.key] = member.node
        }
        return result
    }

    func required(_ members: [String: JSONNode], _ key: String, _ path: String, parent: JSONNode?) -> JSONNode? {
        if let node = members[key] { return node }
        report(path, parent, "missing required key \"\(key)\"")
        return nil
    }

    func string(_ node: JSONNode?, _ path: String) -> String? {
        guard let node else { return nil }
        guard let s = node.stringValue else {
            report(path, node, "expected a string, found \(node.value.typeName)")
            return nil
        }
        return s
    }

    func number(_ node: JSONNode?, _ path: String) -> Double? {
        guard let node else { return nil }
        guard let d = node.numberValue else {
            report(path, node, "expected a number, found \(node.value.typeName)")
            return nil
        }
        return d
    }

    func number(_ node: JSONNode?, _ path: String, in range: ClosedRange<Double>) -> Double? {
        guard let d = number(node, path) else { return nil }
        if !range.contains(d) {
            report(path, node, "\(d) is outside the allowed range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return d
    }

    func integer(_ node: JSONNode?, _ path: String) -> Int? {
        guard let d = number(node, path) else { return nil }
        guard d == d.rounded(), abs(d) < 1e9 else {
            report(path, node, "expected a whole number, found \(d)")
            return nil
        }
        return Int(d)
    }

    func bool(_ node: JSONNode?, _ path: String) -> Bool? {
        guard let node else { return nil }
        guard let b = node.boolValue else {
            report(path, node, "expected true or false, found \(node.value.typeName)")
            return nil
        }
        return b
    }

    func array(_ node: JSONNode?, _ path: String) -> [JSONNode]? {
        guard let node else { return nil }
        guard let a = node.arrayValue else {
            report(path, node, "expected an array, found \(node.value.typeName)")
            return nil
        }
        return a
    }

    func stringArray(_ node: JSONNode?, _ path: String) -> [String]? {
        guard let items = array(node, path) else { return nil }
        return items.enumerated().compactMap { string($1, "\(path)[\($0)]") }
    }

    /// A string that must be one of `choices`.
    func choice(_ node: JSONNode?, _ path: String, _ choices: [String]) -> String? {
        guard let s = string(node, path) else { return nil }
        if !choices.contains(s) {
            report(path, node, "\"\(s)\" is not one of \(choices.map { "\"\($0)\"" }.joined(separator: ", "))")
            return nil
        }
        return s
    }

    /// The allowed name closest to a misspelt key, when it is close enough to be a likely typo.
    private func closest(_ key: String, in allowed: Set<String>) -> String? {
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
