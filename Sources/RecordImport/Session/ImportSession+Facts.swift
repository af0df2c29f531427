import Serialization
import Timelines

/// The value an observation record carries, as the readers find it.
enum ObservedValue {
    /// A number with the unit spellings given for it (UCUM code first, then the display unit).
    case quantity(Double, units: [String])
    case coded([ClinicalCode], text: String?)
    case missing
}

extension ImportSession {
    /// Adds an observation of a measure or attribute after checking its value and unit; quantities
    /// in another unit of the same dimension are converted to the template's unit.
    mutating func addObservation(_ target: CodeMatcher.Target, _ value: ObservedValue, day: CalendarDay,
                                 encounter: Int, patient p: Int, _ source: RecordSource, dateField: String,
                                 dateNode: JSONNode? = nil, valueField: String, valueNode: JSONNode? = nil) {
        let id = patients[p].id
        let concept: Int32
        var categorical = false
        switch target {
        case .measure(let m): concept = concepts.measures[m]
        case .attribute(let a):
            concept = concepts.attributes[a]
            categorical = template.attributes[a].isCategorical
        case .causeOfDeath:
            return addCauseOfDeath(value, day: day, patient: p, source, valueField: valueField, valueNode: valueNode)
        default:
            problem("code for another record type", "the code stands for \(describe(target)), not an observation",
                    source, field: "code", patient: id)
            return
        }
        guard checkDay(day, "observation", patient: p, source, field: dateField, node: dateNode) else { return }
        let unit = concepts.table[concept].unit
        switch value {
        case .missing:
            problem("observation without value", "observation of \(describe(target)) has no value", source,
                    field: valueField, node: valueNode, patient: id)
        case .quantity(let number, let units):
            guard !categorical else {
                problem("wrong value type",
                        "expected a coded value for \(describe(target)), found the number \(number)",
                        source, field: valueField, node: valueNode, patient: id)
                return
            }
            guard let converted = convert(number, units: units, to: unit) else {
                let given = units.first.map { "\"\($0)\"" } ?? "no unit"
                problem("unit mismatch", "\(given) cannot be converted to \"\(unit ?? "")\" for \(describe(target))",
                        source, field: valueField, node: valueNode, patient: id)
                return
            }
            addEvent(TimelineEvent(day: day, kind: .quantity, concept: concept, ordinal: Int32(encounter),
                                   value: converted),
                     patient: p, type: source.type)
        case .coded(let codings, let text):
            guard case .attribute(let a) = target, categorical else {
                problem("wrong value type",
                        "expected a quantity\(unit.map { " in \($0)" } ?? "") "
                            + "for \(describe(target)), found a coded value",
                        source, field: valueField, node: valueNode, patient: id)
                return
            }
            guard let v = matcher.value(ofAttribute: a, codings: codings, text: text) else {
                let given = codings.first.map { "\($0.system)|\($0.code)" } ?? "\"\(text ?? "")\""
                let known = template.attributes[a].categoryValues.joined(separator: ", ")
                problem("unknown value", "value \(given) is not one of \(describe(target))'s values (\(known))",
                        source, field: valueField, node: valueNode, patient: id)
                return
            }
            addEvent(TimelineEvent(day: day, kind: .codedValue, concept: concept, ordinal: Int32(encounter),
                                   related: concepts.attributeValues[a][v]), patient: p, type: source.type)
        }
    }

    /// Keeps a patient's cause of death; it belongs to no visit, and a second, different one is a problem.
    private mutating func addCauseOfDeath(_ value: ObservedValue, day: CalendarDay, patient p: Int,
                                          _ source: RecordSource, valueField: String, valueNode: JSONNode?) {
        let id = patients[p].id
        guard case .coded(let codings, let text) = value,
              let c = matcher.cause(codings: codings, text: text) else {
            let known = template.mortality.causes.map(\.id).joined(separator: ", ")
            return problem("unknown value", "a cause of death must be one of the template's causes (\(known))",
                           source, field: valueField, node: valueNode, patient: id)
        }
        let concept = concepts.deathCauses[c]
        if let earlier = patients[p].causeOfDeath, earlier.concept != concept {
            return problem("conflicting cause of death", "a second, different cause of death", source,
                           field: valueField, node: valueNode, patient: id)
        }
        patients[p].causeOfDeath = (concept, day)
        kept(source.type)
    }

    /// The number in the template's unit, trying each given spelling; nil when none converts.
    private mutating func convert(_ value: Double, units: [String], to unit: String?) -> Double? {
        guard let unit else { return value }
        let candidates: [String?] = units.isEmpty ? [nil] : units
        for given in candidates {
            guard let e = UnitConversion.exponent(from: given, to: unit) else { continue }
            if e != 0 { note("quantities converted to the template's unit") }
            return UnitConversion.scale(value, byPowerOfTen: e)
        }
        return nil
    }

    /// Adds a record of a template event or treatment (Condition, Procedure or medication),
    /// as the kind the template records it with.
    mutating func addOccurrence(_ target: CodeMatcher.Target, day: CalendarDay, stop: CalendarDay?,
                                fallback: TimelineEvent.Kind, what: String, patient p: Int, _ source: RecordSource,
                                dateField: String, dateNode: JSONNode? = nil) {
        // Medication records name treatments, conditions name events; procedures may be either.
        let fits: Bool
        switch target {
        case .event: fits = what != "medication"
        case .treatment: fits = what == "medication" || what == "procedure"
        default: fits = false
        }
        guard fits else {
            return problem("code for another record type", "the code stands for \(describe(target)), not a \(what)",
                           source, field: "code", patient: patients[p].id)
        }
        guard checkDay(day, what, patient: p, source, field: dateField, node: dateNode) else { return }
        switch target {
        case .event(let e):
            addEvent(TimelineEvent(day: day, kind: kind(ofEvent: e, fallback: fallback), concept: concepts.events[e]),
                     patient: p, type: source.type)
        case .treatment(let t):
            let concept = concepts.treatments[t]
            if template.treatments[t].record == .procedure {
                addEvent(TimelineEvent(day: day, kind: .procedure, concept: concept), patient: p, type: source.type)
                return
            }
            if let stop {
                guard stop >= day else {
                    problem("invalid period", "\(what) ends on \(stop), before it starts (\(day))", source,
                            field: dateField, node: dateNode, patient: patients[p].id)
                    return
                }
                guard checkDay(stop, what, patient: p, source, field: dateField, node: dateNode) else { return }
                patients[p].events.append(TimelineEvent(day: stop, kind: .medicationStop, concept: concept))
            }
            addEvent(TimelineEvent(day: day, kind: .medicationStart, concept: concept), patient: p, type: source.type)
        default:
            break
        }
    }
}
