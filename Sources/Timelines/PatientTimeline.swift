/// Biological sex as recorded (FHIR `Patient.gender` male/female).
public enum Sex: String, Sendable, Codable, CaseIterable {
    case male
    case female
}

/// A patient attribute fixed for life (genotype, subtype, phenotype).
public struct AttributeValue: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case number(Double)
        case category(String)
    }

    public var name: String
    public var value: Value

    public init(name: String, value: Value) {
        self.name = name
        self.value = value
    }
}

/// One dated clinical event. Compact and free of strings: the concept is an index into the
/// cohort's `ConceptTable`, so millions of events cost little memory and export quickly.
public struct TimelineEvent: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
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

    public var day: CalendarDay
    public var kind: Kind
    public var concept: Int32
    public var ordinal: Int32
    public var related: Int32
    public var value: Double

    public init(day: CalendarDay, kind: Kind, concept: Int32, ordinal: Int32 = -1,
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
    public static func inCanonicalOrder(_ a: TimelineEvent, _ b: TimelineEvent) -> Bool {
        if a.day != b.day { return a.day < b.day }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        if a.concept != b.concept { return a.concept < b.concept }
        if a.ordinal != b.ordinal { return a.ordinal < b.ordinal }
        if a.related != b.related { return a.related < b.related }
        return a.value < b.value
    }

    /// The recorded day of a condition, when it differs from nothing.
    public var recordedDay: CalendarDay? {
        kind == .condition && related != Int32.min ? CalendarDay(daysSinceEpoch: related) : nil
    }
}

/// A patient's record: who they are and what happened to them, in date order.
public struct PatientTimeline: Sendable {
    /// A stable identifier (UUID text) used for the FHIR `Patient.id`.
    public var id: String
    public var sex: Sex
    public var birth: CalendarDay
    public var death: CalendarDay?
    /// The last day the record covers (end of follow-up or death).
    public var followUpEnd: CalendarDay
    public var attributes: [AttributeValue]
    public var events: [TimelineEvent]

    public init(id: String, sex: Sex, birth: CalendarDay, death: CalendarDay?, followUpEnd: CalendarDay,
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
    public func attribute(_ name: String) -> AttributeValue.Value? {
        attributes.first { $0.name == name }?.value
    }

    /// Age in years on `day`.
    public func age(on day: CalendarDay) -> Double { birth.years(to: day) }
}
