import Parallelism
import Serialization
import Timelines

/// Reads FHIR resources (ndjson lines, bundles) and turns them into patient drafts as they come.
///
/// A resource is handled as soon as what it refers to is known (its Patient, its Encounter, its
/// Medication); otherwise it waits until every file is read. Files of Patients and Encounters are
/// read first, so in a Bulk Data export every Observation is handled on the spot and only the
/// drafts are kept, not the parsed resources. Resources are grouped by `resourceType`, whatever
/// file they are in.
struct FHIRReader {
    let threads: Int
    private(set) var index = ReferenceIndex()
    /// Resources waiting for a Patient, Encounter or Medication not read yet.
    private var waiting: [RawResource] = []

    init(threads: Int) { self.threads = threads }

    /// Lines parsed at a time (in parallel); bounds the memory of parsed resources.
    static let chunkLines = 4_096
    /// Resource types that are definitions rather than records of a patient: not counted.
    static let definitionTypes: Set<String> = ["Organization", "Practitioner", "PractitionerRole", "Location"]

    // MARK: Reading

    /// Reads a file of newline-delimited resources (FHIR Bulk Data); blank lines are allowed.
    mutating func readNDJSON(_ bytes: [UInt8], file: String, session: inout ImportSession) {
        var lines: [(number: Int, range: Range<Int>)] = []
        var start = 0
        var number = 0
        while start < bytes.count {
            number += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var last = end
            if last > start && bytes[last - 1] == 0x0D { last -= 1 }
            if bytes[start..<last].contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                lines.append((number, start..<last))
            }
            start = end + 1
        }
        var first = 0
        while first < lines.count {
            let chunk = Array(lines[first..<min(first + Self.chunkLines, lines.count)])
            let parsed: [Result<JSONNode, JSONSyntaxError>] = parallelMap(count: chunk.count, threads: threads) { i in
                Self.parse(bytes[chunk[i].range])
            }
            for (line, result) in zip(chunk, parsed) {
                switch result {
                case .success(let node):
                    let source = RecordSource(type: "", file: file, lineOffset: line.number - 1, line: line.number,
                                              path: "$")
                    if let r = resource(node, source, scope: -1, fullUrl: nil, &session) {
                        handle(r, final: false, &session)
                    }
                case .failure(let error):
                    session.fileProblem("malformed JSON", "not valid JSON: \(error.message) (column \(error.column))",
                                        file: file, line: line.number)
                }
            }
            first += Self.chunkLines
        }
    }

    private static func parse(_ line: ArraySlice<UInt8>) -> Result<JSONNode, JSONSyntaxError> {
        do { return .success(try JSONParser.parse(Array(line))) } catch { return .failure(error) }
    }

    /// Reads a file holding one JSON resource, usually a `Bundle`.
    mutating func readJSON(_ bytes: [UInt8], file: String, session: inout ImportSession) {
        do {
            let node = try JSONParser.parse(bytes)
            let source = RecordSource(type: "", file: file, lineOffset: 0, line: node.line, path: "$")
            if let r = resource(node, source, scope: -1, fullUrl: nil, &session) { handle(r, final: false, &session) }
        } catch {
            session.fileProblem("malformed JSON", "not valid JSON: \(error.message) (column \(error.column))",
                                file: file, line: error.line)
        }
    }

    /// Handles what waited for resources read later; those still unresolved are reported now.
    mutating func finish(_ session: inout ImportSession) {
        let pending = waiting
        waiting = []
        for r in pending where r.type == "Encounter" { handle(r, final: true, &session) }
        for r in pending where r.type != "Encounter" { handle(r, final: true, &session) }
    }

    /// A parsed resource with its source; nil for a bundle (read here) or a non-resource (reported).
    private mutating func resource(_ node: JSONNode, _ location: RecordSource, scope: Int, fullUrl: String?,
                                   _ session: inout ImportSession) -> RawResource? {
        var source = location
        source.line = source.lineOffset + node.line
        guard let type = node["resourceType"]?.stringValue, !type.isEmpty else {
            session.fileProblem("not a FHIR resource", "\(source.path) has no \"resourceType\"", file: source.file,
                                line: source.line)
            return nil
        }
        source.type = type
        if type == "Bundle" {
            readBundle(node, source, &session)
            return nil
        }
        return RawResource(type: type, node: node, source: source, scope: scope, fullUrl: fullUrl)
    }

    /// A bundle's entries, handled Patients first, then Medications, Encounters and the rest, so
    /// that references within the bundle resolve.
    private mutating func readBundle(_ node: JSONNode, _ source: RecordSource, _ session: inout ImportSession) {
        let scope = index.newScope()
        var entries: [RawResource] = []
        for (i, entry) in (node["entry"]?.arrayValue ?? []).enumerated() {
            if entry["request"]?["method"]?.stringValue == "DELETE" { continue }
            guard let resource = entry["resource"] else { continue }
            var inner = source
            inner.path = "\(source.path).entry[\(i)].resource"
            if let r = self.resource(resource, inner, scope: scope, fullUrl: entry["fullUrl"]?.stringValue, &session) {
                entries.append(r)
            }
        }
        func rank(_ type: String) -> Int {
            type == "Patient" ? 0 : type == "Medication" ? 1 : type == "Encounter" ? 2 : 3
        }
        let order = entries.indices.sorted { (rank(entries[$0].type), $0) < (rank(entries[$1].type), $1) }
        for i in order { handle(entries[i], final: false, &session) }
    }

    /// Handles one resource, or keeps it waiting (unless `final`) while what it refers to is unknown.
    private mutating func handle(_ r: RawResource, final: Bool, _ session: inout ImportSession) {
        switch r.type {
        case "Patient": return readPatient(r, &session)
        case "Medication":
            let code = Self.codeable(r.node["code"])
            return index.register(r, as: .medication(codings: code.codings, text: code.text))
        case let type where Self.definitionTypes.contains(type): return
        default: break
        }
        if !final && !ready(r) { return waiting.append(r) }
        session.read(r.type)
        switch r.type {
        case "Encounter": readEncounter(r, &session)
        case "Observation": readObservation(r, &session)
        case "Condition": readCondition(r, &session)
        case "Procedure": readProcedure(r, &session)
        case "MedicationStatement", "MedicationRequest": readMedication(r, &session)
        default: session.ignore("resource type not used")
        }
    }

    /// Whether everything `r` refers to has been read.
    private func ready(_ r: RawResource) -> Bool {
        func known(_ node: JSONNode?) -> Bool {
            guard let reference = node?["reference"]?.stringValue else { return true }
            return index.resolve(reference, from: r.scope) != nil
        }
        guard known(r.node["subject"] ?? r.node["patient"]) else { return false }
        if r.type == "Observation" && !known(r.node["encounter"]) { return false }
        if r.node["medicationCodeableConcept"] == nil && !known(r.node["medicationReference"]) { return false }
        return true
    }

    // MARK: Patients and encounters

    private mutating func readPatient(_ r: RawResource, _ session: inout ImportSession) {
        session.report.patientsRead += 1
        let node = r.node
        guard let id = r.id else {
            session.patientProblem("no patient id", "Patient without an id", r.source, patient: nil)
            return
        }
        var slot = -1
        defer { index.register(r, as: .patient(slot)) }
        func reject(_ reason: String, _ message: String, _ field: String) {
            session.rememberSkipped(id)
            session.patientProblem(reason, message, r.source, field: field, node: node[field], patient: id)
        }
        let sex: Sex
        switch node["gender"]?.stringValue {
        case "male": sex = .male
        case "female": sex = .female
        case nil: return reject("no gender", "Patient without gender (male or female needed)", "gender")
        case let other?: return reject("no usable gender", "gender \"\(other)\" is not male or female", "gender")
        }
        guard let birthText = node["birthDate"]?.stringValue else {
            return reject("no birth date", "Patient without birthDate", "birthDate")
        }
        guard let birth = RecordDates.parse(birthText) else {
            return reject("invalid birth date", "birthDate \"\(birthText)\" is not a valid date", "birthDate")
        }
        var draft = PatientDraft(id: id, sex: sex, birth: birth.day)
        if birth.partial { session.note("partial dates completed to mid-year or mid-month") }
        if let deathText = node["deceasedDateTime"]?.stringValue {
            guard let death = RecordDates.parse(deathText) else {
                return reject("invalid death date", "deceasedDateTime \"\(deathText)\" is not a valid date",
                              "deceasedDateTime")
            }
            guard death.day >= birth.day else {
                return reject("death before birth", "deceasedDateTime \(death.day) is before birthDate \(birth.day)",
                              "deceasedDateTime")
            }
            if death.partial { session.note("partial dates completed to mid-year or mid-month") }
            draft.death = death.day
        } else if node["deceasedBoolean"]?.boolValue == true {
            draft.deceasedWithoutDate = true
        }
        if let p = session.addPatient(draft, r.source) { slot = p }
    }

    private mutating func readEncounter(_ r: RawResource, _ session: inout ImportSession) {
        var target: (patient: Int, visit: Int)?
        defer { index.register(r, as: .encounter(target)) }
        if let status = r.node["status"]?.stringValue, status == "cancelled" || status == "entered-in-error" {
            return session.ignore("status \(status)")
        }
        guard let p = subject(r, &session) else { return }
        let field = r.node["period"] != nil ? "period.start" : "actualPeriod.start"
        let node = r.node["period"]?["start"] ?? r.node["actualPeriod"]?["start"]
        guard let text = node?.stringValue else {
            return session.problem("missing date", "Encounter without period.start", r.source, field: "period",
                                   patient: session.patients[p].id)
        }
        guard case .success(let day)? = session.date(text, r.source, field: field, node: node,
                                                     patient: session.patients[p].id)
        else { return }
        guard session.checkDay(day, "encounter", patient: p, r.source, field: field, node: node) else { return }
        target = (p, session.addEncounter(day, patient: p, type: r.type))
    }

    // MARK: References and fields

    /// The draft a resource's `subject` (or `patient`) names; nil after reporting a problem, or
    /// after counting the record as skipped with its patient.
    func subject(_ r: RawResource, _ session: inout ImportSession) -> Int? {
        let field = r.node["subject"] != nil ? "subject" : "patient"
        guard let node = r.node[field], let reference = node["reference"]?.stringValue else {
            session.problem("missing subject", "\(r.type) without a subject reference", r.source, field: field,
                            patient: nil)
            return nil
        }
        switch index.resolve(reference, from: r.scope) {
        case .patient(let p)?:
            guard p >= 0 else {
                session.ignore("patient skipped")
                return nil
            }
            return p
        case nil:
            session.problem("unknown patient", "subject \"\(reference)\" names no Patient in the records", r.source,
                            field: "\(field).reference", node: node, patient: nil)
        case .some:
            session.problem("unknown patient", "subject \"\(reference)\" is not a Patient", r.source,
                            field: "\(field).reference", node: node, patient: nil)
        }
        return nil
    }

    /// The visit an Observation names, when it is a kept Encounter of the same patient.
    func visit(_ r: RawResource, patient p: Int) -> Int? {
        guard let reference = r.node["encounter"]?["reference"]?.stringValue,
              case .encounter(let e?)? = index.resolve(reference, from: r.scope), e.patient == p else { return nil }
        return e.visit
    }

    /// A CodeableConcept's codings and text.
    static func codeable(_ node: JSONNode?) -> (codings: [ClinicalCode], text: String?) {
        var codings: [ClinicalCode] = []
        for c in node?["coding"]?.arrayValue ?? [] {
            guard let system = c["system"]?.stringValue, let code = c["code"]?.stringValue else { continue }
            codings.append(ClinicalCode(system: system, code: code, display: c["display"]?.stringValue))
        }
        return (codings, node?["text"]?.stringValue)
    }

    /// The first of several date fields present (`effectiveDateTime`, `effectivePeriod.start`, …).
    static func firstDate(_ node: JSONNode, _ fields: [String]) -> (text: String, field: String, node: JSONNode)? {
        for field in fields {
            var current: JSONNode? = node
            for part in field.split(separator: ".") { current = current?[String(part)] }
            if let current, let text = current.stringValue { return (text, field, current) }
        }
        return nil
    }
}
