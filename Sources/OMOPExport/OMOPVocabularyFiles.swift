import Serialization
import Timelines

/// The metadata tables of an export: `cdm_source.csv`, and under `vocabulary/` the rows of
/// CONCEPT, VOCABULARY, DOMAIN and CONCEPT_CLASS that the export's concept ids refer to.
///
/// The vocabulary files let the export load into an empty CDM with every foreign key on, without
/// the licensed Athena download. A database that already holds the OHDSI vocabularies skips them.
package enum OMOPVocabularyFiles {
    /// The folder (inside the export) holding the vocabulary subset.
    package static let folder = "vocabulary"

    /// What `cdm_source` says about the export.
    package struct Source: Sendable {
        package var name: String
        package var abbreviation: String
        package var description: String
        /// The day the records end: the source and CDM release date (not the wall clock, so the
        /// same run writes the same bytes).
        package var releaseDay: CalendarDay

        package init(name: String, abbreviation: String, description: String, releaseDay: CalendarDay) {
            self.name = name
            self.abbreviation = abbreviation
            self.description = description
            self.releaseDay = releaseDay
        }
    }

    /// The one `cdm_source` row, with its header.
    package static func cdmSource(_ source: Source) -> [UInt8] {
        var out = ByteWriter(capacity: 512)
        out.rawString("cdm_source_name,cdm_source_abbreviation,cdm_holder,source_description,"
            + "source_documentation_reference,cdm_etl_reference,source_release_date,cdm_release_date,cdm_version,"
            + "cdm_version_concept_id,vocabulary_version\n")
        var line = CSVLine(capacity: 512)
        line.text(source.name, width: 255); line.text(source.abbreviation, width: 25)
        line.text("Zebra (synthetic data, not real patients)", width: 255); line.text(source.description, width: 4000)
        line.text("docs/omop-export.md", width: 255); line.text("zebra simulate --format omop", width: 255)
        line.date(source.releaseDay); line.date(source.releaseDay); line.text("v5.4", width: 10)
        line.concept(OMOPConceptMap.cdmVersion.id); line.text(OMOPConceptCatalogue.version, width: 20)
        line.finish(into: &out)
        return out.bytes
    }

    /// The concepts a writer's rows refer to, with the metadata concepts their vocabulary,
    /// domain and class rows refer to in turn (closed under those references), by id.
    package static func referencedConcepts(_ writer: OMOPRowWriter) -> [OMOPConcept] {
        var ids: Set<Int32> = [0, OMOPConceptMap.male.id, OMOPConceptMap.female.id, OMOPConceptMap.outpatientVisit.id,
                               OMOPConceptMap.ehr.id, OMOPConceptMap.cdmVersion.id]
        for t in writer.targets {
            ids.insert(t.conceptID)
            ids.insert(t.sourceConceptID)
            if let unit = t.unitConceptID { ids.insert(unit) }
        }
        var concepts = ids.map(concept)
        while true {
            let meta = metadataConceptIDs(of: concepts).subtracting(concepts.map(\.id))
            if meta.isEmpty { break }
            concepts += meta.map(concept)
        }
        return concepts.sorted { $0.id < $1.id }
    }

    private static func concept(_ id: Int32) -> OMOPConcept {
        id == 0 ? OMOPConceptMap.noMatchingConcept : OMOPConceptMap.concept(id)
    }

    private static func metadataConceptIDs(of concepts: [OMOPConcept]) -> Set<Int32> {
        var ids: Set<Int32> = []
        for c in concepts {
            ids.insert(OMOPConceptCatalogue.domains[c.domain] ?? 0)
            ids.insert(OMOPConceptCatalogue.vocabularies[c.vocabulary]?.conceptID ?? 0)
            ids.insert(OMOPConceptCatalogue.classes[c.conceptClass] ?? 0)
        }
        return ids
    }

    /// The four vocabulary tables (file name and bytes, with headers) for `concepts`.
    package static func tables(for concepts: [OMOPConcept]) -> [(name: String, bytes: [UInt8])] {
        var concept = ByteWriter(capacity: 4096)
        concept.rawString("concept_id,concept_name,domain_id,vocabulary_id,concept_class_id,standard_concept,"
            + "concept_code,valid_start_date,valid_end_date,invalid_reason\n")
        let start = CalendarDay(year: 1970, month: 1, day: 1), end = CalendarDay(year: 2099, month: 12, day: 31)
        for c in concepts {
            var line = CSVLine()
            line.concept(c.id); line.text(c.name, width: 255); line.text(c.domain, width: 20)
            line.text(c.vocabulary, width: 20); line.text(c.conceptClass, width: 20); line.text(c.isStandard ? "S" : nil)
            line.text(c.code); line.date(start); line.date(end); line.null()
            line.finish(into: &concept)
        }
        var vocabulary = ByteWriter(capacity: 1024)
        vocabulary.rawString("vocabulary_id,vocabulary_name,vocabulary_reference,vocabulary_version,"
            + "vocabulary_concept_id\n")
        for id in Set(concepts.map(\.vocabulary)).sorted() {
            let v = OMOPConceptCatalogue.vocabularies[id]
            var line = CSVLine()
            line.text(id, width: 20); line.text(v?.name ?? id, width: 255); line.null(2); line.concept(v?.conceptID ?? 0)
            line.finish(into: &vocabulary)
        }
        var domain = ByteWriter(capacity: 512)
        domain.rawString("domain_id,domain_name,domain_concept_id\n")
        for id in Set(concepts.map(\.domain)).sorted() {
            var line = CSVLine()
            line.text(id, width: 20); line.text(id, width: 255); line.concept(OMOPConceptCatalogue.domains[id] ?? 0)
            line.finish(into: &domain)
        }
        var classes = ByteWriter(capacity: 512)
        classes.rawString("concept_class_id,concept_class_name,concept_class_concept_id\n")
        for id in Set(concepts.map(\.conceptClass)).sorted() {
            var line = CSVLine()
            line.text(id, width: 20); line.text(id, width: 255); line.concept(OMOPConceptCatalogue.classes[id] ?? 0)
            line.finish(into: &classes)
        }
        return [("concept.csv", concept.bytes), ("vocabulary.csv", vocabulary.bytes), ("domain.csv", domain.bytes),
                ("concept_class.csv", classes.bytes)]
    }
}
