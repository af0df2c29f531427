import DiseaseModeling
import Serialization
import Timelines

/// One patient as read so far: details, visits and facts, before the timeline is laid out.
struct PatientDraft {
    var id: String
    var sex: Sex
    var birth: CalendarDay
    var death: CalendarDay?
    var deceasedWithoutDate = false
    /// Visit days in the order read; events refer to them by index until ordinals are assigned.
    var encounterDays: [CalendarDay] = []
    /// Events; quantities and coded values carry an index into `encounterDays` (or -1) as ordinal.
    var events: [TimelineEvent] = []
    /// The disease's own Condition: onset and recorded (diagnosis) day, merged over records.
    var onset: CalendarDay?
    var diagnosed: CalendarDay?
    /// The recorded cause of death (a concept index) and the day its record gives.
    var causeOfDeath: (concept: Int32, day: CalendarDay)?
}

/// The state of one import: the template's concepts, the patients so far, and the report.
///
/// Readers (FHIR, CSV) turn records into drafts through this type, which owns the checks that do
/// not depend on the format (dates against birth and death) and the bookkeeping (every record
/// read is either kept or skipped for a counted reason).
struct ImportSession {
    let template: DiseaseTemplate
    let concepts: TemplateConcepts
    let matcher: CodeMatcher
    let strict: Bool
    let extractDate: CalendarDay?
    var report: ImportReport
    /// Every problem, kept only in strict mode (the report keeps the first few).
    var allProblems: [ImportProblem] = []
    var patients: [PatientDraft] = []
    /// Patient ids seen (kept or not), to report duplicates.
    var patientIDs: Set<String> = []

    init(template: DiseaseTemplate, strict: Bool, extractDate: CalendarDay?, source: String, maximumProblems: Int) {
        self.template = template
        concepts = TemplateConcepts(template)
        matcher = CodeMatcher(template: template)
        self.strict = strict
        self.extractDate = extractDate
        report = ImportReport(source: source, maximumProblems: maximumProblems)
    }

    // MARK: Bookkeeping

    mutating func read(_ type: String) { report.recordsRead[type, default: 0] += 1 }
    mutating func kept(_ type: String) { report.recordsKept[type, default: 0] += 1 }

    /// Counts a skipped record whose problem, if any, is already reported (or that has none: a
    /// status saying it does not count, a resource type not used).
    mutating func ignore(_ reason: String) { report.recordsSkippedByReason[reason, default: 0] += 1 }

    mutating func note(_ text: String, _ n: Int = 1) { report.notes[text, default: 0] += n }

    private mutating func log(_ problem: ImportProblem) {
        report.record(problem)
        if strict { allProblems.append(problem) }
    }

    /// Reports a problem with a record and skips the record (unless `skips` is false: the record
    /// is kept without the offending part).
    mutating func problem(_ reason: String, _ message: String, _ source: RecordSource, field: String = "",
                          node: JSONNode? = nil, patient: String?, skips: Bool = true) {
        let (line, path) = source.at(field, line: node?.line)
        log(ImportProblem(file: source.file, line: line, path: path, patientID: patient, reason: reason,
                          message: message))
        if skips { report.recordsSkippedByReason[reason, default: 0] += 1 }
    }

    /// Reports a problem with a patient's own details and skips the patient.
    mutating func patientProblem(_ reason: String, _ message: String, _ source: RecordSource, field: String = "",
                                 node: JSONNode? = nil, patient: String?) {
        let (line, path) = source.at(field, line: node?.line)
        log(ImportProblem(file: source.file, line: line, path: path, patientID: patient, reason: reason,
                          message: message))
        report.patientsSkippedByReason[reason, default: 0] += 1
    }

    /// Reports a problem with a file as a whole (unreadable, not a known format).
    mutating func fileProblem(_ reason: String, _ message: String, file: String, line: Int = 0) {
        log(ImportProblem(file: file, line: line, path: "", patientID: nil, reason: reason, message: message))
        read("unreadable")
        report.recordsSkippedByReason[reason, default: 0] += 1
    }

    // MARK: Patients and dates

