import Serialization

/// The FHIR resource types Zebra writes, in the order files and bundle entries use.
package enum ResourceType: Int, CaseIterable, Sendable {
    case patient, encounter, condition, observation, medicationStatement, medicationRequest, procedure
    case researchStudy, researchSubject

    package var name: String {
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
package enum FHIRFormat: String, Sendable, CaseIterable {
    /// FHIR Bulk Data: one `.ndjson` file per resource type, `Type/id` references.
    case ndjson
    /// One `Bundle` of type `collection` per patient, `urn:uuid` references.
    case bundle
    /// One `Bundle` of type `transaction` per patient (PUT `Type/id`), ready to POST to a server.
    case transaction
}

/// Serialized resources of one or more patients, grouped by type (ndjson lines).
package struct ResourceBuffers: Sendable {
    package var writers: [ByteWriter]
    package var counts: [Int]

    package init() {
        writers = Array(repeating: ByteWriter(capacity: 0), count: ResourceType.allCases.count)
        counts = Array(repeating: 0, count: ResourceType.allCases.count)
    }

    /// Buffers with room for `capacities[t]` bytes of each type reserved up front (a block's size
    /// is known from the one before, so the buffers do not grow and copy while being written).
    package init(capacities: [Int]) {
        writers = capacities.map { ByteWriter(capacity: $0) }
        counts = Array(repeating: 0, count: ResourceType.allCases.count)
    }

    package var resourceCount: Int { counts.reduce(0, +) }
    package var byteCount: Int { writers.reduce(0) { $0 + $1.count } }
}
