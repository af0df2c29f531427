import FHIRExport

/// How a command writes records: as FHIR R4 (three layouts), OMOP CDM v5.4 tables or flat CSV tables.
enum RecordFormat: String, CaseIterable, Sendable {
    case ndjson
    case bundle
    case transaction
    case omop
    case csv

    /// The FHIR layout, nil for OMOP.
    var fhir: FHIRFormat? { FHIRFormat(rawValue: rawValue) }

    static let help = "FHIR Bulk ndjson, one collection or transaction Bundle per patient, "
        + "OMOP CDM v5.4 tables (docs/omop-export.md), or flat CSV tables with a data dictionary (docs/flat-csv.md)."
}
