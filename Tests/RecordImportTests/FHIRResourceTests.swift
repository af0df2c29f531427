import DiseaseModeling
import Foundation
import RecordImport
import Testing
import Timelines
import ZebraTestSupport

/// Hand-written FHIR: references inside bundles, dates with times, medications, coded values.
@Suite struct FHIRResourceTests {
    static let bundle = """
    {"resourceType": "Bundle", "type": "collection", "entry": [
      {"fullUrl": "http://example.org/fhir/Patient/a1",
       "resource": {"resourceType": "Patient", "id": "a1", "gender": "male", "birthDate": "1970-01-01",
                    "deceasedDateTime": "2020-01-01"}},
      {"fullUrl": "http://example.org/fhir/Encounter/e1",
       "resource": {"resourceType": "Encounter", "id": "e1", "status": "finished",
                    "subject": {"reference": "Patient/a1"}, "period": {"start": "2010-02-02T08:00:00Z"}}},
      {"fullUrl": "urn:uuid:0b8a6c9e-0000-4000-8000-000000000001",
       "resource": {"resourceType": "Observation", "status": "final",
                    "code": {"coding": [{"system": "https://loinc.org/", "code": "718-7"}]},
                    "subject": {"reference": "http://example.org/fhir/Patient/a1"},
                    "encounter": {"reference": "Encounter/e1"},
                    "effectiveDateTime": "2010-02-02T09:30:00+01:00",
                    "valueQuantity": {"value": 130, "unit": "g/L"}}},
      {"resource": {"resourceType": "Observation", "status": "final",
                    "code": {"coding": [{"system": "urn:zebra:code", "code": "gba1-genotype"}]},
                    "subject": {"reference": "Patient/a1"}, "encounter": {"reference": "Encounter/e1"},
                    "valueCodeableConcept": {"text": "n370s/l444p"}}},
      {"resource": {"resourceType": "Observation", "status": "entered-in-error",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
                    "subject": {"reference": "Patient/a1"}, "effectiveDateTime": "2010-02-02",
                    "valueQuantity": {"value": 99, "unit": "g/dL"}}},
      {"resource": {"resourceType": "Condition",
                    "code": {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.96", "code": "190794006"}]},
                    "subject": {"reference": "Patient/a1"}, "onsetDateTime": "2005-06-01", "recordedDate": \
    "2009-03-04"}},
      {"resource": {"resourceType": "Procedure", "status": "completed",
                    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "234319005"}]},
                    "subject": {"reference": "Patient/a1"}, "performedPeriod": {"start": "2008-08-08"}}},
      {"resource": {"resourceType": "MedicationStatement", "status": "stopped",
                    "medicationCodeableConcept": {"coding": [{"system": "urn:zebra:code", "code": "imiglucerase"}]},
                    "subject": {"reference": "Patient/a1"}, "effectivePeriod": {"start": "2011-01-01", "end": \
    "2012-01-01"}}},
      {"resource": {"resourceType": "MedicationStatement", "status": "completed",
                    "medicationReference": {"reference": "Medication/m1"},
                    "subject": {"reference": "Patient/a1"}, "effectivePeriod": {"start": "2015-01-01", "end": \
    "2020-01-01"}}},
      {"resource": {"resourceType": "Medication", "id": "m1",
                    "code": {"coding": [{"system": "urn:zebra:code", "code": "imiglucerase"}]}}},
      {"resource": {"resourceType": "MedicationRequest", "status": "stopped", "intent": "order",
                    "medicationCodeableConcept": {"coding": [{"system": "urn:zebra:code", "code": "imiglucerase"}]},
                    "subject": {"reference": "Patient/a1"}, "authoredOn": "2013-01-01",
                    "dispenseRequest": {"validityPeriod": {"start": "2013-01-01", "end": "2014-01-01"}}}},
      {"resource": {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                    "medicationCodeableConcept": {"coding": [{"system": "urn:zebra:code", "code": "imiglucerase"}]},
                    "subject": {"reference": "Patient/a1"}, "authoredOn": "2016-01-01",
                    "dispenseRequest": {"validityPeriod": {"end": "2017-01-01"}}}},
      {"resource": {"resourceType": "Practitioner", "id": "dr"}},
      {"resource": {"resourceType": "AllergyIntolerance", "patient": {"reference": "Patient/a1"}}}
    ]}
    """

