/// Biological sex as recorded (FHIR `Patient.gender` male/female).
package enum Sex: String, Sendable, Codable, CaseIterable {
    case male
    case female
}

/// A patient attribute fixed for life (genotype, subtype, phenotype).
package struct AttributeValue: Sendable, Hashable {
    package enum Value: Sendable, Hashable {
        case number(Double)
        case category(String)
    }

    package var name: String
    package var value: Value

    package init(name: String, value: Value) {
        self.name = name
        self.value = value
    }
}

/// One dated clinical event. Compact and free of strings: the concept is an index into the
/// cohort's `ConceptTable`, so millions of events cost little memory and export quickly.
package struct TimelineEvent: Sendable, Hashable {
    package enum Kind: UInt8, Sendable {
        /// A visit; `ordinal` numbers the patient's encounters from 0.
        case encounter
        /// A diagnosis or complication; `related` holds the recorded day, or `Int32.min`.
        case condition
        /// A quantity; `value` holds it, `ordinal` the encounter it belongs to (or -1).
        case quantity
        /// A coded value; `related` holds the answer's concept index, `ordinal` the encounter.
        case codedValue
        case medicationStart
        case medicationStop
        case procedure
    }

    package var day: CalendarDay
    package var kind: Kind
    package var concept: Int32
    package var ordinal: Int32
    package var related: Int32
    package var value: Double

    package init(day: CalendarDay, kind: Kind, concept: Int32, ordinal: Int32 = -1,
                related: Int32 = Int32.min, value: Double = 0) {
        self.day = day
        self.kind = kind
        self.concept = concept
        self.ordinal = ordinal
        self.related = related
        self.value = value
    }

    /// A total order on events (day, kind, concept, ordinal, related, value), so that sorted
    /// timelines compare equal whatever order ties arrived in.
    package static func inCanonicalOrder(_ a: TimelineEvent, _ b: TimelineEvent) -> Bool {
        if a.day != b.day { return a.day < b.day }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        if a.concept != b.concept { return a.concept < b.concept }
        if a.ordinal != b.ordinal { return a.ordinal < b.ordinal }
        if a.related != b.related { return a.related < b.related }
        return a.value < b.value
    }

    /// The recorded day of a condition, when it differs from nothing.
    package var recordedDay: CalendarDay? {
        kind == .condition && related != Int32.min ? CalendarDay(daysSinceEpoch: related) : nil
    }
}

/// A patient's record: who they are and what happened to them, in date order.
package struct PatientTimeline: Sendable {
    /// A stable identifier (UUID text) used for the FHIR `Patient.id`.
    package var id: String
    package var sex: Sex
    package var birth: CalendarDay
    package var death: CalendarDay?
    /// The concept of the recorded cause of death, when the record has one.
    package var causeOfDeath: Int32?
    /// The day the cause-of-death record gives (records read from files; nil: the death day).
    package var causeOfDeathDay: CalendarDay?
    /// The last day the record covers (end of follow-up or death).
    package var followUpEnd: CalendarDay
    package var attributes: [AttributeValue]
    package var events: [TimelineEvent]

    package init(id: String, sex: Sex, birth: CalendarDay, death: CalendarDay?, followUpEnd: CalendarDay,
                attributes: [AttributeValue], events: [TimelineEvent]) {
        self.id = id
        self.sex = sex
        self.birth = birth
        self.death = death
        self.followUpEnd = followUpEnd
        self.attributes = attributes
        self.events = events
    }

    /// The attribute with the given name.
    package func attribute(_ name: String) -> AttributeValue.Value? {
        attributes.first { $0.name == name }?.value
    }

    /// Age in years on `day`.
    package func age(on day: CalendarDay) -> Double { birth.years(to: day) }
}
