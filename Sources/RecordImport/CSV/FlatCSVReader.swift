import FlatCSVExport
import Timelines

/// Reads the flat CSV tables `zebra simulate --format csv` writes (docs/flat-csv.md): patients
/// first, from every `patients.csv`, then each other table's rows as the facts they stand for,
/// so a patient's records may be spread over the files of one export.
struct FlatCSVReader {
    /// A table of the export: the file, its kind (by header) and its rows.
    struct Table {
        var file: String
        var name: String
        var header: [String]
        var rows: [CSVRow]
        /// Column name → index, looked up once per table rather than per field.
        var column: [String: Int]

        init(file: String, name: String, header: [String], rows: [CSVRow]) {
            self.file = file
            self.name = name
            self.header = header
            self.rows = rows
            column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// The flat table a header names, if any (the headers are FlatCSVExport's own).
    static func tableName(_ header: [String]) -> String? { FlatCSVTable.table(withHeader: header)?.name }

    /// The data dictionary's header: the file is documentation, not records.
    static let dictionaryHeader = FlatCSVTable.dictionaryHeader

    private var tables: [Table] = []

    mutating func add(_ table: Table) { tables.append(table) }

    var isEmpty: Bool { tables.isEmpty }

    /// Reads every table: patients, then visits (so observations can name them), then the rest.
    mutating func read(_ session: inout ImportSession) {
        var patients = CSVReader(file: "")
        for table in tables where table.name == "patients" {
            patients.file = table.file
            let rows = wellFormed(table, &session)
            patients.readPatients(header: table.header, rows: rows, &session)
            for row in rows { causeOfDeath(row, table, patients.patientOf, &session) }
        }
        let patientOf = patients.patientOf
        var visits: [String: [Int: Int]] = [:]
        for table in tables where table.name == "encounters" {
            for row in wellFormed(table, &session) { encounter(row, table, patientOf, &visits, &session) }
        }
        for table in tables where table.name != "patients" && table.name != "encounters" {
            for row in wellFormed(table, &session) {
                for fact in facts(row, table, visits, &session) {
                    CSVReader.read(fact, file: table.file, patientOf: patientOf, &session)
                }
            }
        }
    }

    private func wellFormed(_ table: Table, _ session: inout ImportSession) -> [CSVRow] {
        table.rows.filter { row in
            if let error = row.error {
                session.fileProblem("malformed row", "malformed CSV row: \(error)", file: table.file, line: row.line)
                return false
            }
            guard row.fields.count == table.header.count else {
                session.fileProblem("malformed row", "row has \(row.fields.count) fields, the header has "
                    + "\(table.header.count)", file: table.file, line: row.line)
                return false
            }
            return true
        }
    }

    private func field(_ row: CSVRow, _ table: Table, _ name: String) -> String {
        row.fields[table.column[name]!].trimmingSpaces()
    }

    private func causeOfDeath(_ row: CSVRow, _ table: Table, _ patientOf: [String: Int],
                              _ session: inout ImportSession) {
        let cause = field(row, table, "cause_of_death_code"), death = field(row, table, "death_date")
        guard !cause.isEmpty, !death.isEmpty else { return }
        let fact = CSVFact(kind: "observation", patientID: field(row, table, "patient_id"), date: death, system: "loinc",
                           code: "69453-9", value: cause, line: row.line, dateField: "death_date",
                           valueField: "cause_of_death_code", valueSystem: CodeSystems.local)
        CSVReader.read(fact, file: table.file, patientOf: patientOf, &session)
    }

    private func encounter(_ row: CSVRow, _ table: Table, _ patientOf: [String: Int],
                           _ visits: inout [String: [Int: Int]], _ session: inout ImportSession) {
        session.read("Encounter")
        let id = field(row, table, "patient_id")
        let source = RecordSource(type: "Encounter", file: table.file, lineOffset: 0, line: row.line, path: "")
        guard let p = patientOf[id], p >= 0 else {
            if patientOf[id] == nil {
                session.problem("unknown patient", "patient \(id) is not in patients.csv", source, field: "patient_id",
                                patient: id)
            } else {
                session.ignore("patient skipped")
            }
            return
        }
        guard case .success(let day)? = session.date(field(row, table, "date"), source, field: "date", patient: id),
              session.checkDay(day, "encounter", patient: p, source, field: "date") else { return }
        let index = session.addEncounter(day, patient: p, type: "Encounter")
        if let visit = Int(field(row, table, "visit")) { visits[id, default: [:]][visit] = index }
    }

    /// The facts a row of conditions, observations, medications or procedures stands for.
    private func facts(_ row: CSVRow, _ table: Table, _ visits: [String: [Int: Int]],
                       _ session: inout ImportSession) -> [CSVFact] {
        let id = field(row, table, "patient_id"), system = field(row, table, "system"), code = field(row, table, "code")
        switch table.name {
        case "conditions":
            var result = [CSVFact(kind: "condition", patientID: id, date: field(row, table, "onset_date"),
                                  system: system, code: code, line: row.line, dateField: "onset_date")]
            let recorded = field(row, table, "recorded_date")
            let codings = [ClinicalCode(system: CodeSystems.uri(for: system) ?? system, code: code)]
            if !recorded.isEmpty, session.matcher.match(codings) == .disease {
                result.append(CSVFact(kind: "diagnosis", patientID: id, date: recorded, system: system, code: code,
                                      line: row.line, dateField: "recorded_date"))
            }
            return result
        case "observations":
            let number = field(row, table, "value")
            var fact = CSVFact(kind: "observation", patientID: id, date: field(row, table, "date"), system: system,
                               code: code, value: number.isEmpty ? field(row, table, "value_code") : number,
                               unit: field(row, table, "unit"), line: row.line)
            if let visit = Int(field(row, table, "visit")), let index = visits[id]?[visit] { fact.encounter = index }
            fact.valueField = number.isEmpty ? "value_code" : "value"
            return [fact]
        case "medications":
            var result = [CSVFact(kind: "medication-start", patientID: id, date: field(row, table, "start_date"),
                                  system: system, code: code, line: row.line, dateField: "start_date")]
            let stop = field(row, table, "stop_date")
            if !stop.isEmpty && field(row, table, "status") == "stopped" {
                result.append(CSVFact(kind: "medication-stop", patientID: id, date: stop, system: system, code: code,
                                      line: row.line, dateField: "stop_date"))
            }
            return result
        default:
            return [CSVFact(kind: "procedure", patientID: id, date: field(row, table, "date"), system: system,
                            code: code, line: row.line)]
        }
    }
}
