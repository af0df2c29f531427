import Timelines

extension ImportSession {
    /// Lays out each kept patient's timeline as the simulator does: the disease Condition, visits
    /// numbered in date order, observations tied to their visit, events sorted by (day, kind).
    mutating func timelines() -> [PatientTimeline] {
        var result: [PatientTimeline] = []
        result.reserveCapacity(patients.count)
        for draft in patients { result.append(timeline(draft)) }
        report.patientsKept = result.count
        let undiagnosed = patients.filter { $0.onset == nil && $0.diagnosed == nil }.count
        if undiagnosed > 0 { note("patients without a record of the disease's own Condition", undiagnosed) }
        let undated = patients.filter(\.deceasedWithoutDate).count
        if undated > 0 { note("patients deceased without a date (followed up to their last record)", undated) }
        return result
    }

    private mutating func timeline(_ draft: PatientDraft) -> PatientTimeline {
        var events = draft.events
        let ordinals = visitOrdinals(draft, &events)
        if draft.onset != nil || draft.diagnosed != nil {
            let onset = draft.onset ?? draft.diagnosed!
            let day = draft.diagnosed.map { min(onset, $0) } ?? onset
            events.append(TimelineEvent(day: day, kind: .condition, concept: concepts.condition,
                                        related: draft.diagnosed?.daysSinceEpoch ?? Int32.min))
        }
        for (ordinal, day) in ordinals.enumerated() {
            events.append(TimelineEvent(day: day, kind: .encounter, concept: -1, ordinal: Int32(ordinal)))
        }
        events.sort(by: TimelineEvent.inCanonicalOrder)
        let last = events.last?.day
        let followUpEnd: CalendarDay
        if let death = draft.death {
            followUpEnd = death
        } else if let extractDate {
            followUpEnd = max(extractDate, last ?? extractDate)
        } else {
            followUpEnd = last ?? draft.birth
        }
        var timeline = PatientTimeline(id: draft.id, sex: draft.sex, birth: draft.birth, death: draft.death,
                                       followUpEnd: followUpEnd, attributes: attributes(events), events: events)
        if let cause = draft.causeOfDeath {
            // A cause needs a death; the checker reports a cause dated away from it.
            if draft.death == nil { note("causes of death for patients not recorded as deceased (ignored)") } else {
                timeline.causeOfDeath = cause.concept
                timeline.causeOfDeathDay = cause.day
            }
        }
        return timeline
    }

    /// Numbers the visits in date order (read order within a day) and rewrites each observation's
    /// visit index as that ordinal. An observation that names no visit joins the first visit on
    /// its day; where there is none, a visit is added for it (an observation implies a contact).
    /// Returns the visit days by ordinal.
    private mutating func visitOrdinals(_ draft: PatientDraft, _ events: inout [TimelineEvent]) -> [CalendarDay] {
        var days = draft.encounterDays
        var known = Set(days)
        var added = 0
        for e in events where (e.kind == .quantity || e.kind == .codedValue) && e.ordinal < 0 &&
            !known.contains(e.day) {
            known.insert(e.day)
            days.append(e.day)
            added += 1
        }
        if added > 0 { note("visits added for observations that named none", added) }
        let order = days.indices.sorted { days[$0] != days[$1] ? days[$0] < days[$1] : $0 < $1 }
        var ordinalOf = [Int32](repeating: 0, count: days.count)
        var firstOnDay: [CalendarDay: Int32] = [:]
        for (ordinal, index) in order.enumerated() {
            ordinalOf[index] = Int32(ordinal)
            if firstOnDay[days[index]] == nil { firstOnDay[days[index]] = Int32(ordinal) }
        }
        for i in events.indices where events[i].kind == .quantity || events[i].kind == .codedValue {
            let e = events[i]
            events[i].ordinal = e.ordinal >= 0 ? ordinalOf[Int(e.ordinal)] : firstOnDay[e.day]!
        }
        return order.map { days[$0] }
    }

    /// Each attribute's value from its earliest record (events are sorted by day).
    private func attributes(_ events: [TimelineEvent]) -> [AttributeValue] {
        var result: [AttributeValue] = []
        for (a, attribute) in template.attributes.enumerated() {
            let concept = concepts.attributes[a]
            guard let e = events.first(where: {
                ($0.kind == .quantity || $0.kind == .codedValue) && $0.concept == concept
            })
            else { continue }
            if e.kind == .codedValue, let v = concepts.attributeValues[a].firstIndex(of: e.related) {
                result.append(AttributeValue(name: attribute.id, value: .category(attribute.categoryValues[v])))
            } else if e.kind == .quantity {
                result.append(AttributeValue(name: attribute.id, value: .number(e.value)))
            }
        }
        return result
    }
}
