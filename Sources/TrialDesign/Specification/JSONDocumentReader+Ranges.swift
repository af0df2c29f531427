import Serialization

/// The specification's own value kinds on top of the shared JSON document reader.
extension JSONDocumentReader {
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
