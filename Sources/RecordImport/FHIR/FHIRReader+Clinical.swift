import Serialization
import Timelines

extension FHIRReader {
    /// The patient and template concept a clinical resource is about; nil (with the record
    /// ignored or its problem counted) when its status says to skip it, it names no known
    /// patient, or its code is not the template's.
    func resolve(_ r: RawResource, ignoring statuses: Set<String>, status: String?? = nil,
                 code given: (codings: [ClinicalCode], text: String?)? = nil, codeField: String = "code",
                 _ session: inout ImportSession) -> (patient: Int, id: String, target: CodeMatcher.Target)? {
        let node = r.node
        if let status = status ?? node["status"]?.stringValue, statuses.contains(status) {
            session.ignore("status \(status)")
            return nil
        }
        guard let p = subject(r, &session) else { return nil }
        let id = session.patients[p].id
        let code = given ?? Self.codeable(node[codeField])
        guard let target = session.matcher.match(code.codings) else {
            session.problem("unknown code", session.matcher.unknownMessage(code.codings, text: code.text),
                            r.source, field: codeField, node: given == nil ? node[codeField] : nil, patient: id)
            return nil
        }
        return (p, id, target)
    }

    /// An Observation of a measure (quantity) or attribute (quantity, or a coded value).
    func readObservation(_ r: RawResource, _ session: inout ImportSession) {
        let node = r.node
        guard let (p, id, target) = resolve(r, ignoring: ["entered-in-error", "cancelled"], &session) else { return }
        let visit = self.visit(r, patient: p)
        let day: CalendarDay
        var dateField = "effectiveDateTime"
        var dateNode: JSONNode?
        if let found = Self.firstDate(node, ["effectiveDateTime", "effectivePeriod.start", "effectiveInstant"]) {
            guard case .success(let d)? = session.date(found.text, r.source, field: found.field, node: found.node,
                                                       patient: id)
            else { return }
            day = d
            dateField = found.field
            dateNode = found.node
        } else if let visit {
            day = session.patients[p].encounterDays[visit]
            dateField = "encounter"
        } else {
            return session.problem("missing date", "Observation without effectiveDateTime or encounter", r.source,
                                   field: "effectiveDateTime", patient: id)
        }
        let (value, field, valueNode) = Self.observedValue(node)
        session.addObservation(target, value, day: day, encounter: visit ?? -1, patient: p, r.source,
                               dateField: dateField, dateNode: dateNode, valueField: field, valueNode: valueNode)
    }

    /// The value of an Observation and the field it came from.
    static func observedValue(_ node: JSONNode) -> (ObservedValue, String, JSONNode?) {
        if let q = node["valueQuantity"] {
            guard let number = q["value"]?.numberValue else { return (.missing, "valueQuantity.value", q) }
            var units: [String] = []
            let system = q["system"]?.stringValue
            if let code = q["code"]?.stringValue, system == nil || system == "http://unitsofmeasure.org" {
                units.append(code)
            }
            if let unit = q["unit"]?.stringValue, !units.contains(unit) { units.append(unit) }
            return (.quantity(number, units: units), "valueQuantity", q)
        }
        if let n = node["valueInteger"], let number = n.numberValue {
            return (.quantity(number, units: []), "valueInteger", n)
        }
        if let c = node["valueCodeableConcept"] {
            let code = codeable(c)
            return (.coded(code.codings, text: code.text), "valueCodeableConcept", c)
        }
        if let s = node["valueString"], let text = s.stringValue { return (.coded([], text: text), "valueString", s) }
        return (.missing, "value[x]", nil)
    }

    /// A Condition: the disease itself (onset and diagnosis dates) or a template event.
    func readCondition(_ r: RawResource, _ session: inout ImportSession) {
        let node = r.node
        let verification = Self.codeable(node["verificationStatus"]).codings.first?.code
        guard let (p, id, target) = resolve(r, ignoring: ["entered-in-error", "refuted"], status: verification,
                                            &session)
        else { return }
        let onsetField = Self.firstDate(node, ["onsetDateTime", "onsetPeriod.start"])
        let recordedNode = node["recordedDate"]
        if target == .disease { return readDisease(r, patient: p, onset: onsetField, recorded: recordedNode, &session) }
        guard let date = onsetField ?? recordedNode?.stringValue.map({ ($0, "recordedDate", recordedNode!) }) else {
            return session.problem("missing date", "Condition without onsetDateTime or recordedDate", r.source,
                                   field: "onsetDateTime", patient: id)
        }
        guard case .success(let day)? = session.date(date.text, r.source, field: date.field, node: date.node,
                                                     patient: id) else {
            return
        }
        session.addOccurrence(target, day: day, stop: nil, fallback: .condition, what: "condition", patient: p,
                              r.source, dateField: date.field, dateNode: date.node)
    }

