import DiseaseModeling
import RecordDisplay
import Timelines

/// Whether a case shows the disease as it usually looks or in one of its less common forms.
package enum CaseDifficulty: String, Sendable, CaseIterable {
    case typical
    case atypical
}

/// A teaching case written from one patient's record: presentation, work-up, diagnosis, years of
/// management, and questions whose answers are facts of that record.
package struct TeachingCase: Sendable {
    /// A dated test result as the case shows it.
    package struct Result: Sendable {
        package var name: String
        package var text: String
        package var unit: String
        /// "H" above the reference range, "L" below it.
        package var flag: String
        package var range: String
        package var day: CalendarDay

        /// "24.8", "0.04 g/g".
        package var withUnit: String { unit.isEmpty ? text : "\(text) \(unit)" }

        init(_ v: PatientView.ShownValue, day: CalendarDay) {
            self.init(name: v.name, text: v.text, unit: v.unit, flag: v.flag, range: v.range, day: day)
        }

        init(name: String, text: String, unit: String, flag: String, range: String, day: CalendarDay) {
            (self.name, self.text, self.unit, self.flag, self.range, self.day) = (name, text, unit, flag, range, day)
        }
    }

    /// One step of management: a visit some years after diagnosis, what happened since the last
    /// step, and what was decided.
    package struct Stage: Sendable {
        package var title: String
        package var day: CalendarDay
        package var results: [Result]
        package var happenings: [String]
        package var decisions: [String]
        package var treatments: [String]
    }

    /// An alternative diagnosis, with the features of this case for and against it.
    package struct Alternative: Sendable {
        package var diagnosis: String
        package var supporting: [String]
        package var against: [String]
    }

    /// A question, its answer and teaching point, and the facts of the record it rests on.
    package struct Item: Sendable {
        package var id: String
        package var question: String
        package var answer: String
        package var teachingPoint: String
        package var source: String?
        package var facts: [CaseFact]
    }

    package var number: Int
    package var patientID: String
    package var disease: String
    package var title: String
    package var difficulty: CaseDifficulty
    /// The features of the course that hold (classic and atypical), as (id, label).
    package var features: [(id: String, label: String, atypical: Bool)]
    package var presentationID: String
    package var presentation: String
    package var history: [String]
    package var family: String
    package var examination: [String]
    package var investigations: [Result]
    /// Tests of the template that did not exist yet at presentation, in words.
    package var notYetAvailable: [String]
    package var differentials: [Alternative]
    package var diagnosis: [String]
    package var stages: [Stage]
    package var outcome: String
    package var questions: [Item]
    package var errorToSpot: Item?
    /// Citations of the teaching points used, as (key, citation).
    package var sources: [(key: String, citation: String)]
    /// Every fact of the record the case states, once per key.
    package var facts: [CaseFact]
}
