import Timelines

/// The teaching material of one disease (`DiseaseModels/cases/<template id>.json`): the words a
/// case is written in. Every passage is chosen by what one patient's record shows, and its
/// `{placeholders}` are filled from that record, so a case never says what the record does not.
package struct CaseMaterial: Sendable {
    /// The template id the material belongs to.
    package var disease: String
    /// Complete citations of the teaching points, by key.
    package var sources: [String: String]
    /// How the disease is inherited, in words ("autosomal recessive").
    package var inheritance: String
    /// Family history passages (the first that holds is used).
    package var family: [Passage]
    /// Classic and atypical features; a case is atypical when any atypical feature holds.
    package var features: [CaseFeature]
    /// How patients first come to care (the first that holds is used).
    package var presentations: [Presentation]
    /// Examination findings (every passage that holds).
    package var examination: [Passage]
    /// The alternatives to weigh (every one that holds).
    package var differentials: [Differential]
    /// How the diagnosis is confirmed (every passage that holds).
    package var confirmation: [Passage]
    /// The plan at diagnosis (every passage that holds).
    package var plan: [Passage]
    /// What is decided when an event is recorded or a treatment starts, by event or treatment id.
    package var decisions: [String: Passage]
    /// Questions, in the order a case asks them (those that hold, at most six).
    package var questions: [Question]
    /// Departures from good care a reader may be asked to spot (the first that the record shows).
    package var errors: [ErrorRule]
}

/// A piece of text used when its condition holds.
package struct Passage: Sendable {
    package var when: CaseCondition
    package var text: String
    /// A key into `CaseMaterial.sources`, when the passage states a published fact.
    package var source: String?
}

/// A named feature of a course ("late-onset", "woman with Fabry disease").
package struct CaseFeature: Sendable {
    package var id: String
    package var label: String
    package var atypical: Bool
    package var when: CaseCondition
}

/// The first contact with care: who saw the patient and why.
package struct Presentation: Sendable {
    package var id: String
    package var when: CaseCondition
    /// The clinician first seen, as a phrase ("a paediatric neurologist").
    package var seenBy: String
    package var complaint: String
    package var history: String
}

/// An alternative diagnosis and the features of the case that argue for and against it.
package struct Differential: Sendable {
    package var diagnosis: String
    package var when: CaseCondition
    package var supporting: [String]
    package var against: [String]
}

/// A question with its answer and teaching point, asked when its condition holds.
package struct Question: Sendable {
    package var id: String
    package var when: CaseCondition
    package var question: String
    package var answer: String
    package var teachingPoint: String
    package var source: String?
}

/// A departure from good care that a record can show, and what to ask about it.
package struct ErrorRule: Sendable {
    package var id: String
    package var finding: Finding
    package var question: String
    package var answer: String
    package var teachingPoint: String
    package var source: String?
}

/// What a record must show for an error to be there.
package enum Finding: Sendable {
    /// Diagnosis at least this many years after the first symptoms.
    case delay(atLeastYears: Double)
    /// A measure beyond a threshold at visits spanning at least `years`, while a treatment that
    /// was already available (and allowed at the patient's age) was not under way, before the
    /// event `before` (when it is recorded), after which the finding means something else.
    case untreated(measure: String, above: Double?, below: Double?, years: Double, treatment: String,
                   before: String?)
    /// An event recorded after a treatment became available, before the patient had it.
    case eventBeforeAvailableTreatment(event: String, treatment: String)
}

/// A conjunction of simple tests on one record; an empty condition always holds.
package struct CaseCondition: Sendable {
    /// A range on a number: `atLeast ≤ x < below`.
    package struct Range: Sendable {
        package var atLeast: Double?
        package var below: Double?

        func contains(_ x: Double) -> Bool {
            (atLeast.map { x >= $0 } ?? true) && (below.map { x < $0 } ?? true)
        }
    }

    /// A test on a recorded attribute.
    package struct AttributeTest: Sendable {
        package var id: String
        package var equals: String?
        package var range: Range?
    }

    /// A test on a measure's value at presentation (the first visit on or after diagnosis).
    package struct ResultTest: Sendable {
        package var measure: String
        package var range: Range
        /// Whether the test holds when the measure was not recorded at presentation.
        package var orMissing: Bool
    }

    package var sex: Sex?
    package var attribute: AttributeTest?
    package var result: ResultTest?
    package var onsetAge: Range?
    package var diagnosisAge: Range?
    /// Years from first symptoms to diagnosis.
    package var delay: Range?
    /// An event recorded on or before the day of diagnosis.
    package var presentingWith: String?
    /// None of these events recorded on or before the day of diagnosis.
    package var notPresentingWith: [String] = []
    package var event: String?
    package var noEvent: String?
    package var treated: String?
    package var untreated: String?
    package var diagnosedFrom: CalendarDay?
    package var diagnosedBefore: CalendarDay?
    /// An attribute recorded within a year of diagnosis / later / never.
    package var recordedAtDiagnosis: String?
    package var recordedLater: String?
    package var notRecorded: String?
    /// A measure recorded at least twice.
    package var measured: String?
    package var died: Bool?

    package init() {}
}
