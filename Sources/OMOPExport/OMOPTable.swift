/// The OMOP CDM v5.4 tables Zebra writes, in the order files are listed and loaded.
///
/// Each file is CSV with a header of every column of the table, in the order of the published
/// DDL (deploy/omop/cdm-tables.sql), so PostgreSQL's `COPY … (FORMAT csv, HEADER)` loads it
/// without a column list; an empty field is NULL.
package enum OMOPTable: Int, CaseIterable, Sendable {
    case person, observationPeriod, visitOccurrence, conditionOccurrence, drugExposure, procedureOccurrence
    case measurement, observation, death
    /// Trial membership (control-arm exports): one row per subject and arm.
    case cohort

    /// The table's name in the CDM (and the file's, with `.csv`).
    package var name: String {
        switch self {
        case .person: "person"
        case .observationPeriod: "observation_period"
        case .visitOccurrence: "visit_occurrence"
        case .conditionOccurrence: "condition_occurrence"
        case .drugExposure: "drug_exposure"
        case .procedureOccurrence: "procedure_occurrence"
        case .measurement: "measurement"
        case .observation: "observation"
        case .death: "death"
        case .cohort: "cohort"
        }
    }

    package var fileName: String { name + ".csv" }

    /// The tables of a patient's record (not trial membership).
    package static let recordTables: [OMOPTable] = allCases.filter { $0 != .cohort }

    /// Whether the first column is a row id Zebra numbers from 1 in patient order (a merge of
    /// shards renumbers it); person and observation_period ids are the patient's index instead.
    package var hasRowID: Bool {
        switch self {
        case .visitOccurrence, .conditionOccurrence, .drugExposure, .procedureOccurrence, .measurement,
             .observation: true
        case .person, .observationPeriod, .death, .cohort: false
        }
    }

    /// The table's columns, as in the CDM v5.4 DDL.
    package var columns: [String] {
        switch self {
        case .person:
            ["person_id", "gender_concept_id", "year_of_birth", "month_of_birth", "day_of_birth", "birth_datetime",
             "race_concept_id", "ethnicity_concept_id", "location_id", "provider_id", "care_site_id",
             "person_source_value", "gender_source_value", "gender_source_concept_id", "race_source_value",
             "race_source_concept_id", "ethnicity_source_value", "ethnicity_source_concept_id"]
        case .observationPeriod:
            ["observation_period_id", "person_id", "observation_period_start_date", "observation_period_end_date",
             "period_type_concept_id"]
        case .visitOccurrence:
            ["visit_occurrence_id", "person_id", "visit_concept_id", "visit_start_date", "visit_start_datetime",
             "visit_end_date", "visit_end_datetime", "visit_type_concept_id", "provider_id", "care_site_id",
             "visit_source_value", "visit_source_concept_id", "admitted_from_concept_id",
             "admitted_from_source_value", "discharged_to_concept_id", "discharged_to_source_value",
             "preceding_visit_occurrence_id"]
        case .conditionOccurrence:
            ["condition_occurrence_id", "person_id", "condition_concept_id", "condition_start_date",
             "condition_start_datetime", "condition_end_date", "condition_end_datetime", "condition_type_concept_id",
             "condition_status_concept_id", "stop_reason", "provider_id", "visit_occurrence_id", "visit_detail_id",
             "condition_source_value", "condition_source_concept_id", "condition_status_source_value"]
        case .drugExposure:
            ["drug_exposure_id", "person_id", "drug_concept_id", "drug_exposure_start_date",
             "drug_exposure_start_datetime", "drug_exposure_end_date", "drug_exposure_end_datetime",
             "verbatim_end_date", "drug_type_concept_id", "stop_reason", "refills", "quantity", "days_supply", "sig",
             "route_concept_id", "lot_number", "provider_id", "visit_occurrence_id", "visit_detail_id",
             "drug_source_value", "drug_source_concept_id", "route_source_value", "dose_unit_source_value"]
        case .procedureOccurrence:
            ["procedure_occurrence_id", "person_id", "procedure_concept_id", "procedure_date", "procedure_datetime",
             "procedure_end_date", "procedure_end_datetime", "procedure_type_concept_id", "modifier_concept_id",
             "quantity", "provider_id", "visit_occurrence_id", "visit_detail_id", "procedure_source_value",
             "procedure_source_concept_id", "modifier_source_value"]
        case .measurement:
            ["measurement_id", "person_id", "measurement_concept_id", "measurement_date", "measurement_datetime",
             "measurement_time", "measurement_type_concept_id", "operator_concept_id", "value_as_number",
             "value_as_concept_id", "unit_concept_id", "range_low", "range_high", "provider_id",
             "visit_occurrence_id", "visit_detail_id", "measurement_source_value", "measurement_source_concept_id",
             "unit_source_value", "unit_source_concept_id", "value_source_value", "measurement_event_id",
             "meas_event_field_concept_id"]
        case .observation:
            ["observation_id", "person_id", "observation_concept_id", "observation_date", "observation_datetime",
             "observation_type_concept_id", "value_as_number", "value_as_string", "value_as_concept_id",
             "qualifier_concept_id", "unit_concept_id", "provider_id", "visit_occurrence_id", "visit_detail_id",
             "observation_source_value", "observation_source_concept_id", "unit_source_value",
             "qualifier_source_value", "value_source_value", "observation_event_id", "obs_event_field_concept_id"]
        case .death:
            ["person_id", "death_date", "death_datetime", "death_type_concept_id", "cause_concept_id",
             "cause_source_value", "cause_source_concept_id"]
        case .cohort:
            ["cohort_definition_id", "subject_id", "cohort_start_date", "cohort_end_date"]
        }
    }

    /// The columns (0-based) holding a visit_occurrence_id, which a merge of shards renumbers too.
    package var visitReferenceColumns: [Int] {
        switch self {
        case .visitOccurrence: [16]
        case .conditionOccurrence, .procedureOccurrence: [11]
        case .drugExposure: [17]
        case .measurement: [14]
        case .observation: [12]
        case .person, .observationPeriod, .death, .cohort: []
        }
    }

    /// The header line (with its newline).
    package var header: [UInt8] { Array((columns.joined(separator: ",") + "\n").utf8) }
}

extension OMOPTable {
    /// The event table of a standard concept's domain (OMOP files a record by its concept's domain).
    init?(domain: String?) {
        switch domain {
        case "Condition": self = .conditionOccurrence
        case "Procedure": self = .procedureOccurrence
        case "Observation": self = .observation
        case "Measurement": self = .measurement
        case "Drug": self = .drugExposure
        default: return nil
        }
    }
}
