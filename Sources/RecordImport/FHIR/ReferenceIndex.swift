import Serialization
import Timelines

/// One FHIR resource as read, with where it came from.
struct RawResource: Sendable {
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

/// What a reference can lead to: only Patients, Encounters and Medications are ever referred to.
enum ReferenceTarget {
    /// A Patient: its draft index, or -1 when the patient was skipped.
    case patient(Int)
    /// An Encounter: its patient's draft and its visit index, or nil when it was skipped.
    case encounter((patient: Int, visit: Int)?)
    case medication(codings: [ClinicalCode], text: String?)
}

/// The resources that references can name, by `Type/id` and, within a bundle, by full URL.
///
/// Only the targets are kept (not the resources), so a large extract costs memory in proportion
/// to its patients and visits, not to its observations.
struct ReferenceIndex {
    /// `Type/id` → the first resource with it.
    private var global: [String: ReferenceTarget] = [:]
    /// Per bundle: full URL and `Type/id` → resource.
    private var scopes: [[String: ReferenceTarget]] = []

    /// Opens a bundle's scope; returns its number.
    mutating func newScope() -> Int {
        scopes.append([:])
        return scopes.count - 1
    }

    /// Registers what `r` resolves to (first registration of a key wins).
    mutating func register(_ r: RawResource, as target: ReferenceTarget) {
        if let id = r.id {
            let key = "\(r.type)/\(id)"
            if global[key] == nil { global[key] = target }
            if r.scope >= 0 && scopes[r.scope][key] == nil { scopes[r.scope][key] = target }
        }
        if r.scope >= 0, let url = r.fullUrl {
            if scopes[r.scope][url] == nil { scopes[r.scope][url] = target }
            if let tail = Self.typeAndID(url), scopes[r.scope][tail] == nil { scopes[r.scope][tail] = target }
        }
    }

    /// What a reference names: within the referring bundle first (full URL, then `Type/id`),
    /// then among all resources by `Type/id`. Absolute URLs match by their last `Type/id`.
    func resolve(_ reference: String, from scope: Int) -> ReferenceTarget? {
        if scope >= 0, let t = scopes[scope][reference] { return t }
        // Most references are already `Type/id`: look them up before taking them apart.
        if scope < 0, let t = global[reference] { return t }
        guard let key = Self.typeAndID(reference) else { return nil }
        if scope >= 0, let t = scopes[scope][key] { return t }
        return global[key]
    }

    /// `Type/id` from a relative or absolute reference (a version suffix `/_history/n` dropped).
    static func typeAndID(_ reference: String) -> String? {
        var parts = reference.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        if parts.count >= 4 && parts[parts.count - 2].elementsEqual("_history".utf8) { parts.removeLast(2) }
        guard parts.count >= 2, let first = parts[parts.count - 2].first,
              first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") else { return nil }
        if parts.count == 2 && !reference.hasPrefix("/") && !reference.hasSuffix("/") { return reference }
        return "\(Substring(parts[parts.count - 2]))/\(Substring(parts[parts.count - 1]))"
    }
}
