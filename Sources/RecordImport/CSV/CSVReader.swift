import Timelines

/// Reads the long-format CSV of seed records (one row per fact; see docs/seed-records.md).
///
/// Columns, by header name in any order: `patient_id,sex,birth_date,death_date,date,kind,system,
/// code,value,unit`. A patient's details may be on any of their rows (blank elsewhere) but must
/// agree where repeated. Rows count as the resource type they stand for: `observation` as an
/// Observation, `condition` and `diagnosis` as Conditions, `procedure` as a Procedure,
/// `medication-start` and `medication-stop` as MedicationStatements.
struct CSVReader {
    static let columns = ["patient_id", "sex", "birth_date", "death_date", "date", "kind", "system", "code", "value",
                          "unit"]
    static let kinds: [String: String] = [
        "observation": "Observation", "condition": "Condition", "diagnosis": "Condition", "procedure": "Procedure",
        "medication-start": "MedicationStatement", "medication-stop": "MedicationStatement",
    ]

    var file: String
    private(set) var column: [String: Int] = [:]
    /// CSV patient id → draft index, or -1 when the patient was skipped.
    private(set) var patientOf: [String: Int] = [:]

    init(file: String) { self.file = file }

    mutating func read(_ bytes: [UInt8], _ session: inout ImportSession) {
        var rows = CSVParser.parse(bytes)
        guard !rows.isEmpty else {
            return session.fileProblem("malformed row", "empty CSV file (no header)", file: file)
        }
        let header = rows.removeFirst()
        for (i, name) in header.fields.enumerated() {
            column[name.trimmingSpaces().lowercased()] = column[name.trimmingSpaces().lowercased()] ?? i
        }
        let missing = Self.columns.filter { column[$0] == nil }
        guard missing.isEmpty else {
            return session.fileProblem("malformed row",
                                       "the CSV header lacks the column(s) \(missing.joined(separator: ", ")); "
                                           + "expected \(Self.columns.joined(separator: ","))", file: file,
                                       line: header.line)
        }
        var good: [CSVRow] = []
        for row in rows {
            if let error = row.error {
                session.fileProblem("malformed row", "malformed CSV row: \(error)", file: file, line: row.line)
            } else if row.fields.count != header.fields.count {
                session.fileProblem("malformed row",
                                    "row has \(row.fields.count) fields, the header has \(header.fields.count)",
                                    file: file, line: row.line)
            } else {
                good.append(row)
            }
        }
        readPatients(good, &session)
        for row in good { readFact(row, &session) }
    }

    private func value(_ row: CSVRow, _ name: String) -> String { row.fields[column[name]!].trimmingSpaces() }

    // MARK: Patients

    /// Reads patients' details from rows under `header` (a flat CSV patients table), for facts in other files.
    mutating func readPatients(header: [String], rows: [CSVRow], _ session: inout ImportSession) {
        for (i, name) in header.enumerated() { column[name] = column[name] ?? i }
        readPatients(rows, &session)
    }

    mutating func readPatients(_ rows: [CSVRow], _ session: inout ImportSession) {
        var order: [String] = []
        var details: [String: (line: Int, fields: [String: (String, Int)], conflict: String?)] = [:]
        for row in rows {
            let id = value(row, "patient_id")
            if id.isEmpty { continue }
            if details[id] == nil { order.append(id); details[id] = (row.line, [:], nil) }
            for name in ["sex", "birth_date", "death_date"] {
                let v = value(row, name)
                if v.isEmpty { continue }
                if let (earlier, line) = details[id]!.fields[name] {
                    if earlier != v && details[id]!.conflict == nil {
                        details[id]!.conflict = "\(name) is \"\(earlier)\" on line "
                            + "\(line) but \"\(v)\" on line \(row.line)"
                    }
                } else {
                    details[id]!.fields[name] = (v, row.line)
                }
            }
        }
        for id in order {
            session.report.patientsRead += 1
            patientOf[id] = -1
            let d = details[id]!
            let source = RecordSource(type: "Patient", file: file, lineOffset: 0, line: d.line, path: "")
            func reject(_ reason: String, _ message: String, _ field: String) {
                session.rememberSkipped(id)
                session.patientProblem(reason, message, source, field: field, patient: id)
            }
            if let conflict = d.conflict { reject("conflicting patient details", conflict, "patient_id"); continue }
            let sex: Sex
            switch d.fields["sex"]?.0.lowercased() {
            case "male", "m": sex = .male
            case "female", "f": sex = .female
            case nil: reject("no gender", "no sex given on any row of the patient", "sex"); continue
            case let other?: reject("no usable gender", "sex \"\(other)\" is not male or female", "sex"); continue
            }
            guard let birthText = d.fields["birth_date"]?.0 else {
                reject("no birth date", "no birth_date given on any row of the patient", "birth_date"); continue
            }
            guard let birth = RecordDates.parse(birthText) else {
                reject("invalid birth date", "birth_date \"\(birthText)\" is not a valid date", "birth_date"); continue
            }
            var draft = PatientDraft(id: id, sex: sex, birth: birth.day)
            if let deathText = d.fields["death_date"]?.0 {
                guard let death = RecordDates.parse(deathText) else {
                    reject("invalid death date", "death_date \"\(deathText)\" is not a valid date", "death_date")
                    continue
                }
                guard death.day >= birth.day else {
                    reject("death before birth", "death_date \(death.day) is before birth_date \(birth.day)",
                           "death_date")
                    continue
                }
                draft.death = death.day
            }
            if let p = session.addPatient(draft, source) { patientOf[id] = p }
        }
    }

