import Serialization
import Timelines
import ZebraSupport

/// Writes patient timelines as FHIR R4 JSON, byte by byte, without Foundation's encoder.
///
/// Every concept's `CodeableConcept` is serialised once up front; per resource only ids, dates,
/// values and references are written. Resource ids are UUIDs hashed from the patient id and a
/// counter, so the same timeline always gives the same bytes.
package struct FHIRSerializer: Sendable {
    let codeFragments: [[UInt8]]
    let unitFragments: [[UInt8]?]
    let categoryFragments: [[UInt8]?]
    /// The concept of the cause-of-death Observation, when the cohort's template names causes.
    let causeOfDeathConcept: Int32?
    let decimals: [Int]
    let meta: [UInt8]
    let patientMeta: [UInt8]

    /// - Parameters:
    ///   - concepts: the cohort's concept table.
    ///   - source: a URI naming what made the data (`meta.source` of each Patient).
    ///   - patientTags: extra `meta.tag` codings on each Patient (e.g. the privacy guarantee).
    package init(concepts: ConceptTable, source: String, patientTags: [ClinicalCode] = []) {
        var codes: [[UInt8]] = []
        var units: [[UInt8]?] = []
        var categories: [[UInt8]?] = []
        for concept in concepts.concepts {
            var w = ByteWriter(capacity: 256)
            w.raw("{\"coding\":[")
            for (i, code) in concept.codes.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"system\":"); w.jsonString(code.system)
                w.raw(",\"code\":"); w.jsonString(code.code)
                if let display = code.display { w.raw(",\"display\":"); w.jsonString(display) }
                w.byte(UInt8(ascii: "}"))
            }
            w.raw("],\"text\":"); w.jsonString(concept.text); w.byte(UInt8(ascii: "}"))
            codes.append(w.bytes)
            if let unit = concept.unit {
                var u = ByteWriter(capacity: 128)
                u.raw(",\"unit\":"); u.jsonString(unit)
                u.raw(",\"system\":\"http://unitsofmeasure.org\",\"code\":"); u.jsonString(unit)
                units.append(u.bytes)
            } else {
                units.append(nil)
            }
            if let category = concept.category {
                var c = ByteWriter(capacity: 160)
                c.raw("\"category\":[{\"coding\":[")
                c.raw("{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":")
                c.jsonString(category); c.raw("}]}],")
                categories.append(c.bytes)
            } else {
                categories.append(nil)
            }
        }
        codeFragments = codes
        unitFragments = units
        categoryFragments = categories
        causeOfDeathConcept = concepts.index(of: "cause-of-death")
        decimals = concepts.concepts.map(\.decimals)
        var m = ByteWriter(capacity: 200)
        m.raw("\"meta\":{\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\",")
        m.raw("\"code\":\"HTEST\",\"display\":\"test health data\"}]}")
        meta = m.bytes
        var pm = ByteWriter(capacity: 400)
        pm.raw("\"meta\":{\"source\":"); pm.jsonString(source)
        pm.raw(",\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\",")
        pm.raw("\"code\":\"HTEST\",\"display\":\"test health data\"}]")
        if !patientTags.isEmpty {
            pm.raw(",\"tag\":[")
            for (i, tag) in patientTags.enumerated() {
                if i > 0 { pm.byte(UInt8(ascii: ",")) }
                pm.raw("{\"system\":"); pm.jsonString(tag.system); pm.raw(",\"code\":"); pm.jsonString(tag.code)
                if let d = tag.display { pm.raw(",\"display\":"); pm.jsonString(d) }
                pm.byte(UInt8(ascii: "}"))
            }
            pm.byte(UInt8(ascii: "]"))
        }
        pm.byte(UInt8(ascii: "}"))
        patientMeta = pm.bytes
    }
}

/// Deterministic resource ids: UUIDs hashed from the patient's id and a counter.
struct ResourceIdentifiers {
    private let key: UInt64
    private var counter: UInt64 = 0

    init(patientID: String) {
        key = fnv1a64(patientID)
    }

    /// The next id, written as UUID text into `w`.
    mutating func next(into w: inout ByteWriter) {
        counter += 1
        let high = SplitMix64.mix(key &+ counter &* SplitMix64.increment)
        let low = SplitMix64.mix(high ^ key ^ counter)
        writeUUID(high, low, into: &w)
    }
}

/// Writes 128 bits as a version-4 UUID (36 characters).
func writeUUID(_ high: UInt64, _ low: UInt64, into w: inout ByteWriter) {
    forEachUUIDByte(high, low) { w.byte($0) }
}

extension ByteWriter {
    mutating func date(_ day: CalendarDay) {
        let c = day.components
        byte(UInt8(ascii: "\""))
        isoDate(year: c.year, month: c.month, day: c.day)
        byte(UInt8(ascii: "\""))
    }
}
