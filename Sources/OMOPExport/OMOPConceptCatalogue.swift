/// The OMOP concepts Zebra knows, each seen paired with its code in a published OHDSI source.
///
/// Sources (ids and attributes as they show them):
/// - [S27] OHDSI/EunomiaDatasets, datasets/Synthea27Nj/Synthea27Nj_5.4.zip, CONCEPT.csv and
///   CDM_SOURCE.csv (vocabulary v5.0 09-APR-22).
/// - [PL] OHDSI/PhenotypeLibrary, inst/cohorts/*.json concept sets (771, 1194, 1030, 300).
/// - [RTC] OHDSI/Vocabulary-v5.0, DPD/manual_work/prev_RTC.txt (RxNorm ingredients).
/// - [ETL] OHDSI/ETL-Synthea, vignettes/death.Rmd ("32817 (EHR)").
/// - [ATH] OHDSI/Athena, src/test/resources/testdata/db/migration/v5 (domain, vocabulary and
///   concept-class concept ids).
/// - [ZS] zietzm/phenotype_standardization, omop_phenotypes/proteinuria/README.md (Athena link).
///
/// Not found in any source, so written as concept 0 with the source code kept: SNOMED 16652001
/// (Fabry), 190794006 (Gaucher), 10394003 (Friedreich ataxia), 55827005 (LVH), 105503008
/// (wheelchair dependence), 234319005 (splenectomy); LOINC 98979-8 (eGFR CKD-EPI 2021), 90234-6
/// (lyso-Gb3); ICD10CM E75.21, E75.22, G11.11; omaveloxolone; the units g/m2.7, {repeats}, {MN}.
package enum OMOPConceptCatalogue {
    /// The `vocabulary_version` an export's cdm_source names: this catalogue, not an Athena release.
    package static let version = "zebra-map 2026-12"

    static let concepts: [OMOPConcept] = clinical + fixed + metadata

    static let clinical: [OMOPConcept] = [
        // Conditions [S27, PL].
        .init(193782, "End-stage renal disease", domain: "Condition", vocabulary: "SNOMED",
              conceptClass: "Clinical Finding", standard: true, code: "46177005"),
        .init(381316, "Cerebrovascular accident", domain: "Condition", vocabulary: "SNOMED",
              conceptClass: "Clinical Finding", standard: true, code: "230690007"),
        .init(321319, "Cardiomyopathy", domain: "Condition", vocabulary: "SNOMED",
              conceptClass: "Clinical Finding", standard: true, code: "85898001"),
        .init(201820, "Diabetes mellitus", domain: "Condition", vocabulary: "SNOMED",
              conceptClass: "Clinical Finding", standard: true, code: "73211009"),
        // Measurements [S27, ZS].
        .init(3000963, "Hemoglobin [Mass/volume] in Blood", domain: "Measurement", vocabulary: "LOINC",
              conceptClass: "Lab Test", standard: true, code: "718-7"),
        .init(3024929, "Platelets [#/volume] in Blood by Automated count", domain: "Measurement",
              vocabulary: "LOINC", conceptClass: "Lab Test", standard: true, code: "777-3"),
        .init(3001582, "Protein/Creatinine [Mass Ratio] in Urine", domain: "Measurement", vocabulary: "LOINC",
              conceptClass: "Lab Test", standard: true, code: "2890-2"),
        // Units [S27]; 720870 and 44777566 stand for Zebra's spellings of the same units (see unitAliases).
        .init(8842, "nanogram per milliliter", domain: "Unit", vocabulary: "UCUM", conceptClass: "Unit",
              standard: true, code: "ng/mL"),
        .init(9510, "gram per gram", domain: "Unit", vocabulary: "UCUM", conceptClass: "Unit", standard: true,
              code: "g/g"),
        .init(8713, "gram per deciliter", domain: "Unit", vocabulary: "UCUM", conceptClass: "Unit", standard: true,
              code: "g/dL"),
        .init(9444, "billion per liter", domain: "Unit", vocabulary: "UCUM", conceptClass: "Unit", standard: true,
              code: "10*9/L"),
        .init(44777631, "nanomole per hour and milliliter", domain: "Unit", vocabulary: "UCUM", conceptClass: "Unit",
              standard: true, code: "nmol/h/mL"),
        .init(720870, "milliliter per minute per 1.73 square meter", domain: "Unit", vocabulary: "UCUM",
              conceptClass: "Unit", standard: true, code: "mL/min/(173.10*-2.m2)"),
        .init(44777566, "score", domain: "Unit", vocabulary: "UCUM", conceptClass: "Unit", standard: true,
              code: "[score]"),
        // Drug ingredients [RTC].
        .init(1525746, "agalsidase beta", domain: "Drug", vocabulary: "RxNorm", conceptClass: "Ingredient",
              standard: true, code: "338817"),
        .init(1348407, "imiglucerase", domain: "Drug", vocabulary: "RxNorm", conceptClass: "Ingredient",
              standard: true, code: "84959"),
    ]

    /// Gender [PL], visit [S27], record type [ETL], CDM version [S27 CDM_SOURCE: cdm_version_concept_id].
    static let fixed: [OMOPConcept] = [
        .init(8507, "MALE", domain: "Gender", vocabulary: "Gender", conceptClass: "Gender", standard: true, code: "M"),
        .init(8532, "FEMALE", domain: "Gender", vocabulary: "Gender", conceptClass: "Gender", standard: true,
              code: "F"),
        .init(9202, "Outpatient Visit", domain: "Visit", vocabulary: "Visit", conceptClass: "Visit", standard: true,
              code: "OP"),
        .init(32817, "EHR", domain: "Type Concept", vocabulary: "Type Concept", conceptClass: "Type Concept",
              standard: true, code: "OMOP generated"),
        .init(756265, "OMOP CDM Version 5.4", domain: "Metadata", vocabulary: "CDM", conceptClass: "CDM",
              standard: false, code: "CDM v5.4"),
    ]

    /// The concepts of domains, vocabularies and concept classes [ATH]: the rows the vocabulary
    /// tables' own foreign keys point at.
    static let metadata: [OMOPConcept] =
        domains.map { .init($0.value, $0.key, domain: "Metadata", vocabulary: "Domain", conceptClass: "Domain",
                            standard: false, code: "OMOP generated") }
        + vocabularies.filter { $0.value.conceptID != 0 }.map {
            .init($0.value.conceptID, $0.value.name, domain: "Metadata", vocabulary: "Vocabulary",
                  conceptClass: "Vocabulary", standard: false, code: "OMOP generated")
        }
        + classes.map { .init($0.value, $0.key, domain: "Metadata", vocabulary: "Concept Class",
                              conceptClass: "Concept Class", standard: false, code: "OMOP generated") }

    /// domain_id → domain_concept_id [ATH].
    package static let domains: [String: Int32] = [
        "Condition": 19, "Measurement": 21, "Drug": 13, "Procedure": 10, "Observation": 27, "Visit": 8, "Gender": 2,
        "Unit": 16, "Type Concept": 58, "Metadata": 7,
    ]

    /// vocabulary_id → name and vocabulary_concept_id [ATH]; 0 where no source gave the id.
    package static let vocabularies: [String: (name: String, conceptID: Int32)] = [
        "SNOMED": ("Systematic Nomenclature of Medicine - Clinical Terms (IHTSDO)", 44819097),
        "LOINC": ("Logical Observation Identifiers Names and Codes (Regenstrief Institute)", 44819102),
        "RxNorm": ("RxNorm (NLM)", 44819104),
        "UCUM": ("Unified Code for Units of Measure (Regenstrief Institute)", 44819107),
        "ICD10CM": ("International Classification of Diseases, Tenth Revision, Clinical Modification (NCHS)",
                    44819098),
        "Gender": ("OMOP Gender", 44819108), "Visit": ("OMOP Visit", 44819119),
        "Domain": ("OMOP Domain", 44819147), "Concept Class": ("OMOP Concept Class", 44819233),
        "Vocabulary": ("OMOP Vocabulary", 44819232), "None": ("OMOP Standardized Vocabularies", 44819096),
        "Type Concept": ("OMOP Type Concept", 0), "CDM": ("OMOP Common DataModel", 0),
    ]

    /// concept_class_id → concept_class_concept_id [ATH].
    package static let classes: [String: Int32] = [
        "Clinical Finding": 44818997, "Procedure": 44819080, "Lab Test": 45754678, "Ingredient": 44818981,
        "Unit": 44819072, "Gender": 44819086, "Visit": 44819023, "Type Concept": 581453, "Domain": 44819025,
        "Vocabulary": 44819279, "Concept Class": 44819247,
    ]

    /// Zebra's local drug codes whose RxNorm ingredient is catalogued.
    static let localAliases: [String: OMOPConcept] = [
        "agalsidase-beta": byCode["RxNorm|338817"]!, "imiglucerase": byCode["RxNorm|84959"]!,
    ]

    /// UCUM spellings Zebra's templates use for a catalogued unit written another way.
    static let unitAliases: [String: String] = ["mL/min/{1.73_m2}": "mL/min/(173.10*-2.m2)", "{score}": "[score]"]

    static let byID: [Int32: OMOPConcept] = Dictionary(concepts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    static let byCode: [String: OMOPConcept] = {
        var table = Dictionary(clinical.map { ($0.vocabulary + "|" + $0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for (alias, code) in unitAliases { table["UCUM|" + alias] = table["UCUM|" + code] }
        return table
    }()
}
