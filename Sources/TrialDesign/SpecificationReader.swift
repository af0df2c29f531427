import Serialization

/// Reads typed values from a JSON tree, recording problems with their JSON paths and lines and
/// carrying on, so that one pass reports everything wrong with a specification.
final class SpecificationReader {
    let file: String
    private(set) var problems: [TrialProblem] = []
    /// JSON path → line, for problems found later against the template.
    private(set) var lines: [String: Int] = [:]

    init(file: String) { self.file = file }

    func report(_ path: String, _ node: JSONNode?, _ message: String) {
        problems.append(TrialProblem(file: file, path: path, line: node?.line ?? lines[path] ?? 0, message: message))
    }

    func note(_ path: String, _ node: JSONNode?) {
        if let node { lines[path] = node.line }
    }

    func object(_ node: JSONNode?, _ path: String, allowed: Set<String>) -> [String: JSONNode]? {
        guard let node else { return nil }
        note(path, node)
        guard let members = node.objectValue else {
            report(path, node, "expected an object, found \(node.value.typeName)")
            return nil
        }
        var result: [String: JSONNode] = [:]
        for member in members {
            if !allowed.contains(member.key) {
                report("\(path).\(member.key)", member.node,
                       "unknown key \"\(member.key)\"; allowed: \(allowed.sorted().joined(separator: ", "))")
            }
            result[member.key] = member.node
            note("\(path).\(member.key)", member.node)
        }
        return result
    }

    /// The members of an object in their written order.
    func members(_ node: JSONNode?, _ path: String) -> [JSONMember] {
        guard let node else { return [] }
        note(path, node)
        guard let members = node.objectValue else {
            report(path, node, "expected an object, found \(node.value.typeName)")
            return []
        }
        for m in members { note("\(path).\(m.key)", m.node) }
        return members
    }

    func string(_ node: JSONNode?, _ path: String) -> String? {
        guard let node else { return nil }
        guard let s = node.stringValue else {
            report(path, node, "expected a string, found \(node.value.typeName)")
            return nil
        }
        return s
    }

    func number(_ node: JSONNode?, _ path: String, in range: ClosedRange<Double>? = nil) -> Double? {
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

    func integer(_ node: JSONNode?, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard let d = number(node, path) else { return nil }
        guard d == d.rounded(), abs(d) < 1e9, range.contains(Int(d)) else {
            report(path, node, "expected a whole number in \(range.lowerBound)...\(range.upperBound), found \(d)")
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
        note(path, node)
        guard let a = node.arrayValue else {
            report(path, node, "expected an array, found \(node.value.typeName)")
            return nil
        }
        for (i, item) in a.enumerated() { note("\(path)[\(i)]", item) }
        return a
    }

    func strings(_ node: JSONNode?, _ path: String) -> [String]? {
        guard let items = array(node, path) else { return nil }
        return items.enumerated().compactMap { string($1, "\(path)[\($0)]") }
    }

    func choice(_ node: JSONNode?, _ path: String, _ choices: [String]) -> String? {
        guard let s = string(node, path) else { return nil }
        if !choices.contains(s) {
            report(path, node, "\"\(s)\" is not one of \(choices.map { "\"\($0)\"" }.joined(separator: ", "))")
            return nil
        }
        return s
    }

    /// `{"min": a, "max": b}` (either optional), checking min ≤ max.
    func range(_ node: JSONNode?, _ path: String) -> ValueRange? {
        guard let members = object(node, path, allowed: ["min", "max"]) else { return nil }
        let lo = number(members["min"], "\(path).min")
        let hi = number(members["max"], "\(path).max")
        if let lo, let hi, lo > hi {
            report(path, node, "min \(lo) is greater than max \(hi): nobody can meet this range")
            return nil
        }
        return ValueRange(minimum: lo, maximum: hi)
    }
}
