import Serialization

/// The tables of a flat CSV export, their columns and what each column holds.
package enum FlatCSVTable: Int, CaseIterable, Sendable {
    case patients, encounters, conditions, observations, medications, procedures

    package var name: String {
        switch self {
        case .patients: "patients"
        case .encounters: "encounters"
        case .conditions: "conditions"
        case .observations: "observations"
        case .medications: "medications"
        case .procedures: "procedures"
        }
    }

    package var fileName: String { name + ".csv" }

    /// One column: its name, type and meaning (the data dictionary's row).
    package struct Column: Sendable {
        package var name: String
        package var type: String
        package var description: String
    }

    package var columns: [Column] {
        let patient = Column(name: "patient_id", type: "string", description: "the patient (patients.patient_id)")
        let system = Column(name: "system", type: "string",
                            description: "code system: loinc, snomed, icd10cm, orpha, rxnorm, local, or a URI")
        let code = Column(name: "code", type: "string", description: "the code in that system")
        let display = Column(name: "display", type: "string", description: "what the code means, in words")
        switch self {
        case .patients:
            return [
                Column(name: "patient_id", type: "string", description: "identifier (the FHIR Patient.id)"),
                Column(name: "sex", type: "male|female", description: "sex as recorded"),
                Column(name: "birth_date", type: "date", description: "date of birth (YYYY-MM-DD)"),
                Column(name: "death_date", type: "date", description: "date of death; empty if alive at the end"),
                Column(name: "follow_up_end", type: "date", description: "the last day the record covers"),
                Column(name: "cause_of_death_code", type: "string",
                       description: "cause of death (local code), when the record gives one"),
                Column(name: "cause_of_death", type: "string", description: "the cause of death, in words"),
            ]
        case .encounters:
            return [patient, Column(name: "visit", type: "integer", description: "the patient's visit number, from 1"),
                    Column(name: "date", type: "date", description: "day of the visit")]
        case .conditions:
            return [patient, Column(name: "onset_date", type: "date", description: "onset of the condition"),
                    Column(name: "recorded_date", type: "date",
                           description: "day it was recorded (the diagnosis, for the disease itself); may be empty"),
                    system, code, display]
        case .observations:
            return [patient,
                    Column(name: "visit", type: "integer", description: "the visit it was taken at (encounters.visit)"),
                    Column(name: "date", type: "date", description: "day it was taken"), system, code, display,
                    Column(name: "value", type: "number",
                           description: "the measured value (quantities); empty for coded values"),
                    Column(name: "unit", type: "string", description: "UCUM unit of value"),
                    Column(name: "value_code", type: "string", description: "the coded value (genotype, phenotype)"),
                    Column(name: "value_display", type: "string", description: "the coded value, in words")]
        case .medications:
            return [patient, Column(name: "start_date", type: "date", description: "first day of treatment"),
                    Column(name: "stop_date", type: "date",
                           description: "day it stopped (status stopped) or ended with death (completed); empty if active"),
                    Column(name: "status", type: "active|stopped|completed", description: "as FHIR MedicationStatement"),
                    system, code, display]
        case .procedures:
            return [patient, Column(name: "date", type: "date", description: "day it was performed"), system, code,
                    display]
        }
    }

    /// The header line (with its newline).
    package var header: [UInt8] { Array((columns.map(\.name).joined(separator: ",") + "\n").utf8) }

    /// Which table a header line names, if it is exactly one of these tables' headers.
    package static func table(withHeader fields: [String]) -> FlatCSVTable? {
        allCases.first { $0.columns.map(\.name) == fields }
    }

    /// The data dictionary's file name and header.
    package static let dictionaryFileName = "data-dictionary.csv"
    package static let dictionaryHeader = ["table", "column", "type", "description"]

    /// The data dictionary: one row per column of every table.
    package static var dictionary: String {
        var lines = [dictionaryHeader.joined(separator: ",")]
        for table in allCases {
            for c in table.columns {
                lines.append(csvLine([table.fileName, c.name, c.type, c.description]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
