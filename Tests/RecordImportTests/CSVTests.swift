import DiseaseModeling
import Foundation
@testable import RecordImport
import Testing
import Timelines
import ZebraTestSupport

@Suite struct CSVTests {
    /// The example in docs/seed-records.md, so the documentation cannot drift from the reader.
    static func documentedExample() throws -> String {
        let doc = try String(contentsOfFile: "\(TestSupport.repositoryRoot)/docs/seed-records.md", encoding: .utf8)
        let start = try #require(doc.range(of: "```csv\n"))
        let end = try #require(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
        return String(doc[start.upperBound..<end.lowerBound])
    }

    @Test func documentedExampleReads() throws {
        let folder = try TestSupport.temporaryDirectory("record-import-csv-doc")
        try write(try Self.documentedExample(), to: "\(folder)/records.csv")
        let template = try TestSupport.shippedTemplate("gaucher")
        let records = try SeedRecordImporter(template: template, strict: true).read(path: folder)
        #expect(records.timelines.map(\.id) == ["G-001", "G-002"])
        #expect(records.report.recordsRead
            == ["Observation": 8, "Condition": 5, "Procedure": 1, "MedicationStatement": 1])
        #expect(records.report.notes["quantities converted to the template's unit"] == 1)
        let c = records.concepts
        let day = { (text: String) in CalendarDay(iso: text)! }
        let hb = c.measures[template.measureIndex("hemoglobin")!]
        let platelets = c.measures[template.measureIndex("platelets")!]

