import DiseaseModeling
import FHIRExport
import FlatCSVExport
import Foundation
import RecordImport
import Serialization
import Simulation
import Testing
import Timelines
import ZebraTestSupport

/// Simulated cohorts exported as FHIR and imported again give back the same timelines.
@Suite struct RoundTripTests {
    static let diseases = ["fabry", "friedreich-ataxia", "gaucher"]
    static let patients = 24

    struct Cohort {
        let template: DiseaseTemplate
        let options: SimulationOptions
        let timelines: [PatientTimeline]
        let serializer: FHIRSerializer
        let concepts: TemplateConcepts
    }

    static func simulate(_ disease: String) throws -> Cohort {
        let template = try TestSupport.shippedTemplate(disease)
        let options = SimulationOptions(seed: 11)
        let simulator = CohortSimulator(template: template, options: options)
        let timelines = simulator.patients(0..<patients, threads: 1).map(\.timeline)
        let serializer = FHIRSerializer(concepts: simulator.concepts.table, source: "urn:zebra:test")
        return Cohort(template: template, options: options, timelines: timelines, serializer: serializer,
                      concepts: simulator.concepts)
    }

    /// What an import must give back for `original`: quantities at the exported decimals, and
    /// only the attributes that were recorded (an attribute never written cannot be read back).
    static func expectMatches(_ imported: PatientTimeline, _ original: PatientTimeline, _ cohort: Cohort) {
        #expect(imported.id == original.id)
        #expect(imported.sex == original.sex)
        #expect(imported.birth == original.birth)
        #expect(imported.death == original.death)
        #expect(imported.causeOfDeath == original.causeOfDeath)
        #expect(imported.causeOfDeathDay == original.causeOfDeath.flatMap { _ in original.death })
        if original.death != nil {
            #expect(imported.followUpEnd == original.followUpEnd)
        } else {
            // The simulator ends follow-up at the end date through fractional years; within a day of it.
            #expect(imported.followUpEnd == cohort.options.endDate)
            #expect(abs(imported.followUpEnd.days(to: original.followUpEnd)) <= 1)
        }
        let table = cohort.concepts.table
        let expected = original.events.map { e -> TimelineEvent in
            var e = e
            if e.kind == .quantity { e.value = roundedAsExported(e.value, decimals: table[e.concept].decimals) }
            return e
        }
        #expect(canonical(imported.events) == canonical(expected))
        let recorded = Set(original.events.filter { $0.kind == .quantity || $0.kind == .codedValue }.map(\.concept))
        let expectedAttributes = cohort.template.attributes.enumerated().compactMap { a, attribute -> AttributeValue? in
            guard recorded.contains(cohort.concepts.attributes[a]), let value = original.attribute(attribute.id) else {
                return nil
            }
            if case .number(let x) = value {
                return AttributeValue(name: attribute.id,
                                      value: .number(roundedAsExported(x, decimals: attribute.concept.decimals)))
            }
            return AttributeValue(name: attribute.id, value: value)
        }
        #expect(imported.attributes == expectedAttributes)
    }

    static func importAndCompare(_ cohort: Cohort, folder: String) throws -> ImportReport {
        let importer = SeedRecordImporter(template: cohort.template, strict: true, extractDate: cohort.options.endDate)
        let records = try importer.read(path: folder)
        try #require(cohort.timelines.count == Self.patients)
        #expect(records.timelines.count == cohort.timelines.count)
        #expect(records.concepts.table.concepts == cohort.concepts.table.concepts)
        let byID = Dictionary(uniqueKeysWithValues: records.timelines.map { ($0.id, $0) })
        for original in cohort.timelines {
            guard let imported = byID[original.id] else {
                Issue.record("patient \(original.id) missing after import")
                continue
            }
            expectMatches(imported, original, cohort)
        }
        #expect(records.report.recordsSkippedTotal == 0)
        #expect(records.report.problemCount == 0)
        return records.report
    }

