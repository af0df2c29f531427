import Serialization

extension TeachingCase {
    /// The catalogue entry of `cases.json`: what the case shows and the facts it states.
    package func catalogueEntry(files: [String: String]) -> ReportJSON {
        .object([
            ("case", .integer(number)),
            ("patient", .string(patientID)),
            ("title", .string(title)),
            ("difficulty", .string(difficulty.rawValue)),
            ("presentation", .string(presentationID)),
            ("features", .array(features.map { f in
                .object([("id", .string(f.id)), ("label", .string(f.label)), ("atypical", .bool(f.atypical))])
            })),
            ("questions", .array(questions.map { .string($0.id) })),
            ("errorToSpot", .nullable(errorToSpot?.id)),
            ("files", .object(files.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("facts", .array(facts.map { f in
                .object([("key", .string(f.key)), ("text", .string(f.text)), ("value", .finite(f.value)),
                         ("day", .nullable(f.day?.iso))])
            })),
        ])
    }
}