    /// A second bundle whose Patient reuses the id "a1": its records must not join the first a1.
    static let clash = """
    {"resourceType": "Bundle", "type": "transaction", "entry": [
      {"fullUrl": "urn:uuid:c1", "resource": {"resourceType": "Patient", "gender": "female", "birthDate": \
    "1990-01-01", "id": "a1"},
       "request": {"method": "PUT", "url": "Patient/a1"}},
      {"fullUrl": "urn:uuid:c2", "resource": {"resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]}, "subject": {"reference": "urn:uuid:c1"},
        "effectiveDateTime": "2012-01-01", "valueQuantity": {"value": 10, "unit": "g/dL"}}}
    ]}
    """

    @Test func bundleReferencesDatesAndMedications() throws {
        let folder = try TestSupport.temporaryDirectory("record-import-fhir-bundle")
        try write(Self.bundle, to: "\(folder)/a.json")
        try write(Self.clash, to: "\(folder)/b.json")
        let template = try TestSupport.shippedTemplate("gaucher")
        let records = try SeedRecordImporter(template: template).read(path: folder)
        let report = records.report
        #expect(records.timelines.count == 1)
        #expect(report.patientsSkippedByReason == ["duplicate patient id": 1])
        #expect(report.recordsSkippedByReason
            == ["status entered-in-error": 1, "resource type not used": 1, "patient skipped": 1])
        #expect(report.problemCount == 1)

