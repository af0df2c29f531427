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
    /// Per concept, what an Observation holds between its id and its subject (meta, status,
    /// category, code), and what closes a quantity after its value (unit, brackets): written in
    /// one piece each, as they do not change from one resource to the next.
    let observationMiddle: [[UInt8]]
    let quantityTail: [[UInt8]]
    /// Per concept, a Condition's, Procedure's or MedicationStatement's part between id and subject.
    let conditionMiddle: [[UInt8]]
    let procedureMiddle: [[UInt8]]
    let medicationMiddle: [[UInt8]]

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
        let fragments = Self.resourceFragments(codes: codes, units: units, categories: categories, meta: m.bytes)
        (observationMiddle, quantityTail, conditionMiddle, procedureMiddle, medicationMiddle) = fragments
    }

    /// The fixed parts of each concept's resources (see `observationMiddle`).
    static func resourceFragments(codes: [[UInt8]], units: [[UInt8]?], categories: [[UInt8]?], meta: [UInt8])
        -> ([[UInt8]], [[UInt8]], [[UInt8]], [[UInt8]], [[UInt8]]) {
        func fragment(_ build: (inout ByteWriter) -> Void) -> [UInt8] {
            var w = ByteWriter(capacity: 512)
            build(&w)
            return w.bytes
        }
        let observation = codes.indices.map { c in
            fragment { w in
                w.raw("\","); w.raw(meta); w.raw(",\"status\":\"final\",")
                if let category = categories[c] { w.raw(category) }
                w.raw("\"code\":"); w.raw(codes[c]); w.raw(",\"subject\":")
            }
        }
        let tail = codes.indices.map { c in fragment { w in if let u = units[c] { w.raw(u) }; w.raw("}}") } }
        let condition = codes.indices.map { c in
            fragment { w in
                w.raw("\","); w.raw(meta)
                w.raw(",\"clinicalStatus\":{\"coding\":[")
                w.raw("{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]}")
                w.raw(",\"verificationStatus\":{\"coding\":[")
                w.raw("{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",")
                w.raw("\"code\":\"confirmed\"}]}")
                w.raw(",\"code\":"); w.raw(codes[c]); w.raw(",\"subject\":")
            }
        }
        let procedure = codes.indices.map { c in
            fragment { w in
                w.raw("\","); w.raw(meta); w.raw(",\"status\":\"completed\",\"code\":"); w.raw(codes[c])
                w.raw(",\"subject\":")
            }
        }
        let medication = codes.indices.map { c in
            fragment { w in w.raw(",\"medicationCodeableConcept\":"); w.raw(codes[c]); w.raw(",\"subject\":") }
        }
        return (observation, tail, condition, procedure, medication)
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
        next().write(into: &w)
    }

    /// The next id, as its 128 bits (written as text where it is used: no allocation per resource).
    mutating func next() -> ResourceID {
        counter += 1
        let high = SplitMix64.mix(key &+ counter &* SplitMix64.increment)
        let low = SplitMix64.mix(high ^ key ^ counter)
        return ResourceID(high: high, low: low)
    }
}

/// A resource's id: the patient's own, or a UUID from `ResourceIdentifiers`.
struct ResourceID {
    var high: UInt64
    var low: UInt64
    /// The Patient resource, whose id is the timeline's.
    static let patient = ResourceID(high: 0, low: 0)

    var isPatient: Bool { high == 0 && low == 0 }

    func write(into w: inout ByteWriter) { writeUUID(high, low, into: &w) }
}

/// Writes 128 bits as a version-4 UUID (36 characters), the same text as `forEachUUIDByte`
/// (which the tests compare it with).
///
/// Eight hex digits at a time in a 64-bit register (nibbles spread to bytes, then '0'…'9' or
/// 'a'…'f' added without a branch), stored on the stack and appended once: a UUID is written for
/// every resource and every reference, and digit-by-digit appends cost more than the rest of an
/// Observation.
func writeUUID(_ high: UInt64, _ low: UInt64, into w: inout ByteWriter) {
    withUnsafeTemporaryAllocation(byteCount: 40, alignment: 8) { raw in
        let p = raw.baseAddress!
        let dash = UInt8(ascii: "-")
        p.storeBytes(of: hex8(UInt32(truncatingIfNeeded: high >> 32)), toByteOffset: 0, as: UInt64.self)
        p.storeBytes(of: dash, toByteOffset: 8, as: UInt8.self)
        p.storeBytes(of: hex4(UInt16(truncatingIfNeeded: high >> 16)), toByteOffset: 9, as: UInt32.self)
        p.storeBytes(of: dash, toByteOffset: 13, as: UInt8.self)
        let version = (UInt16(truncatingIfNeeded: high) & 0x0FFF) | 0x4000
        p.storeBytes(of: hex4(version), toByteOffset: 14, as: UInt32.self)
        p.storeBytes(of: dash, toByteOffset: 18, as: UInt8.self)
        let variant = (UInt16(truncatingIfNeeded: low >> 48) & 0x3FFF) | 0x8000
        p.storeBytes(of: hex4(variant), toByteOffset: 19, as: UInt32.self)
        p.storeBytes(of: dash, toByteOffset: 23, as: UInt8.self)
        p.storeBytes(of: hex4(UInt16(truncatingIfNeeded: low >> 32)), toByteOffset: 24, as: UInt32.self)
        p.storeBytes(of: hex8(UInt32(truncatingIfNeeded: low)), toByteOffset: 28, as: UInt64.self)
        w.bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: 36))
    }
}

/// The 8 lowercase hex digits of `v`, most significant first in memory (little-endian).
@inline(__always)
func hex8(_ v: UInt32) -> UInt64 {
    var y = UInt64(v)
    y = (y | (y << 16)) & 0x0000_FFFF_0000_FFFF
    y = (y | (y << 8)) & 0x00FF_00FF_00FF_00FF
    y = (y | (y << 4)) & 0x0F0F_0F0F_0F0F_0F0F
    y = y.byteSwapped
    let letters = ((y &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
    return y &+ 0x3030_3030_3030_3030 &+ letters &* 0x27
}

/// The 4 lowercase hex digits of `v`, most significant first in memory.
@inline(__always)
func hex4(_ v: UInt16) -> UInt32 { UInt32(truncatingIfNeeded: hex8(UInt32(v)) >> 32) }

extension ByteWriter {
    mutating func date(_ day: CalendarDay) {
        let c = day.components
        byte(UInt8(ascii: "\""))
        isoDate(year: c.year, month: c.month, day: c.day)
        byte(UInt8(ascii: "\""))
    }
}
