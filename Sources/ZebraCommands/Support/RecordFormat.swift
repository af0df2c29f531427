import FHIRExport

/// How a command writes records: as FHIR R4 (three layouts) or as OMOP CDM v5.4 tables.
enum RecordFormat: String, CaseIterable, Sendable {
    case ndjson
    case bundle
    case transaction
    case omop

    /// The FHIR layout, nil for OMOP.
    var fhir: FHIRFormat? { FHIRFormat(rawValue: rawValue) }

    static let help = "FHIR Bulk ndjson, one collection or transaction Bundle per patient, "
        + "or OMOP CDM v5.4 tables (CSV, docs/omop-export.md)."
}