        let g1 = records.timelines[0]
        #expect(g1.sex == .female && g1.birth == day("1984-03-12") && g1.death == nil)
        #expect(g1.events.first == TimelineEvent(day: day("2009-05-02"), kind: .condition, concept: c.condition,
                                                 related: day("2010-01-20").daysSinceEpoch))
        #expect(g1.events.filter { $0.concept == hb }.map(\.value) == [11.2, 12.4])
        #expect(g1.events.filter { $0.concept == platelets }.map(\.value) == [88, 142])
        #expect(g1.events.filter { $0.kind == .encounter }.map(\.day) == [day("2010-01-20"), day("2011-01-18")])
        #expect(g1.events.filter { $0.kind == .quantity }.map(\.ordinal) == [0, 0, 0, 1, 1])
        #expect(g1.events.contains(TimelineEvent(day: day("2010-06-01"), kind: .medicationStart,
                                                 concept: c.treatments[0])))
        #expect(g1.attributes == [AttributeValue(name: "genotype", value: .category("N370S/N370S"))])
        #expect(g1.followUpEnd == day("2011-01-18"))

        let g2 = records.timelines[1]
        #expect(g2.sex == .male && g2.death == day("2019-08-14") && g2.followUpEnd == day("2019-08-14"))
        #expect(g2.events.first == TimelineEvent(day: day("1999-07-01"), kind: .condition, concept: c.condition,
                                                 related: day("2001-02-11").daysSinceEpoch))
        #expect(g2.events.contains(TimelineEvent(day: day("2004-09-30"), kind: .procedure,
                                                 concept: c.events[template.eventIndex("splenectomy")!])))
        #expect(g2.events.contains(TimelineEvent(day: day("2012-03-03"), kind: .condition,
                                                 concept: c.events[template.eventIndex("bone-crisis")!])))
        #expect(g2.attributes == [AttributeValue(name: "genotype", value: .category("N370S/L444P"))])
    }

    @Test func quotedFieldsFollowRFC4180() {
        let text = "a,\"b, c\",\"say \"\"hi\"\"\",\r\n\"two\nlines\",x,,\"\"\r\n\n3,\"\",\"q\",z"
        let rows = CSVParser.parse(Array(text.utf8))
        #expect(rows.map(\.fields)
            == [["a", "b, c", "say \"hi\"", ""], ["two\nlines", "x", "", ""], ["3", "", "q", "z"]])
        #expect(rows.map(\.line) == [1, 2, 5])
        #expect(rows.allSatisfy { $0.error == nil })
    }

    @Test func malformedQuotingIsReportedPerRow() {
        let rows = CSVParser.parse(Array("a,b\"c\n\"x\"y,z\nok,1\n\"open,2".utf8))
        #expect(rows.map(\.line) == [1, 2, 3, 4])
        #expect(rows[0].error == "a quote inside unquoted field 2")
        #expect(rows[1].error == "text after the closing quote of field 1" && rows[1].fields == ["x", "z"])
        #expect(rows[2].error == nil)
        #expect(rows[3].error == "unterminated quoted field 1")
    }

    @Test func badRowsAreReportedWithTheirLines() throws {
        let csv = """
        patient_id,sex,birth_date,death_date,date,kind,system,code,value,unit
        A,male,1970-01-01,,2000-01-01,observation,loinc,718-7,13.1,g/dL
        A,,,,2000-01-01,observation,loinc,718-7,13.1
        A,,,,2023-02-30,observation,loinc,718-7,13.1,g/dL
        A,,,,2000-01-01,observation,local,no-such-code,1,
        A,,,,2000-01-01,lab,loinc,718-7,13.1,g/dL
        A,,,,2000-01-01,observation,icd99,718-7,13.1,g/dL
        A,,,,2000-01-01,observation,loinc,718-7,"13,1",g/dL
        B,female,,,2000-01-01,observation,loinc,718-7,12,g/dL
        C,female,1980-01-01,,2000-01-01,observation,loinc,718-7,12,g/dL
        C,female,1981-01-01,,2001-01-01,observation,loinc,718-7,12,g/dL
        A,,,,1969-12-31,observation,loinc,718-7,12,g/dL
        ,,,,2000-01-01,observation,loinc,718-7,12,g/dL
        A,,,,2000-01-01,observation,loinc,718-7,,g/dL
        """
        let folder = try TestSupport.temporaryDirectory("record-import-csv-bad")
        try write(csv, to: "\(folder)/bad.csv")
        let records = try SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher")).read(path: folder)
        let report = records.report
        var lineOf: [String: Int] = [:]
        for p in report.problems { lineOf[p.reason] = p.line }
        #expect(lineOf == [
            "malformed row": 6, "invalid date": 4, "unknown code": 7, "wrong value type": 8, "no birth date": 9,
            "conflicting patient details": 10, "observation before birth": 12, "missing subject": 13,
            "observation without value": 14,
        ])
        let rowProblems = report.problems.filter { $0.reason == "malformed row" }
        #expect(rowProblems.map(\.line) == [3, 6])
        #expect(rowProblems[0].message == "row has 9 fields, the header has 10")
        #expect(report.problems.first { $0.line == 5 }?.message
            == "unknown code urn:zebra:code|no-such-code (not in template gaucher)")
        #expect(report.problems.first { $0.reason == "invalid date" }?.path == "date")
        #expect(records.timelines.map(\.id) == ["A"])
        #expect(records.timelines[0].events.filter { $0.kind == .quantity }.map(\.value) == [13.1])
        #expect(report.patientsRead == 3 && report.patientsKept == 1)
        #expect(report.recordsSkippedByReason["patient skipped"] == 3)
        #expect(report.recordsReadTotal == report.recordsKeptTotal + report.recordsSkippedTotal)
    }

    @Test func systemsByShortNameOrURIAndColumnsInAnyOrder() throws {
        let csv = """
        kind,code,system,value,unit,date,patient_id,sex,birth_date,death_date
        observation,718-7,LOINC,12.5,g/dL,2001-01-01,A,F,1970-01-01,
        observation,718-7,http://loinc.org,12.7,g/dL,2002-01-01,A,,,
        observation,718-7,urn:oid:2.16.840.1.113883.6.1,12.9,g/dL,2003-01-01,A,,,
        observation,718-7,http://LOINC.org,13.1,g/dL,2004-01-01,A,,,
        """
        let folder = try TestSupport.temporaryDirectory("record-import-csv-systems")
        try write(csv, to: "\(folder)/x.csv")
        let records = try SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher")).read(path: folder)
        #expect(records.timelines[0].sex == .female)
        #expect(records.timelines[0].events.filter { $0.kind == .quantity }.map(\.value) == [12.5, 12.7, 12.9])
        #expect(records.report.problems.map(\.message)
            == ["unknown code http://LOINC.org|718-7 (not in template gaucher)"])
    }

    @Test func headerMustNameEveryColumn() throws {
        let folder = try TestSupport.temporaryDirectory("record-import-csv-header")
        try write("patient_id,sex,birth_date,date,kind,system,code,value,unit\nA,male,1970-01-01,,,,,,\n",
                  to: "\(folder)/x.csv")
        let error = try #require(throws: RecordImportError.self) {
            try SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher")).read(path: folder)
        }
        #expect(error.problems.first?.message.contains("lacks the column(s) death_date") == true)
    }
}
