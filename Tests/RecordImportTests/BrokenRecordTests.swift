import DiseaseModeling
import Foundation
import RecordImport
import Testing
import Timelines
import ZebraTestSupport

/// Records with problems: each is reported with its place and skipped (default) or fails the
/// import (strict).
@Suite struct BrokenRecordTests {
    /// Hand-written ndjson for the gaucher template: two good patients, three unusable ones, and
    /// one observation for each kind of problem. Observations are split over two files (one of
    /// them also holding Patients), since resources are grouped by type, not by file.
    static func brokenFolder(_ name: String) throws -> String {
        let folder = try TestSupport.temporaryDirectory("record-import-\(name)")
        try write([
            FHIR.patient("p1", gender: "female", birth: "1980-01-01"),
            FHIR.patient("p2", gender: "male", birth: "1975-05-05", death: "2020-06-30"),
            FHIR.patient("p3", gender: "male", birth: nil),
            FHIR.patient("p1", gender: "male", birth: "1990-01-01"),
            FHIR.patient("p4", gender: "unknown"),
        ].joined(separator: "\n") + "\n", to: "\(folder)/Patient.ndjson")
        try write([
            FHIR.observation("Patient/p1", date: "2015-01-01", value: 12.1),                     // 1 kept
            FHIR.observation("Patient/p1", date: "2016-01-01", value: 124, unit: "g/L"),         // 2 kept as 12.4 g/dL
            FHIR.observation("Patient/p1", date: "2016-01-01", value: 7.5, unit: "mmol/L"),      // 3 unit mismatch
            FHIR.observation("Patient/p1", FHIR.loinc, "9999-9", date: "2016-01-01", value: 1),  // 4 unknown code
            FHIR.observation("Patient/p1", date: "1979-12-31", value: 12),                       // 5 before birth
            FHIR.observation("Patient/p2", date: "2021-01-01", value: 12),                       // 6 after death
        ].joined(separator: "\n") + "\n", to: "\(folder)/Observation.ndjson")
        try write([
            FHIR.observation("Patient/p1", date: "2023-02-30", value: 12),                       // 1 invalid date
            FHIR.observation("Patient/nobody", date: "2016-01-01", value: 12),                   // 2 unknown patient
            "",
            FHIR.observation(nil, date: "2016-01-01", value: 12),                                // 4 missing subject
            FHIR.observation("Patient/p1", date: "2017-01-01", value: nil),                      // 5 no value
            FHIR.observation("Patient/p3", date: "2017-01-01", value: 12),                       // 6 patient skipped
            "{\"resourceType\": \"Observation\",",                                               // 7 malformed
            FHIR.patient("p5", gender: "male", birth: "1999-09-09"),                             // 8 a Patient here too
        ].joined(separator: "\n") + "\n", to: "\(folder)/more.ndjson")
        return folder
    }