    // MARK: Facts

    private func readFact(_ row: CSVRow, _ session: inout ImportSession) {
        let fact = CSVFact(kind: value(row, "kind").lowercased(), patientID: value(row, "patient_id"),
                           date: value(row, "date"), system: value(row, "system"), code: value(row, "code"),
                           value: value(row, "value"), unit: value(row, "unit"), line: row.line)
        Self.read(fact, file: file, patientOf: patientOf, &session)
    }

    /// Reads one fact (a long-format row, or a row of a flat CSV table) into the session.
    static func read(_ fact: CSVFact, file: String, patientOf: [String: Int], _ session: inout ImportSession) {
        let kind = fact.kind
        if kind.isEmpty { return }
        guard let type = Self.kinds[kind] else {
            return session.fileProblem("malformed row", "unknown kind \"\(kind)\"; expected one of "
                + Self.kinds.keys.sorted().joined(separator: ", "), file: file, line: fact.line)
        }
        session.read(type)
        let source = RecordSource(type: type, file: file, lineOffset: 0, line: fact.line, path: "")
        let id = fact.patientID
        guard !id.isEmpty else {
            return session.problem("missing subject", "row without patient_id", source, field: "patient_id",
                                   patient: nil)
        }
        guard let p = patientOf[id], p >= 0 else { return session.ignore("patient skipped") }
        let dateText = fact.date
        guard !dateText.isEmpty else {
            return session.problem("missing date", "\(kind) row without a date", source, field: fact.dateField,
                                   patient: id)
        }
        guard case .success(let day)? = session.date(dateText, source, field: fact.dateField, patient: id) else {
            return
        }
        let code = fact.code
        if kind == "diagnosis" && code.isEmpty {
            guard session.checkDay(day, "diagnosis", patient: p, source, field: fact.dateField) else { return }
            return session.addDisease(onset: nil, diagnosed: day, patient: p, type: type)
        }
        let systemName = fact.system
        guard let system = CodeSystems.byShortName[systemName.lowercased()] ?? CodeSystems.uri(for: systemName) else {
            return session.problem("unknown code", "unknown code system \"\(systemName)\"; use "
                + CodeSystems.byShortName.keys.sorted().joined(separator: ", ") + " or a URI", source, field: "system",
                patient: id)
        }
        let codings = [ClinicalCode(system: system, code: code)]
        guard let target = session.matcher.match(codings) else {
            return session.problem("unknown code", session.matcher.unknownMessage(codings, text: nil), source,
                                   field: "code", patient: id)
        }
        switch kind {
        case "observation":
            let text = fact.value, unit = fact.unit
            let observed: ObservedValue = text.isEmpty ? .missing
                : Double(text).map { .quantity($0, units: unit.isEmpty ? [] : [unit]) }
                ?? .coded(fact.valueSystem.map { [ClinicalCode(system: $0, code: text)] } ?? [], text: text)
            session.addObservation(target, observed, day: day, encounter: fact.encounter, patient: p, source,
                                   dateField: fact.dateField, valueField: fact.valueField)
        case "condition" where target == .disease, "diagnosis" where target == .disease:
            let what = kind == "condition" ? "condition onset" : "diagnosis"
            guard session.checkDay(day, what, patient: p, source, field: fact.dateField) else { return }
            session.addDisease(onset: kind == "condition" ? day : nil, diagnosed: kind == "diagnosis" ? day : nil,
                               patient: p, type: type)
        case "medication-stop":
            guard case .treatment(let t) = target, session.template.treatments[t].record == .medicationStatement else {
                return session.problem("code for another record type",
                                       "the code stands for \(session.describe(target)), which has no medication stop",
                                       source, field: "code", patient: id)
            }
            guard session.checkDay(day, "medication", patient: p, source, field: fact.dateField) else { return }
            session.addEvent(TimelineEvent(day: day, kind: .medicationStop, concept: session.concepts.treatments[t]),
                             patient: p, type: type)
        default:
            let fallback: TimelineEvent.Kind = kind == "procedure" ? .procedure
                : kind == "medication-start" ? .medicationStart : .condition
            let what = kind == "medication-start" ? "medication" : kind
            session.addOccurrence(target, day: day, stop: nil, fallback: fallback, what: what, patient: p, source,
                                  dateField: fact.dateField)
        }
    }
}

/// One fact of a CSV row, with the names of the columns it came from (for problems).
struct CSVFact {
    var kind: String
    var patientID: String
    var date: String
    var system: String
    var code: String
    var value: String = ""
    var unit: String = ""
    var line: Int
    /// The visit (an index into the patient's encounters) the fact belongs to, or -1.
    var encounter = -1
    var dateField = "date"
    var valueField = "value"
    /// The code system of a coded value, when the column holds a code of a known system.
    var valueSystem: String?
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