    @Test(arguments: diseases)
    func ndjsonExportReadsBack(_ disease: String) throws {
        let cohort = try Self.simulate(disease)
        var buffers = ResourceBuffers()
        for t in cohort.timelines { cohort.serializer.appendNDJSON(t, to: &buffers) }
        let folder = try TestSupport.temporaryDirectory("record-import-ndjson-\(disease)")
        for type in ResourceType.allCases where buffers.counts[type.rawValue] > 0 {
            try Data(buffers.writers[type.rawValue].bytes)
                .write(to: URL(fileURLWithPath: "\(folder)/\(type.name).ndjson"))
        }
        let report = try Self.importAndCompare(cohort, folder: folder)
        // Every resource written is read and kept (Patients are counted apart).
        for type in ResourceType.allCases where type != .patient && buffers.counts[type.rawValue] > 0 {
            #expect(report.recordsRead[type.name] == buffers.counts[type.rawValue])
            #expect(report.recordsKept[type.name] == buffers.counts[type.rawValue])
        }
        #expect(report.patientsRead == Self.patients && report.patientsKept == Self.patients)
    }

    @Test(arguments: diseases, [false, true])
    func bundleExportReadsBack(_ disease: String, transaction: Bool) throws {
        let cohort = try Self.simulate(disease)
        let folder = try TestSupport.temporaryDirectory("record-import-bundle-\(disease)-\(transaction)")
        for t in cohort.timelines {
            let (bytes, _) = cohort.serializer.bundle(t, transaction: transaction)
            try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(t.id).json"))
        }
        let report = try Self.importAndCompare(cohort, folder: folder)
        #expect(report.files.count == Self.patients)
    }

    /// The flat CSV export (one table per kind, with its data dictionary) reads back the same.
    @Test(arguments: diseases)
    func flatCSVExportReadsBack(_ disease: String) throws {
        let cohort = try Self.simulate(disease)
        let writer = FlatCSVWriter(concepts: cohort.concepts.table)
        var rows = FlatCSVRows()
        for t in cohort.timelines { writer.append(t, to: &rows) }
        let folder = try TestSupport.temporaryDirectory("record-import-csv-\(disease)")
        for table in FlatCSVTable.allCases {
            try Data(table.header + rows.writers[table.rawValue].bytes)
                .write(to: URL(fileURLWithPath: "\(folder)/\(table.fileName)"))
        }
        try Data(FlatCSVTable.dictionary.utf8).write(to: URL(fileURLWithPath: "\(folder)/data-dictionary.csv"))
        let report = try Self.importAndCompare(cohort, folder: folder)
        try #require(rows.counts[FlatCSVTable.observations.rawValue] > 100)
        #expect(report.recordsRead["Encounter"] == rows.counts[FlatCSVTable.encounters.rawValue])
        #expect(report.recordsKept["Encounter"] == rows.counts[FlatCSVTable.encounters.rawValue])
        #expect(report.patientsRead == Self.patients && report.patientsKept == Self.patients)
        #expect(report.notes["data dictionaries skipped (documentation, not records)"] == 1)
    }

    /// The round trip is only a test if the cohort has every kind of record the template makes.
    @Test func cohortsExerciseEveryRecordKind() throws {
        var kinds = Set<UInt8>()
        for disease in Self.diseases {
            for t in try Self.simulate(disease).timelines { for e in t.events { kinds.insert(e.kind.rawValue) } }
        }
        #expect(kinds.isSuperset(of: [TimelineEvent.Kind.encounter, .condition, .quantity, .codedValue,
                                      .medicationStart, .procedure].map(\.rawValue)))
        let causes = try ["fabry", "friedreich-ataxia"].map {
            try Self.simulate($0).timelines.compactMap(\.causeOfDeath)
        }
        #expect(causes.allSatisfy { !$0.isEmpty }, "both templates with causes of death record some")
    }
}
