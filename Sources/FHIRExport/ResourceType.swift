import Serialization

/// The FHIR resource types Zebra writes, in the order files and bundle entries use.
public enum ResourceType: Int, CaseIterable, Sendable {
    case patient, encounter, condition, observation, medicationStatement, medicationRequest, procedure
    case researchStudy, researchSubject

    public var name: String {
        switch self {
        case .patient: "Patient"
        case .encounter: "Encounter"
        case .condition: "Condition"
        case .observation: "Observation"
        case .medicationStatement: "MedicationStatement"
        case .medicationRequest: "MedicationRequest"
        case .procedure: "Procedure"
        case .researchStudy: "ResearchStudy"
        case .researchSubject: "ResearchSubject"
        }
    }
}

/// How a cohort is written.
public enum FHIRFormat: String, Sendable, CaseIterable {
    /// FHIR Bulk Data: one `.ndjson` file per resource type, `Type/id` references.
    case ndjson
    /// One `Bundle` of type `collection` per patient, `urn:uuid` references.
    case bundle
    /// One `Bundle` of type `transaction` per patient (PUT `Type/id`), ready to POST to a server.
    case transaction
}

/// Serialized resources of one or more patients, grouped by type (ndjson lines).
public struct ResourceBuffers: Sendable {
    public var writers: [ByteWriter]
    public var counts: [Int]

    public init() {
        writers = Array(repeating: ByteWriter(capacity: 0), count: ResourceType.allCases.count)
        counts = Array(repeating: 0, count: ResourceType.allCases.count)
    }

    public var resourceCount: Int { counts.reduce(0, +) }
    public var byteCount: Int { writers.reduce(0) { $0 + $1.count } }
}