    @Test func defaultModeSkipsAndCounts() throws {
        let folder = try Self.brokenFolder("broken-default")
        let records = try SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher")).read(path: folder)
        let report = records.report
        #expect(report.patientsRead == 6)
        #expect(report.patientsKept == 3)
        #expect(report.patientsSkippedByReason
            == ["no birth date": 1, "duplicate patient id": 1, "no usable gender": 1])
        #expect(report.recordsSkippedByReason == [
            "unit mismatch": 1, "unknown code": 1, "observation before birth": 1, "observation after death": 1,
            "invalid date": 1, "unknown patient": 1, "missing subject": 1, "observation without value": 1,
            "patient skipped": 1, "malformed JSON": 1,
        ])
        #expect(report.recordsRead == ["Observation": 11, "unreadable": 1])
        #expect(report.recordsKept == ["Observation": 2])
        #expect(report.problemCount == 12)
        #expect(report.recordsReadTotal == report.recordsKeptTotal + report.recordsSkippedTotal)

        let p1 = try #require(records.timelines.first { $0.id == "p1" })
        let hemoglobin = records.concepts.measures[try #require(try TestSupport.shippedTemplate("gaucher")
            .measureIndex("hemoglobin"))]
        let values = p1.events.filter { $0.kind == .quantity && $0.concept == hemoglobin }.map(\.value)
        #expect(values == [12.1, 12.4])
        // Each observation named no visit, so each day got one, numbered in date order.
        let visits = p1.events.filter { $0.kind == .encounter }
        #expect(visits.map(\.day.iso) == ["2015-01-01", "2016-01-01"] && visits.map(\.ordinal) == [0, 1])
        #expect(p1.events.filter { $0.kind == .quantity }.map(\.ordinal) == [0, 1])
        #expect(p1.followUpEnd.iso == "2016-01-01")
        #expect(records.timelines.map(\.id) == ["p1", "p2", "p5"])
    }

    @Test func problemsNameFileLinePathAndPatient() throws {
        let folder = try Self.brokenFolder("broken-places")
        let report = try SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher")).read(path: folder)
            .report
        func problem(_ reason: String) throws -> ImportProblem {
            try #require(report.problems.first { $0.reason == reason })
        }

        let malformed = try problem("malformed JSON")
        #expect(malformed.file == "\(folder)/more.ndjson" && malformed.line == 7 && malformed.patientID == nil)
        #expect(malformed.message.hasPrefix("not valid JSON"))

        let unit = try problem("unit mismatch")
        #expect(unit.file == "\(folder)/Observation.ndjson" && unit.line == 3 && unit.path == "$.valueQuantity")
        #expect(unit.patientID == "p1")
        #expect(unit.message.contains("\"mmol/L\"") && unit.message.contains("\"g/dL\""))

        let code = try problem("unknown code")
        #expect(code.line == 4 && code.path == "$.code")
        #expect(code.message == "unknown code http://loinc.org|9999-9 (not in template gaucher)")

        #expect(try problem("observation before birth").message
            == "observation on 1979-12-31 is before birth (1980-01-01)")
        #expect(try problem("observation after death").message
            == "observation on 2021-01-01 is after death (2020-06-30)")
        let date = try problem("invalid date")
        #expect(date.line == 1 && date.path == "$.effectiveDateTime" && date.message.contains("2023-02-30"))
        #expect(try problem("unknown patient").message.contains("Patient/nobody"))
        #expect(try problem("missing subject").line == 4)
        #expect(try problem("observation without value").line == 5)
        let duplicate = try problem("duplicate patient id")
        #expect(duplicate.line == 4 && duplicate.patientID == "p1")
        #expect(try problem("no birth date").patientID == "p3")
        #expect(unit.description == "\(folder)/Observation.ndjson:3: $.valueQuantity: \(unit.message) (patient p1)")
    }

    @Test func strictModeThrowsWithEveryProblem() throws {
        let folder = try Self.brokenFolder("broken-strict")
        let importer = SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher"), strict: true)
        let error = try #require(throws: RecordImportError.self) { try importer.read(path: folder) }
        #expect(error.problems.count == 12)
        #expect(Set(error.problems.map(\.reason)) == [
            "no birth date", "duplicate patient id", "no usable gender", "unit mismatch", "unknown code",
            "observation before birth", "observation after death", "invalid date", "unknown patient", "missing subject",
            "observation without value", "malformed JSON",
        ])
        for problem in error.problems { #expect(error.description.contains(problem.description)) }
    }

    @Test func strictModeKeepsAllProblemsBeyondTheReportLimit() throws {
        let folder = try Self.brokenFolder("broken-limit")
        var importer = SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher"))
        importer.maximumProblems = 3
        let report = try importer.read(path: folder).report
        #expect(report.problems.count == 3 && report.problemCount == 12)
        importer.strict = true
        #expect(throws: RecordImportError.self) { try importer.read(path: folder) }
        do { _ = try importer.read(path: folder) } catch { #expect(error.problems.count == 12) }
    }

    @Test func nothingToReadThrows() throws {
        let template = try TestSupport.shippedTemplate("gaucher")
        let empty = try TestSupport.temporaryDirectory("record-import-empty")
        #expect(throws: RecordImportError.self) { try SeedRecordImporter(template: template).read(path: empty) }
        #expect(throws: RecordImportError.self) {
            try SeedRecordImporter(template: template).read(path: "\(empty)/missing")
        }
        try write(FHIR.observation("Patient/x", date: "2020-01-01", value: 1) + "\n", to: "\(empty)/Observation.ndjson")
        let error = try #require(throws: RecordImportError.self) {
            try SeedRecordImporter(template: template).read(path: empty)
        }
        #expect(error.headline.hasPrefix("no Patient records"))
    }

    @Test func extractDateBoundsRecordsAndFollowUp() throws {
        let folder = try TestSupport.temporaryDirectory("record-import-extract-date")
        try write(FHIR.patient("p1") + "\n" + FHIR.observation("Patient/p1", date: "2024-05-01", value: 12) + "\n"
            + FHIR.observation("Patient/p1", date: "2026-01-02", value: 12) + "\n", to: "\(folder)/all.ndjson")
        let importer = SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher"),
                                          extractDate: CalendarDay(iso: "2025-12-31"))
        let records = try importer.read(path: folder)
        #expect(records.report.recordsSkippedByReason == ["observation after the extract date": 1])
        #expect(records.timelines[0].followUpEnd.iso == "2025-12-31")
    }
}
