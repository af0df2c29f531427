import Serialization
import Timelines

/// Turns the resources of a pool into patient drafts: Patients first, then Encounters, then the
/// clinical resources, each checked and mapped to the template's concepts.
struct FHIRReader {
    let pool: ResourcePool
    /// Resource index of each Patient → draft index, or -1 when the patient was skipped.
    private(set) var patientOf: [Int: Int] = [:]
    /// Resource index of each kept Encounter → (draft, visit index).
    private(set) var encounterOf: [Int: (patient: Int, visit: Int)] = [:]

    init(pool: ResourcePool) { self.pool = pool }

    /// Resource types that are definitions rather than records of a patient: not counted.
    static let definitionTypes: Set<String> = ["Medication", "Organization", "Practitioner", "PractitionerRole", "Location"]

    mutating func run(_ session: inout ImportSession) {
        let resources = pool.resources
        for (i, r) in resources.enumerated() where r.type == "Patient" { readPatient(i, r, &session) }
        for (i, r) in resources.enumerated() where r.type == "Encounter" {
            session.read(r.type)
            readEncounter(i, r, &session)
        }
        for r in resources where r.type != "Patient" && r.type != "Encounter" && !Self.definitionTypes.contains(r.type) {
            session.read(r.type)
            switch r.type {
            case "Observation": readObservation(r, &session)
            case "Condition": readCondition(r, &session)
            case "Procedure": readProcedure(r, &session)
            case "MedicationStatement", "MedicationRequest": readMedication(r, &session)
            default: session.ignore("resource type not used")
            }
        }
    }

    // MARK: Patients and encounters

    private mutating func readPatient(_ index: Int, _ r: RawResource, _ session: inout ImportSession) {
        session.report.patientsRead += 1
        patientOf[index] = -1
        let node = r.node
        guard let id = r.id else {
            session.patientProblem("no patient id", "Patient without an id", r.source, patient: nil)
            return
        }
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
                return reject("invalid death date", "deceasedDateTime \"\(deathText)\" is not a valid date", "deceasedDateTime")
            }
            guard death.day >= birth.day else {
                return reject("death before birth", "deceasedDateTime \(death.day) is before birthDate \(birth.day)", "deceasedDateTime")
            }
            if death.partial { session.note("partial dates completed to mid-year or mid-month") }
            draft.death = death.day
        } else if node["deceasedBoolean"]?.boolValue == true {
            draft.deceasedWithoutDate = true
        }
        if let p = session.addPatient(draft, r.source) { patientOf[index] = p }
    }

    private mutating func readEncounter(_ index: Int, _ r: RawResource, _ session: inout ImportSession) {
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
        guard case .success(let day)? = session.date(text, r.source, field: field, node: node, patient: session.patients[p].id)
        else { return }
        guard session.checkDay(day, "encounter", patient: p, r.source, field: field, node: node) else { return }
        encounterOf[index] = (p, session.addEncounter(day, patient: p, type: r.type))
    }

    // MARK: References and fields

    /// The draft a resource's `subject` (or `patient`) names; nil after reporting a problem, or
    /// after counting the record as skipped with its patient.
    func subject(_ r: RawResource, _ session: inout ImportSession) -> Int? {
        let field = r.node["subject"] != nil ? "subject" : "patient"
        guard let node = r.node[field], let reference = node["reference"]?.stringValue else {
            session.problem("missing subject", "\(r.type) without a subject reference", r.source, field: field, patient: nil)
            return nil
        }
        guard let target = pool.resolve(reference, from: r.scope) else {
            session.problem("unknown patient", "subject \"\(reference)\" names no Patient in the records", r.source,
                            field: "\(field).reference", node: node, patient: nil)
            return nil
        }
        guard let p = patientOf[target] else {
            session.problem("unknown patient", "subject \"\(reference)\" is a \(pool.resources[target].type), not a Patient",
                            r.source, field: "\(field).reference", node: node, patient: nil)
            return nil
        }
        guard p >= 0 else {
            session.ignore("patient skipped")
            return nil
        }
        return p
    }

    /// The visit an Observation names, when it is a kept Encounter of the same patient.
    func visit(_ r: RawResource, patient p: Int) -> Int? {
        guard let reference = r.node["encounter"]?["reference"]?.stringValue,
              let target = pool.resolve(reference, from: r.scope), let e = encounterOf[target], e.patient == p else { return nil }
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