    /// Adds a patient whose details passed the checks; nil (with a problem) for a duplicate id.
    mutating func addPatient(_ draft: PatientDraft, _ source: RecordSource) -> Int? {
        guard patientIDs.insert(draft.id).inserted else {
            patientProblem("duplicate patient id", "a second Patient with id \"\(draft.id)\" (the first is kept)",
                           source, field: "id", patient: draft.id)
            return nil
        }
        patients.append(draft)
        return patients.count - 1
    }

    /// Notes the id of a patient skipped for its details, so a later record with it is not a duplicate.
    mutating func rememberSkipped(_ id: String) { patientIDs.insert(id) }

    /// A date field: nil without a problem when absent, `.failure` (problem reported) when invalid.
    mutating func date(_ text: String?, _ source: RecordSource, field: String, node: JSONNode? = nil,
                       patient: String?) -> Result<CalendarDay, DateFailure>? {
        guard let text else { return nil }
        guard let (day, partial) = RecordDates.parse(text) else {
            problem("invalid date", "\"\(text)\" is not a valid date (YYYY-MM-DD)", source, field: field, node: node,
                    patient: patient)
            return .failure(DateFailure())
        }
        if partial { note("partial dates completed to mid-year or mid-month") }
        return .success(day)
    }

    /// What is impossible about `day` for the patient: before birth, after death, or after the
    /// extract date (when one is given); nil when nothing is.
    func dayProblem(_ day: CalendarDay, _ what: String, patient p: Int) -> (reason: String, message: String)? {
        let draft = patients[p]
        if day < draft.birth { return ("\(what) before birth", "\(what) on \(day) is before birth (\(draft.birth))") }
        if let death = draft.death, day > death {
            return ("\(what) after death", "\(what) on \(day) is after death (\(death))")
        }
        if let extractDate, day > extractDate {
            return ("\(what) after the extract date", "\(what) on \(day) is after the extract date (\(extractDate))")
        }
        return nil
    }

    /// Whether `day` is possible for the patient (see `dayProblem`); reports the problem and skips
    /// the record when not.
    mutating func checkDay(_ day: CalendarDay, _ what: String, patient p: Int, _ source: RecordSource,
                           field: String, node: JSONNode? = nil) -> Bool {
        guard let (reason, message) = dayProblem(day, what, patient: p) else { return true }
        problem(reason, message, source, field: field, node: node, patient: patients[p].id)
        return false
    }

    // MARK: Facts

    mutating func addEvent(_ event: TimelineEvent, patient p: Int, type: String) {
        patients[p].events.append(event)
        kept(type)
    }

    /// Adds a visit; returns its index for observations that name it.
    mutating func addEncounter(_ day: CalendarDay, patient p: Int, type: String) -> Int {
        patients[p].encounterDays.append(day)
        kept(type)
        return patients[p].encounterDays.count - 1
    }

    /// Merges a record of the disease itself: the earliest onset and diagnosis are kept.
    mutating func addDisease(onset: CalendarDay?, diagnosed: CalendarDay?, patient p: Int, type: String) {
        if let onset { patients[p].onset = min(patients[p].onset ?? onset, onset) }
        if let diagnosed { patients[p].diagnosed = min(patients[p].diagnosed ?? diagnosed, diagnosed) }
        kept(type)
    }

    /// The event kind a template event is recorded as (`fallback` for events the template does not record).
    func kind(ofEvent e: Int, fallback: TimelineEvent.Kind) -> TimelineEvent.Kind {
        switch template.events[e].record {
        case .condition: .condition
        case .procedure: .procedure
        case .none: fallback
        }
    }

    /// "the measure \"Hemoglobin\"": what a template part is, for messages.
    func describe(_ target: CodeMatcher.Target) -> String {
        switch target {
        case .disease: "the disease \"\(template.condition.text)\""
        case .measure(let i): "the measure \"\(template.measures[i].concept.text)\""
        case .attribute(let i): "the attribute \"\(template.attributes[i].concept.text)\""
        case .event(let i): "the event \"\(template.events[i].concept.text)\""
        case .treatment(let i): "the treatment \"\(template.treatments[i].concept.text)\""
        case .causeOfDeath: "the cause of death"
        }
    }
}

/// An invalid date, already reported.
struct DateFailure: Error {}
