import DiseaseModeling
import Foundation
import Serialization
import Simulation
import Testing
import Timelines
import ZebraTestSupport
@testable import OMOPExport

/// Splits CSV text into rows of fields (RFC 4180 quoting), the way PostgreSQL's COPY reads it.
func csvRows(_ bytes: [UInt8]) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
    var i = 0
    let text = Array(String(decoding: bytes, as: UTF8.self))
    while i < text.count {
        let c = text[i]
        if quoted {
            if c == "\"" && i + 1 < text.count && text[i + 1] == "\"" { field.append("\""); i += 1 }
            else if c == "\"" { quoted = false } else { field.append(c) }
        } else if c == "\"" { quoted = true }
        else if c == "," { row.append(field); field = "" }
        else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
        else { field.append(c) }
        i += 1
    }
    return rows
}

/// A small cohort written as OMOP tables, by table.
struct WrittenCohort {
    var tables: [OMOPTable: [[String]]] = [:]
    var bytes: [String: [UInt8]] = [:]
    var timelines: [PatientTimeline] = []

    init(disease: String, patients: Int, seed: UInt64, threads: Int) throws {
        let template = try TestSupport.shippedTemplate(disease)
        let simulator = CohortSimulator(template: template, options: SimulationOptions(seed: seed))
        let root = try TestSupport.temporaryDirectory("omop")
        let directory = try StagedDirectory(path: root + "/out", replaceExisting: false)
        let export = OMOPExport(writer: OMOPRowWriter(concepts: simulator.concepts, template: template),
                                threads: threads)
        _ = try export.write(count: patients, into: directory, generate: { simulator.patient($0).timeline })
        for table in OMOPTable.recordTables {
            let data = try readFileBytes(directory.path(of: table.fileName))
            bytes[table.fileName] = data
            tables[table] = csvRows(data)
        }
        timelines = simulator.patients(0..<patients, threads: 1).map(\.timeline)
        directory.discard()
    }
}

