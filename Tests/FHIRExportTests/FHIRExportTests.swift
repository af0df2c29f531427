import DiseaseModeling
import Foundation
import Serialization
import Simulation
import Testing
import Timelines
import ZebraSupport
import ZebraTestSupport
@testable import FHIRExport

@Suite struct FHIRSerializerTests {
    /// A hand-built timeline with one of everything.
    func sample() -> (PatientTimeline, ConceptTable) {
        var table = ConceptTable()
        let disease = table.add(Concept(key: "d", kind: .disease, text: "Toy disease",
                                        codes: [ClinicalCode(system: CodeSystems.snomed, code: "1", display: "Toy")]))
        let score = table.add(Concept(key: "m", kind: .measure, text: "Score",
                                      codes: [ClinicalCode(system: CodeSystems.loinc, code: "2-3")],
                                      unit: "g/dL", decimals: 1, category: "laboratory"))
        let subtype = table.add(Concept(key: "a", kind: .attribute, text: "Subtype",
                                        codes: [ClinicalCode(system: CodeSystems.local, code: "subtype")]))
        let valueA = table.add(Concept(key: "v", kind: .attributeValue, text: "a",
                                       codes: [ClinicalCode(system: CodeSystems.local, code: "a")]))
        let drug = table.add(Concept(key: "t", kind: .medication, text: "Drug",
                                     codes: [ClinicalCode(system: CodeSystems.local, code: "drug")]))
        let surgery = table.add(Concept(key: "p", kind: .procedure, text: "Surgery",
                                        codes: [ClinicalCode(system: CodeSystems.snomed, code: "9")]))
        let d = { (s: String) in CalendarDay(iso: s)! }
        let events = [
            TimelineEvent(day: d("2001-05-01"), kind: .condition, concept: disease,
                          related: d("2003-02-01").daysSinceEpoch),
            TimelineEvent(day: d("2003-02-01"), kind: .encounter, concept: -1, ordinal: 0),
            TimelineEvent(day: d("2003-02-01"), kind: .quantity, concept: score, ordinal: 0, value: 12.25),
            TimelineEvent(day: d("2003-02-01"), kind: .codedValue, concept: subtype, ordinal: 0, related: valueA),
            TimelineEvent(day: d("2004-01-10"), kind: .medicationStart, concept: drug),
            TimelineEvent(day: d("2004-02-01"), kind: .encounter, concept: -1, ordinal: 1),
            TimelineEvent(day: d("2004-02-01"), kind: .quantity, concept: score, ordinal: 1, value: 11),
            TimelineEvent(day: d("2005-03-03"), kind: .procedure, concept: surgery),
            TimelineEvent(day: d("2006-01-01"), kind: .medicationStop, concept: drug),
        ]
        let timeline = PatientTimeline(id: "6f1c8f7e-0000-4000-8000-000000000001", sex: .female, birth: d("1980-07-15"),
                                       death: d("2010-01-02"), followUpEnd: d("2010-01-02"), attributes: [],
                                       events: events)
        return (timeline, table)
    }

    func parseLines(_ bytes: [UInt8]) throws -> [JSONNode] {
        try bytes.split(separator: 0x0A).map { try JSONParser.parse(Array($0)) }
    }

