import Learning
import Serialization
import Timelines

/// Digests of patient records as imported: a model keeps one per training record, so that
/// `evaluate` can tell when its "holdout" patients were in fact trained on.
///
/// A digest covers what the record says (sex, dates, attributes, every event and value) but not
/// its ids or file layout, so a copy with new ids is still recognised. It is 64 bits of SHA-256:
/// no accidental collisions among registry-sized sets, and nothing of the record can be read
/// back from it. Whoever holds a record can test it against the list, so a model meant for
/// release beyond the team is written with `zebra train --omit-record-digests`.
enum RecordDigests {
    static func digest(_ timeline: PatientTimeline) -> String {
        var bytes: [UInt8] = Array("\(timeline.sex.rawValue)|\(timeline.birth.iso)|\(timeline.death?.iso ?? "-")".utf8)
        for attribute in timeline.attributes.sorted(by: { $0.name < $1.name }) {
            switch attribute.value {
            case .number(let x): bytes += Array("|\(attribute.name)=\(x)".utf8)
            case .category(let c): bytes += Array("|\(attribute.name)=\(c)".utf8)
            }
        }
        for event in timeline.events.sorted(by: TimelineEvent.inCanonicalOrder) {
            bytes += Array("|\(event.kind.rawValue),\(event.day.iso),\(event.concept),\(event.value)".utf8)
        }
        if let cause = timeline.causeOfDeath { bytes += Array("|cause=\(cause)".utf8) }
        return String(SHA256.hexDigest(of: bytes).prefix(16))
    }

    /// The digests of a set of records, sorted (their order says nothing about the records).
    static func digests(_ timelines: [PatientTimeline]) -> [String] {
        timelines.map(digest).sorted()
    }

    /// How many of `timelines` a model learned from, by its record digests; nil when it keeps none.
    static func overlap(_ timelines: [PatientTimeline], with digests: [String]?) -> Int? {
        guard let trained = digests else { return nil }
        let set = Set(trained)
        return timelines.filter { set.contains(digest($0)) }.count
    }
}