@Suite struct OMOPExportTests {
    /// The columns Zebra writes are the published DDL's, in its order (deploy/omop/cdm-tables.sql).
    @Test func columnsAreTheCDMDefinitions() throws {
        let ddl = try String(contentsOfFile: TestSupport.repositoryRoot + "/deploy/omop/cdm-tables.sql",
                             encoding: .utf8)
        for table in OMOPTable.allCases {
            let start = try #require(ddl.range(of: "CREATE TABLE cdm.\(table.name) (\n"), "\(table.name) not in DDL")
            let body = ddl[start.upperBound...].prefix { $0 != ";" }
            let columns = body.split(separator: "\n").compactMap { line in
                line.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init)
            }.filter { $0 != ")" }
            #expect(columns == table.columns, "\(table.name)")
        }
    }

    @Test(arguments: TestSupport.shippedDiseases)
    func everyRowFitsItsTableAndIdsCountFromOne(disease: String) throws {
        let cohort = try WrittenCohort(disease: disease, patients: 60, seed: 4, threads: 2)
        let persons = try #require(cohort.tables[.person])
        try #require(persons.count == 61)
        for (table, rows) in cohort.tables {
            try #require(!rows.isEmpty)
            #expect(rows[0] == table.columns)
            for row in rows.dropFirst() { #expect(row.count == table.columns.count, "\(table.name): \(row)") }
            if table.hasRowID {
                #expect(rows.dropFirst().map { Int($0[0]) } == Array(1..<rows.count).map { $0 }, "\(table.name)")
            }
        }
        #expect(persons.dropFirst().map { $0[0] } == (1...60).map(String.init))
        let deaths = try #require(cohort.tables[.death]).count - 1
        #expect(deaths == cohort.timelines.filter { $0.death != nil }.count)
    }

    /// Rows refer to visits of their own patient, lie inside the observation period, and a drug
    /// exposure never ends before it starts.
    @Test(arguments: [UInt64(1), 2])
    func rowsAgreeWithTheirPersonVisitsAndPeriods(seed: UInt64) throws {
        let cohort = try WrittenCohort(disease: "fabry", patients: 40, seed: seed, threads: 2)
        let visits = try #require(cohort.tables[.visitOccurrence]).dropFirst()
        try #require(visits.count > 100)
        let visitPerson = Dictionary(uniqueKeysWithValues: visits.map { ($0[0], $0[1]) })
        let periods = Dictionary(uniqueKeysWithValues: try #require(cohort.tables[.observationPeriod]).dropFirst()
            .map { ($0[1], ($0[2], $0[3])) })
        try #require(periods.count == 40)
        for table in [OMOPTable.measurement, .observation, .conditionOccurrence, .drugExposure] {
            let rows = try #require(cohort.tables[table]).dropFirst()
            try #require(!rows.isEmpty)
            let dateColumn = 3
            for row in rows {
                let person = row[1]
                let period = try #require(periods[person])
                #expect(row[dateColumn] >= period.0 && row[dateColumn] <= period.1, "\(table.name) \(row)")
                for column in table.visitReferenceColumns where !row[column].isEmpty {
                    #expect(visitPerson[row[column]] == person, "\(table.name) refers to another patient's visit")
                }
            }
        }
        for row in try #require(cohort.tables[.drugExposure]).dropFirst() { #expect(row[5] >= row[3]) }
    }

    @Test func theFilesAreTheSameWhateverTheThreadCount() throws {
        let one = try WrittenCohort(disease: "gaucher", patients: 150, seed: 9, threads: 1)
        let three = try WrittenCohort(disease: "gaucher", patients: 150, seed: 9, threads: 3)
        try #require(one.bytes.count == OMOPTable.recordTables.count)
        for (name, bytes) in one.bytes { #expect(three.bytes[name] == bytes, "\(name)") }
    }

    @Test func codesMapToCataloguedStandardConceptsOrToZeroWithTheirSource() throws {
        let template = try TestSupport.shippedTemplate("fabry")
        let concepts = TemplateConcepts(template)
        let writer = OMOPRowWriter(concepts: concepts, template: template)
        let disease = writer.targets[Int(concepts.condition)]
        #expect(disease.conceptID == 0 && disease.sourceValue == "16652001" && disease.table == .conditionOccurrence)
        let egfr = try #require(template.measures.firstIndex { $0.id == "egfr" })
        let target = writer.targets[Int(concepts.measures[egfr])]
        #expect(target.unitConceptID == 720870 && target.unitSource == "mL/min/{1.73_m2}")
        #expect(target.table == .measurement && target.sourceValue == "98979-8")
        let ert = writer.targets[Int(concepts.treatments[0])]
        #expect(ert.conceptID == 1525746 && ert.sourceValue == "agalsidase-beta" && ert.sourceConceptID == 0)
        let esrd = try #require(template.events.firstIndex { $0.concept.codes.contains { $0.code == "46177005" } })
        #expect(writer.targets[Int(concepts.events[esrd])].conceptID == 193782)
    }

    /// The vocabulary subset holds every concept a row refers to, and every concept its own rows
    /// (domain, vocabulary, class) refer to: the foreign keys close.
    @Test func theVocabularySubsetIsClosedUnderItsForeignKeys() throws {
        let template = try TestSupport.shippedTemplate("gaucher")
        let writer = OMOPRowWriter(concepts: TemplateConcepts(template), template: template)
        let concepts = OMOPVocabularyFiles.referencedConcepts(writer)
        let ids = Set(concepts.map(\.id))
        try #require(ids.count == concepts.count && ids.contains(0) && ids.contains(8507))
        for t in writer.targets { #expect(ids.contains(t.conceptID) && ids.contains(t.sourceConceptID)) }
        let tables = OMOPVocabularyFiles.tables(for: concepts)
        try #require(tables.count == 4)
        for (name, column) in [("vocabulary.csv", 4), ("domain.csv", 2), ("concept_class.csv", 2)] {
            let rows = csvRows(try #require(tables.first { $0.name == name }).bytes).dropFirst()
            try #require(!rows.isEmpty)
            for row in rows { #expect(ids.contains(Int32(row[column])!), "\(name) \(row)") }
        }
        let used = csvRows(tables[0].bytes).dropFirst()
        let vocabularies = Set(csvRows(tables[1].bytes).dropFirst().map { $0[0] })
        for row in used { #expect(vocabularies.contains(row[3]), "\(row[3]) has no vocabulary row") }
    }

    @Test func aMergeShiftsIdsAndVisitReferencesButNotQuotedText() throws {
        var merge = OMOPShardMerge()
        let header = String(decoding: OMOPTable.observation.header, as: UTF8.self)
        let visits = String(decoding: OMOPTable.visitOccurrence.header, as: UTF8.self)
            + "1,1,9202,2020-01-01,,2020-01-01,,32817,,,AMB,,,,,,\n2,1,9202,2021-01-01,,2021-01-01,,32817,,,AMB,,,,,,1\n"
        _ = try merge.append(Array(visits.utf8), table: .visitOccurrence, first: true)
        _ = try merge.append(Array((header + "1,1,0,2020-01-01,,32817,,x,0,,,,1,,a,0,,,a,,\n").utf8),
                             table: .observation, first: true)
        merge.finishShard()
        let second = header + "1,5,0,2022-01-01,,32817,,\"N370S, other\",0,,,,1,,g,0,,,g,,\n"
        let out = String(decoding: try merge.append(Array(second.utf8), table: .observation, first: false),
                         as: UTF8.self)
        #expect(out == "2,5,0,2022-01-01,,32817,,\"N370S, other\",0,,,,3,,g,0,,,g,,\n")
        #expect(throws: OutputError.self) {
            try merge.append(Array("id,x\n1,2\n".utf8), table: .observation, first: false)
        }
    }
}

@Suite struct OMOPDocumentationTests {
    /// docs/omop-export.md prints the concept map: every catalogued clinical concept is in its table.
    @Test func theDocumentedMapListsEveryCataloguedConcept() throws {
        let doc = try String(contentsOfFile: TestSupport.repositoryRoot + "/docs/omop-export.md", encoding: .utf8)
        try #require(OMOPConceptCatalogue.clinical.count >= 10)
        for concept in OMOPConceptCatalogue.clinical + OMOPConceptCatalogue.fixed {
            #expect(doc.contains(String(concept.id)), "\(concept.id) \(concept.name) is not in docs/omop-export.md")
        }
    }
}
