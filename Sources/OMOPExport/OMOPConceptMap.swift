import Timelines

/// A concept of the OMOP standardised vocabularies (a row of CONCEPT).
package struct OMOPConcept: Sendable, Hashable {
    package var id: Int32
    package var name: String
    package var domain: String
    package var vocabulary: String
    package var conceptClass: String
    /// Whether the concept is standard ("S"): the one analyses use.
    package var isStandard: Bool
    package var code: String

    package init(_ id: Int32, _ name: String, domain: String, vocabulary: String, conceptClass: String,
                standard: Bool, code: String) {
        self.id = id
        self.name = name
        self.domain = domain
        self.vocabulary = vocabulary
        self.conceptClass = conceptClass
        self.isStandard = standard
        self.code = code
    }
}

/// How a Zebra concept is written in OMOP: its standard concept, the source code kept beside it,
/// and that code's own concept.
package struct OMOPMapping: Sendable, Hashable {
    /// The standard concept (`*_concept_id`); nil writes 0, "No matching concept".
    package var standard: OMOPConcept?
    /// The concept of the source code (`*_source_concept_id`); nil writes 0.
    package var source: OMOPConcept?
    /// The code as the record holds it (`*_source_value`).
    package var sourceValue: String
}

/// The concepts Zebra's codes map to: the table docs/omop-export.md prints.
///
/// Only concept ids seen paired with their code in a published OHDSI source are listed (see
/// `OMOPConceptCatalogue`); a code without one is written with concept 0 and its source value,
/// as the CDM conventions ask, and is listed as unmapped in the documentation.
package enum OMOPConceptMap {
    package static let noMatchingConcept = OMOPConcept(
        0, "No matching concept", domain: "Metadata", vocabulary: "None", conceptClass: "Undefined",
        standard: false, code: "No matching concept")
    package static let male = concept(8507)
    package static let female = concept(8532)
    package static let outpatientVisit = concept(9202)
    /// Records come from a (synthetic) electronic health record: every `*_type_concept_id`.
    package static let ehr = concept(32817)
    package static let cdmVersion = concept(756265)

    /// The OMOP vocabulary of a code system URI.
    package static func vocabulary(ofSystem system: String) -> String? {
        switch system {
        case CodeSystems.snomed: "SNOMED"
        case CodeSystems.loinc: "LOINC"
        case CodeSystems.rxnorm: "RxNorm"
        case CodeSystems.icd10cm: "ICD10CM"
        default: nil
        }
    }

    /// The catalogued concept with this id (the fixed concepts above must be catalogued).
    static func concept(_ id: Int32) -> OMOPConcept {
        guard let concept = OMOPConceptCatalogue.byID[id] else { preconditionFailure("concept \(id) not catalogued") }
        return concept
    }

    /// The catalogued concept of a code in an OMOP vocabulary.
    package static func concept(vocabulary: String, code: String) -> OMOPConcept? {
        OMOPConceptCatalogue.byCode[vocabulary + "|" + code]
    }

    /// The unit concept of a UCUM code.
    package static func unit(_ ucum: String) -> OMOPConcept? { concept(vocabulary: "UCUM", code: ucum) }

    /// The codes a concept's kind prefers, best first: SNOMED for conditions and procedures,
    /// LOINC for measures, RxNorm for drugs.
    static func preferredVocabularies(_ kind: ConceptKind) -> [String] {
        switch kind {
        case .disease, .condition, .procedure: ["SNOMED", "ICD10CM"]
        case .measure, .attribute: ["LOINC", "SNOMED"]
        case .medication: ["RxNorm"]
        case .attributeValue: ["SNOMED", "LOINC"]
        }
    }

    /// The mapping of a Zebra concept: the first of its codes, in the preferred vocabularies'
    /// order, with a catalogued concept; else its first code as a source value and concept 0.
    package static func mapping(of concept: Concept) -> OMOPMapping {
        for vocabulary in preferredVocabularies(concept.kind) {
            for code in concept.codes where Self.vocabulary(ofSystem: code.system) == vocabulary {
                guard let found = Self.concept(vocabulary: vocabulary, code: code.code) else { continue }
                return OMOPMapping(standard: found.isStandard ? found : nil, source: found, sourceValue: code.code)
            }
        }
        // A local code with a catalogued standard equivalent (a drug named by ingredient).
        for code in concept.codes where code.system == CodeSystems.local {
            if let alias = OMOPConceptCatalogue.localAliases[code.code] {
                return OMOPMapping(standard: alias, source: nil, sourceValue: code.code)
            }
        }
        return OMOPMapping(standard: nil, source: nil, sourceValue: concept.codes.first?.code ?? concept.key)
    }
}