    /// The disease's own Condition: two facts, onset and diagnosis (recorded) date. An impossible
    /// one is reported and dropped while the other is kept, as the long CSV has them on two rows;
    /// the record is skipped only when neither is usable.
    private func readDisease(_ r: RawResource, patient p: Int, onset: (text: String, field: String, node: JSONNode)?,
                             recorded: JSONNode?, _ session: inout ImportSession) {
        let id = session.patients[p].id
        var dropped: [String] = []
        func fact(_ text: String?, _ field: String, _ node: JSONNode?, _ what: String) -> CalendarDay? {
            guard let text else { return nil }
            guard let (day, partial) = RecordDates.parse(text) else {
                session.problem("invalid date", "\"\(text)\" is not a valid date (YYYY-MM-DD)", r.source, field: field,
                                node: node, patient: id, skips: false)
                dropped.append("invalid date")
                return nil
            }
            if let (reason, message) = session.dayProblem(day, what, patient: p) {
                session.problem(reason, message, r.source, field: field, node: node, patient: id, skips: false)
                dropped.append(reason)
                return nil
            }
            if partial { session.note("partial dates completed to mid-year or mid-month") }
            return day
        }
        let onsetDay = fact(onset?.text, onset?.field ?? "onsetDateTime", onset?.node, "condition onset")
        let diagnosed = fact(recorded?.stringValue, "recordedDate", recorded, "diagnosis")
        guard onsetDay != nil || diagnosed != nil else {
            if let reason = dropped.first { return session.ignore(reason) }
            return session.problem("missing date", "Condition without onsetDateTime or recordedDate", r.source,
                                   field: "onsetDateTime", patient: id)
        }
        if !dropped.isEmpty { session.note("disease Conditions kept without their impossible onset or diagnosis date") }
        session.addDisease(onset: onsetDay, diagnosed: diagnosed, patient: p, type: r.type)
    }

    /// A Procedure: a template event recorded as a procedure, or a treatment.
    func readProcedure(_ r: RawResource, _ session: inout ImportSession) {
        let node = r.node
        guard let (p, id, target) = resolve(r, ignoring: ["entered-in-error", "not-done"], &session) else { return }
        guard let date = Self.firstDate(node, ["performedDateTime", "performedPeriod.start"]) else {
            return session.problem("missing date", "Procedure without performedDateTime", r.source,
                                   field: "performedDateTime", patient: id)
        }
        guard case .success(let day)? = session.date(date.text, r.source, field: date.field, node: date.node,
                                                     patient: id) else {
            return
        }
        session.addOccurrence(target, day: day, stop: nil, fallback: .procedure, what: "procedure", patient: p,
                              r.source, dateField: date.field, dateNode: date.node)
    }

    /// A MedicationStatement (`effectivePeriod`) or MedicationRequest (`authoredOn`) of a treatment.
    ///
    /// A statement's `effectivePeriod.end` is a stop, except the end a Zebra export writes for a
    /// treatment that lasted until death (`completed`, ending on the day of death). A request
    /// stops at `dispenseRequest.validityPeriod.end` when its status is `stopped` or `completed`.
    func readMedication(_ r: RawResource, _ session: inout ImportSession) {
        let node = r.node
        let isRequest = r.type == "MedicationRequest"
        let status = node["status"]?.stringValue
        let ignored: Set<String> = isRequest ? ["entered-in-error", "cancelled", "draft"]
            : ["entered-in-error", "not-taken"]
        var code = Self.codeable(node["medicationCodeableConcept"])
        if code.codings.isEmpty, let reference = node["medicationReference"]?["reference"]?.stringValue,
           case .medication(let codings, let text)? = index.resolve(reference, from: r.scope) {
            code = (codings, text)
        }
        guard let (p, id, target) = resolve(r, ignoring: ignored, code: code, codeField: "medicationCodeableConcept",
                                            &session)
        else { return }
        let startFields = isRequest ? ["authoredOn"] : ["effectivePeriod.start", "effectiveDateTime"]
        guard let start = Self.firstDate(node, startFields) else {
            return session.problem("missing date", "\(r.type) without \(startFields[0])", r.source,
                                   field: startFields[0], patient: id)
        }
        guard case .success(let day)? = session.date(start.text, r.source, field: start.field, node: start.node,
                                                     patient: id) else {
            return
        }
        let endField = isRequest ? "dispenseRequest.validityPeriod.end" : "effectivePeriod.end"
        var stop: CalendarDay?
        if let end = Self.firstDate(node, [endField]), !isRequest || status == "stopped" || status == "completed" {
            guard case .success(let d)? = session.date(end.text, r.source, field: endField, node: end.node,
                                                       patient: id) else {
                return
            }
            let untilDeath = !isRequest && status == "completed" && d == session.patients[p].death
            if !untilDeath { stop = d }
        }
        session.addOccurrence(target, day: day, stop: stop, fallback: .medicationStart, what: "medication", patient: p,
                              r.source, dateField: start.field, dateNode: start.node)
    }
}