    @Test func writesEachResourceTypeToItsOwnLines() throws {
        let (timeline, table) = sample()
        var buffers = ResourceBuffers()
        FHIRSerializer(concepts: table, source: "urn:zebra:test").appendNDJSON(timeline, to: &buffers)
        let count = { (t: ResourceType) in buffers.counts[t.rawValue] }
        #expect(count(.patient) == 1 && count(.encounter) == 2 && count(.observation) == 3)
        #expect(count(.condition) == 1 && count(.medicationStatement) == 1 && count(.procedure) == 1)
        let patient = try parseLines(buffers.writers[ResourceType.patient.rawValue].bytes)[0]
        #expect(patient["resourceType"]?.stringValue == "Patient")
        #expect(patient["gender"]?.stringValue == "female")
        #expect(patient["birthDate"]?.stringValue == "1980-07-15")
        #expect(patient["deceasedDateTime"]?.stringValue == "2010-01-02")
        #expect(patient["meta"]?["source"]?.stringValue == "urn:zebra:test")
        let observations = try parseLines(buffers.writers[ResourceType.observation.rawValue].bytes)
        let quantity = observations[0]["valueQuantity"]
        #expect(quantity?["value"]?.numberValue == 12.3)
        #expect(quantity?["unit"]?.stringValue == "g/dL")
        #expect(quantity?["system"]?.stringValue == "http://unitsofmeasure.org")
        #expect(observations[0]["category"]?.arrayValue?.first?["coding"]?.arrayValue?.first?["code"]?.stringValue
            == "laboratory")
        #expect(observations[1]["valueCodeableConcept"]?["coding"]?.arrayValue?.first?["code"]?.stringValue == "a")
        let encounters = try parseLines(buffers.writers[ResourceType.encounter.rawValue].bytes)
        #expect(observations[2]["encounter"]?["reference"]?.stringValue
            == "Encounter/" + encounters[1]["id"]!.stringValue!)
        let condition = try parseLines(buffers.writers[ResourceType.condition.rawValue].bytes)[0]
        #expect(condition["onsetDateTime"]?.stringValue == "2001-05-01")
        #expect(condition["recordedDate"]?.stringValue == "2003-02-01")
        let medication = try parseLines(buffers.writers[ResourceType.medicationStatement.rawValue].bytes)[0]
        #expect(medication["status"]?.stringValue == "stopped")
        #expect(medication["effectivePeriod"]?["start"]?.stringValue == "2004-01-10")
        #expect(medication["effectivePeriod"]?["end"]?.stringValue == "2006-01-01")
    }

    @Test func everyResourceIsTaggedSyntheticAndReferencesResolve() throws {
        let simulator = CohortSimulator(template: try TestSupport.shippedTemplate("gaucher"),
                                        options: SimulationOptions(seed: 3))
        var buffers = ResourceBuffers()
        let serializer = FHIRSerializer(concepts: simulator.concepts.table, source: "urn:test")
        for p in simulator.patients(0..<40, threads: 2) { serializer.appendNDJSON(p.timeline, to: &buffers) }
        var ids = Set<String>(), references: [String] = []
        for type in ResourceType.allCases {
            for node in try parseLines(buffers.writers[type.rawValue].bytes) {
                #expect(node["resourceType"]?.stringValue == type.name)
                let security = node["meta"]?["security"]?.arrayValue?.first
                #expect(security?["code"]?.stringValue == "HTEST")
                #expect(security?["system"]?.stringValue == "http://terminology.hl7.org/CodeSystem/v3-ActReason")
                let id = node["id"]!.stringValue!
                #expect(ids.insert("\(type.name)/\(id)").inserted, "duplicate id \(id)")
                for key in ["subject", "encounter"] {
                    if let r = node[key]?["reference"]?.stringValue { references.append(r) }
                }
            }
        }
        #expect(!references.isEmpty)
        for r in references { #expect(ids.contains(r), "unresolved reference \(r)") }
    }

    @Test(arguments: [false, true])
    func bundlesResolveInsideThemselves(transaction: Bool) throws {
        let (timeline, table) = sample()
        let (bytes, counts) = FHIRSerializer(concepts: table, source: "urn:test")
            .bundle(timeline, transaction: transaction)
        let bundle = try JSONParser.parse(bytes)
        #expect(bundle["type"]?.stringValue == (transaction ? "transaction" : "collection"))
        let entries = bundle["entry"]!.arrayValue!
        #expect(!entries.isEmpty && entries.count == counts.reduce(0, +))
        let urls = entries.map { $0["fullUrl"]!.stringValue! }
        #expect(Set(urls).count == urls.count)
        #expect(urls.allSatisfy { $0.hasPrefix("urn:uuid:") })
        for entry in entries {
            #expect((entry["request"] != nil) == transaction)
            if transaction {
                let resource = entry["resource"]!
                #expect(entry["request"]?["url"]?.stringValue
                    == "\(resource["resourceType"]!.stringValue!)/\(resource["id"]!.stringValue!)")
            }
            for key in ["subject", "encounter"] {
                if let r = entry["resource"]?[key]?["reference"]?.stringValue { #expect(urls.contains(r)) }
            }
        }
    }

    @Test func sameTimelineSameBytes() throws {
        let (timeline, table) = sample()
        let s = FHIRSerializer(concepts: table, source: "urn:test")
        var a = ResourceBuffers(), b = ResourceBuffers()
        s.appendNDJSON(timeline, to: &a)
        s.appendNDJSON(timeline, to: &b)
        #expect(a.writers.map(\.bytes) == b.writers.map(\.bytes))
        #expect(s.bundle(timeline, transaction: false).bytes == s.bundle(timeline, transaction: false).bytes)
    }
}