        let t = records.timelines[0]
        let c = records.concepts
        let day = { (text: String) in CalendarDay(iso: text)! }
        let imiglucerase = c.treatments[0]
        let expected: [TimelineEvent] = [
            TimelineEvent(day: day("2005-06-01"), kind: .condition, concept: c.condition,
                          related: day("2009-03-04").daysSinceEpoch),
            TimelineEvent(day: day("2008-08-08"), kind: .procedure,
                          concept: c.events[template.eventIndex("splenectomy")!]),
            TimelineEvent(day: day("2010-02-02"), kind: .encounter, concept: -1, ordinal: 0),
            TimelineEvent(day: day("2010-02-02"), kind: .quantity,
                          concept: c.measures[template.measureIndex("hemoglobin")!], ordinal: 0, value: 13),
            TimelineEvent(day: day("2010-02-02"), kind: .codedValue, concept: c.attributes[0], ordinal: 0,
                          related: c.attributeValues[0][
                              template.attributes[0].categoryValues.firstIndex(of: "N370S/L444P")!]),
            TimelineEvent(day: day("2011-01-01"), kind: .medicationStart, concept: imiglucerase),
            TimelineEvent(day: day("2012-01-01"), kind: .medicationStop, concept: imiglucerase),
            TimelineEvent(day: day("2013-01-01"), kind: .medicationStart, concept: imiglucerase),
            TimelineEvent(day: day("2014-01-01"), kind: .medicationStop, concept: imiglucerase),
            TimelineEvent(day: day("2015-01-01"), kind: .medicationStart, concept: imiglucerase),
            TimelineEvent(day: day("2016-01-01"), kind: .medicationStart, concept: imiglucerase),
        ]
        #expect(t.events == expected)
        #expect(t.attributes == [AttributeValue(name: "genotype", value: .category("N370S/L444P"))])
        #expect(t.death == day("2020-01-01") && t.followUpEnd == day("2020-01-01"))
    }

    @Test func patientDetailsAreChecked() throws {
        let folder = try TestSupport.temporaryDirectory("record-import-fhir-patients")
        try write([
            FHIR.patient("ok", birth: "1984"),
            FHIR.patient("dead-before-born", birth: "1990-01-01", death: "1989-12-31"),
            FHIR.patient("bad-birth", birth: "1990-02-30"),
            FHIR.patient("no-gender", gender: nil),
            "{\"resourceType\":\"Patient\",\"id\":\"flag\",\"gender\":\"female\","
                + "\"birthDate\":\"1950-05-05\",\"deceasedBoolean\":true}",
        ].joined(separator: "\n"), to: "\(folder)/Patient.ndjson")
        let records = try SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher")).read(path: folder)
        #expect(records.timelines.map(\.id) == ["ok", "flag"])
        #expect(records.timelines[0].birth.iso == "1984-07-01")
        #expect(records.timelines[1].death == nil)
        #expect(records.report.patientsSkippedByReason
            == ["death before birth": 1, "invalid birth date": 1, "no gender": 1])
        #expect(records.report.notes["partial dates completed to mid-year or mid-month"] == 1)
        #expect(records.report.notes["patients deceased without a date (followed up to their last record)"] == 1)
    }

    /// The disease Condition holds two facts: an impossible diagnosis date is dropped, the onset kept.
    @Test func diseaseConditionKeepsItsPossibleDate() throws {
        let folder = try TestSupport.temporaryDirectory("record-import-fhir-disease")
        try write([
            FHIR.patient("kept", birth: "1990-01-01", death: "2010-01-01"),
            FHIR.patient("lost", birth: "1990-01-01", death: "2010-01-01"),
            FHIR.condition("Patient/kept", FHIR.snomed, "190794006", onset: "2005-05-05", recorded: "2012-12-12"),
            FHIR.condition("Patient/lost", FHIR.snomed, "190794006", onset: "2011-01-01", recorded: "2012-12-12"),
        ].joined(separator: "\n"), to: "\(folder)/x.ndjson")
        let records = try SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher")).read(path: folder)
        let report = records.report
        #expect(records.timelines[0].events == [TimelineEvent(day: CalendarDay(iso: "2005-05-05")!, kind: .condition,
                                                              concept: records.concepts.condition)])
        #expect(records.timelines[1].events.isEmpty)
        #expect(report.recordsKept == ["Condition": 1])
        #expect(report.recordsSkippedByReason == ["condition onset after death": 1])
        #expect(report.problems.map(\.reason)
            == ["diagnosis after death", "condition onset after death", "diagnosis after death"])
        #expect(report.notes["disease Conditions kept without their impossible onset or diagnosis date"] == 1)
    }

    @Test func codesOfAnotherRecordTypeAndUnknownValuesAreSkipped() throws {
        let folder = try TestSupport.temporaryDirectory("record-import-fhir-codes")
        let genotype = """
        {"resourceType":"Observation","code":\(FHIR.code(FHIR.local, "gba1-genotype")),\
        "subject":{"reference":"Patient/p"},\
        "effectiveDateTime":"2010-01-01","valueCodeableConcept":\(FHIR.code(FHIR.local, "L444P/L444P"))}
        """
        try write([
            FHIR.patient("p"),
            FHIR.condition("Patient/p", FHIR.local, "imiglucerase", onset: "2010-01-01"),
            FHIR.observation("Patient/p", FHIR.local, "bone-crisis", date: "2010-01-01", value: 1),
            FHIR.observation("Patient/p", FHIR.local, "gba1-genotype", date: "2010-01-01", value: 1),
            genotype,
            FHIR.condition("Patient/p", FHIR.local, "bone-crisis", onset: nil),
        ].joined(separator: "\n"), to: "\(folder)/x.ndjson")
        let report = try SeedRecordImporter(template: try TestSupport.shippedTemplate("gaucher")).read(path: folder)
            .report
        #expect(report.recordsSkippedByReason == ["code for another record type": 2, "wrong value type": 1,
                                                  "unknown value": 1, "missing date": 1])
        let unknown = try #require(report.problems.first { $0.reason == "unknown value" })
        #expect(unknown.message.contains("urn:zebra:code|L444P/L444P") && unknown.message.contains("N370S/N370S"))
    }
}
