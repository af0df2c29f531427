import Foundation
import Timelines

// Fixtures of the record-import tests; the repository's files and temporary folders come from
// ZebraTestSupport.

/// Writes `text` to the file `path` as UTF-8.
func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// FHIR JSON fragments for hand-written fixtures.
enum FHIR {
    static let loinc = "http://loinc.org"
    static let snomed = "http://snomed.info/sct"
    static let local = "urn:zebra:code"

    static func patient(_ id: String, gender: String? = "female", birth: String? = "1980-01-01", death: String? = nil)
        -> String {
        var fields = ["\"resourceType\":\"Patient\"", "\"id\":\"\(id)\""]
        if let gender { fields.append("\"gender\":\"\(gender)\"") }
        if let birth { fields.append("\"birthDate\":\"\(birth)\"") }
        if let death { fields.append("\"deceasedDateTime\":\"\(death)\"") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func code(_ system: String, _ code: String) -> String {
        "{\"coding\":[{\"system\":\"\(system)\",\"code\":\"\(code)\"}]}"
    }

    static func subject(_ reference: String?) -> String {
        reference.map { ",\"subject\":{\"reference\":\"\($0)\"}" } ?? ""
    }

    /// An Observation with a quantity (value nil: no value at all).
    static func observation(_ patient: String?, _ system: String = loinc, _ code: String = "718-7", date: String,
                            value: Double?, unit: String = "g/dL", encounter: String? = nil) -> String {
        var text = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":\(FHIR.code(system, code))"
            + subject(patient) + ",\"effectiveDateTime\":\"\(date)\""
        if let encounter { text += ",\"encounter\":{\"reference\":\"\(encounter)\"}" }
        if let value {
            text += ",\"valueQuantity\":{\"value\":\(value),\"unit\":\"\(unit)\","
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"\(unit)\"}"
        }
        return text + "}"
    }

    static func condition(_ patient: String, _ system: String, _ code: String, onset: String?, recorded: String? = nil)
        -> String {
        var text = "{\"resourceType\":\"Condition\",\"code\":\(FHIR.code(system, code))" + subject(patient)
        if let onset { text += ",\"onsetDateTime\":\"\(onset)\"" }
        if let recorded { text += ",\"recordedDate\":\"\(recorded)\"" }
        return text + "}"
    }

    static func encounter(_ id: String, _ patient: String, _ date: String) -> String {
        "{\"resourceType\":\"Encounter\",\"id\":\"\(id)\",\"status\":\"finished\"" + subject(patient)
            + ",\"period\":{\"start\":\"\(date)\",\"end\":\"\(date)\"}}"
    }
}

/// Events in one total order, so two timelines compare whatever order they kept ties in.
func canonical(_ events: [TimelineEvent]) -> [TimelineEvent] {
    events.sorted(by: TimelineEvent.inCanonicalOrder)
}

/// `value` as the FHIR export writes it with `decimals` places (half away from zero).
func roundedAsExported(_ value: Double, decimals: Int) -> Double {
    let scale = pow(10, Double(decimals))
    let units = (value.magnitude * scale).rounded(.toNearestOrAwayFromZero)
    return (value < 0 ? -units : units) / scale
}