@Suite struct CohortExportTests {
    @Test(arguments: [FHIRFormat.ndjson, .bundle])
    func streamsACohortIntoAStagedFolder(format: FHIRFormat) throws {
        let simulator = CohortSimulator(template: try TestSupport.shippedTemplate("fabry"),
                                        options: SimulationOptions(seed: 8))
        let root = try TestSupport.temporaryDirectory()
        func run(threads: Int, name: String) throws -> (ExportSummary, [String: [UInt8]]) {
            let staged = try StagedDirectory(path: root + "/" + name, replaceExisting: false)
            var exporter = CohortExport(format: format,
                                        serializer: FHIRSerializer(concepts: simulator.concepts.table, source: "urn:t"),
                                        threads: threads)
            exporter.blockSize = 7
            let summary = try exporter.write(count: 50, into: staged, generate: { simulator.patient($0).timeline })
            try staged.commit()
            var files: [String: [UInt8]] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: staged.finalPath)
                where name != StagedDirectory.markerName {
                files[name] = try readFileBytes(staged.finalPath + "/" + name)
            }
            return (summary, files)
        }
        let (summary, files) = try run(threads: 1, name: "one")
        let (_, again) = try run(threads: 3, name: "three")
        #expect(!files.isEmpty)
        #expect(files == again)
        #expect(summary.patients == 50)
        #expect(summary.resourcesByType[ResourceType.patient.rawValue] == 50)
        #expect(summary.bytes == files.values.reduce(0) { $0 + $1.count })
        if format == .ndjson {
            #expect(files.keys.contains("Patient.ndjson") && files.keys.contains("Observation.ndjson"))
            #expect(files["Patient.ndjson"]!.filter { $0 == 0x0A }.count == 50)
        } else {
            #expect(files.count == 50)
        }
    }
}

/// The register-at-a-time UUID writer gives the text of the plain digit-by-digit reference.
@Suite struct UUIDWriterTests {
    @Test(arguments: [UInt64(1), 7, 42])
    func writesTheReferenceText(seed: UInt64) {
        var state = seed
        for _ in 0..<2_000 {
            state = SplitMix64.mix(state &+ SplitMix64.increment)
            let high = state
            state = SplitMix64.mix(state &+ SplitMix64.increment)
            var w = ByteWriter(capacity: 40)
            writeUUID(high, state, into: &w)
            #expect(String(decoding: w.bytes, as: UTF8.self) == uuidString(high, state))
        }
        var edge = ByteWriter(capacity: 80)
        writeUUID(0, 0, into: &edge)
        writeUUID(.max, .max, into: &edge)
        #expect(String(decoding: edge.bytes, as: UTF8.self)
            == "00000000-0000-4000-8000-000000000000ffffffff-ffff-4fff-bfff-ffffffffffff")
    }
}
