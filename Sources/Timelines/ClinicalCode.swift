/// A code in a code system: the unit of meaning every clinical record here carries.
package struct ClinicalCode: Hashable, Sendable, Codable {
    /// The code system's URI (e.g. `http://loinc.org`).
    package var system: String
    package var code: String
    package var display: String?

    package init(system: String, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }
}

/// The code systems Zebra knows by short name (as in ../shared/reference/codebook.json).
package enum CodeSystems {
    package static let snomed = "http://snomed.info/sct"
    package static let loinc = "http://loinc.org"
    package static let icd10cm = "http://hl7.org/fhir/sid/icd-10-cm"
    package static let orpha = "http://www.orpha.net"
    package static let rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"
    package static let ucum = "http://unitsofmeasure.org"
    /// The project-local system for concepts without a verified standard code.
    package static let local = "urn:zebra:code"

    /// Short names accepted in templates, mapped to URIs.
    package static let byShortName: [String: String] = [
        "snomed": snomed, "loinc": loinc, "icd10cm": icd10cm, "orpha": orpha,
        "rxnorm": rxnorm, "ucum": ucum, "local": local,
    ]

    /// The URI for a short name, or the text itself when it already is a URI.
    package static func uri(for name: String) -> String? {
        if let uri = byShortName[name] { return uri }
        if name.hasPrefix("http://") || name.hasPrefix("https://") || name.hasPrefix("urn:") { return name }
        return nil
    }
}

/// What kind of record a concept becomes.
package enum ConceptKind: String, Sendable, Codable {
    case disease
    case measure
    case attribute
    case attributeValue
    case condition
    case procedure
    case medication
}

/// A clinical concept: one or more codings for the same meaning, with its text and, for
/// quantities, its UCUM unit and the decimals it is reported with.
package struct Concept: Sendable, Hashable {
    package var key: String
    package var kind: ConceptKind
    package var text: String
    package var codes: [ClinicalCode]
    package var unit: String?
    package var decimals: Int
    /// FHIR observation category code (`laboratory`, `exam`, `imaging`, `survey`), when relevant.
    package var category: String?

    package init(key: String, kind: ConceptKind, text: String, codes: [ClinicalCode],
                unit: String? = nil, decimals: Int = 0, category: String? = nil) {
        self.key = key
        self.kind = kind
        self.text = text
        self.codes = codes
        self.unit = unit
        self.decimals = decimals
        self.category = category
    }
}

/// The concepts of one disease, indexed so that events refer to them by number.
package struct ConceptTable: Sendable {
    package private(set) var concepts: [Concept] = []
    private var indexByKey: [String: Int32] = [:]

    package init() {}

    /// Adds a concept (or returns the index of one with the same key).
    @discardableResult
    package mutating func add(_ concept: Concept) -> Int32 {
        if let existing = indexByKey[concept.key] { return existing }
        let index = Int32(concepts.count)
        concepts.append(concept)
        indexByKey[concept.key] = index
        return index
    }

    package func index(of key: String) -> Int32? { indexByKey[key] }

    package subscript(index: Int32) -> Concept { concepts[Int(index)] }

    package var count: Int { concepts.count }
}
