/// A rule every record of a disease must obey, stated in its template: what a clinician would
/// call a contradiction, or a pattern that measurement noise alone cannot explain.
///
/// Zebra checks records against these rules (`zebra check-records`) and the simulator must never
/// break them. Beside the template's rules, some hold for every template and need no statement:
/// nothing before birth or after death, values inside a measure's bounds, a one-time event once,
/// a measure not recorded after the state that ends it (`observe.unless`), a drug not started
/// before it was available.
package struct RecordRule: Sendable {
    package enum Kind: Sendable {
        /// From the day an event is recorded on, a measure's recorded values stay in a range:
        /// kidney failure means failing kidney function.
        case valueAfterEvent(event: Int, measure: Int, atLeast: Double?, below: Double?)
        /// Between consecutive visits without treatment, a measure falls by at most `points`
        /// more often than measurement noise alone would make it (a plausibility rule).
        case fallBetweenVisits(measure: Int, points: Double, untreatedOnly: Bool)
    }

    package var id: String
    package var text: String
    package var kind: Kind
    package var source: String?

    /// Whether a single occurrence is a contradiction (or, for plausibility rules, only an excess
    /// over what noise explains counts).
    package var isContradiction: Bool {
        if case .fallBetweenVisits = kind { return false }
        return true
    }
}
