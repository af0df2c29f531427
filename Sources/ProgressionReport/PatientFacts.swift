import DiseaseModeling
import Statistics
import Timelines

/// What a progression study reads from one record, on the age scale.
struct PatientFacts {
    var id: String
    var sex: Sex
    /// Age at the first visit (entry to observation) and at the end of the record.
    var entry: Double
    var exit: Double
    /// Age at symptom onset and at diagnosis, when recorded.
    var onset: Double?
    var diagnosis: Double?
    /// Per template event, the age it was first recorded.
    var eventAges: [Double?]
    /// Age at the first treatment start, when treated.
    var firstTreatment: Double?
    /// Per measure, (age, value) in age order.
    var values: [[(age: Double, value: Double)]]
    var attributes: [AttributeValue]

    init?(_ t: PatientTimeline, template: DiseaseTemplate, concepts: TemplateConcepts) {
        let visits = t.events.filter { $0.kind == .encounter }.map(\.day)
        guard let first = visits.min() else { return nil }
        id = t.id
        sex = t.sex
        entry = t.age(on: first)
        exit = t.age(on: t.followUpEnd)
        attributes = t.attributes
        eventAges = Array(repeating: nil, count: template.events.count)
        values = Array(repeating: [], count: template.measures.count)
        let measureOf = Dictionary(uniqueKeysWithValues: concepts.measures.enumerated().map { ($1, $0) })
        let eventOf = Dictionary(uniqueKeysWithValues: concepts.events.enumerated().map { ($1, $0) })
        let treatments = Set(concepts.treatments)
        for e in t.events.sorted(by: TimelineEvent.inCanonicalOrder) {
            let age = t.age(on: e.day)
            switch e.kind {
            case .condition where e.concept == concepts.condition:
                onset = min(onset ?? age, age)
                diagnosis = e.recordedDay.map { t.age(on: $0) } ?? age
            case .condition, .procedure:
                if let ev = eventOf[e.concept], eventAges[ev] == nil { eventAges[ev] = age }
                if treatments.contains(e.concept) { firstTreatment = min(firstTreatment ?? age, age) }
            case .medicationStart:
                firstTreatment = min(firstTreatment ?? age, age)
            case .quantity:
                if let m = measureOf[e.concept] { values[m].append((age, e.value)) }
            default:
                break
            }
        }
        exit = max(exit, entry)
    }

    /// Years since onset (or diagnosis, when onset is not recorded) at `age`.
    func duration(at age: Double) -> Double? { (onset ?? diagnosis).map { age - $0 } }

    /// The least-squares slope per year of measure `m` before any treatment: at least 3 values
    /// over at least a year, else nil.
    func untreatedSlope(_ m: Int) -> (slope: Double, count: Int, span: Double)? {
        let before = firstTreatment ?? .infinity
        let points = values[m].filter { $0.age < before }
        guard points.count >= 3, let lo = points.first?.age, let hi = points.last?.age, hi - lo >= 1 else {
            return nil
        }
        guard let slope = Descriptive.leastSquaresSlope(x: points.map(\.age), y: points.map(\.value)) else {
            return nil
        }
        return (slope, points.count, hi - lo)
    }
}
