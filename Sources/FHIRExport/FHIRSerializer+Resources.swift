import Serialization
import Timelines

extension FHIRSerializer {
    /// Appends one patient's resources to per-type ndjson buffers (`Type/id` references).
    package func appendNDJSON(_ timeline: PatientTimeline, to buffers: inout ResourceBuffers) {
        var emitter = ResourceEmitter(serializer: self, timeline: timeline, urn: false)
        emitter.emit { type, _, write in
            write(&buffers.writers[type.rawValue])
            buffers.writers[type.rawValue].byte(0x0A)
            buffers.counts[type.rawValue] += 1
        }
    }

    /// One patient as a `Bundle` (`urn:uuid` references); `transaction` adds PUT requests.
    package func bundle(_ timeline: PatientTimeline, transaction: Bool) -> (bytes: [UInt8], counts: [Int]) {
        var w = ByteWriter(capacity: 16_384)
        var ids = ResourceIdentifiers(patientID: timeline.id + "#bundle")
        w.raw("{\"resourceType\":\"Bundle\",\"id\":\"")
        ids.next(into: &w)
        w.raw("\",")
        w.raw(meta)
        w.raw(transaction ? ",\"type\":\"transaction\",\"entry\":[" : ",\"type\":\"collection\",\"entry\":[")
        var count = 0
        var counts = [Int](repeating: 0, count: ResourceType.allCases.count)
        var emitter = ResourceEmitter(serializer: self, timeline: timeline, urn: true)
        emitter.emit { type, id, write in
            if count > 0 { w.byte(UInt8(ascii: ",")) }
            count += 1
            counts[type.rawValue] += 1
            w.raw("{\"fullUrl\":\"urn:uuid:")
            w.raw(id)
            w.raw("\",\"resource\":")
            write(&w)
            if transaction {
                w.raw(",\"request\":{\"method\":\"PUT\",\"url\":\"")
                w.rawString(type.name)
                w.byte(UInt8(ascii: "/"))
                w.raw(id)
                w.raw("\"}")
            }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("]}")
        return (w.bytes, counts)
    }
}

/// Writes the resources of one patient in a fixed order, handing each to a sink.
struct ResourceEmitter {
    let serializer: FHIRSerializer
    let timeline: PatientTimeline
    let urn: Bool
    private var ids: ResourceIdentifiers
    private var patientReference: [UInt8] = []
    private var encounterIDs: [[UInt8]] = []

    init(serializer: FHIRSerializer, timeline: PatientTimeline, urn: Bool) {
        self.serializer = serializer
        self.timeline = timeline
        self.urn = urn
        ids = ResourceIdentifiers(patientID: timeline.id)
    }

    private mutating func newID() -> [UInt8] {
        var w = ByteWriter(capacity: 36)
        ids.next(into: &w)
        return w.bytes
    }

    private func reference(_ type: StaticString, _ id: [UInt8], into w: inout ByteWriter) {
        w.raw("{\"reference\":\"")
        if urn { w.raw("urn:uuid:") } else { w.raw(type); w.byte(UInt8(ascii: "/")) }
        w.raw(id)
        w.raw("\"}")
    }

    private func head(_ type: StaticString, _ id: [UInt8], into w: inout ByteWriter) {
        w.raw("{\"resourceType\":\""); w.raw(type); w.raw("\",\"id\":\""); w.raw(id); w.raw("\",")
        w.raw(serializer.meta)
    }

    mutating func emit(_ sink: (ResourceType, [UInt8], (inout ByteWriter) -> Void) -> Void) {
        let patientID = Array(timeline.id.utf8)
        var pr = ByteWriter(capacity: 64)
        reference("Patient", patientID, into: &pr)
        patientReference = pr.bytes
        sink(.patient, patientID) { w in writePatient(into: &w) }
        encounterIDs = []
        for event in timeline.events where event.kind == .encounter {
            let id = newID()
            encounterIDs.append(id)
            sink(.encounter, id) { w in
                head("Encounter", id, into: &w)
                w.raw(",\"status\":\"finished\",")
                w.raw("\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",")
                w.raw("\"code\":\"AMB\",\"display\":\"ambulatory\"},\"subject\":")
                w.raw(patientReference)
                w.raw(",\"period\":{\"start\":"); w.date(event.day); w.raw(",\"end\":"); w.date(event.day); w.raw("}}")
            }
        }
        let stops = medicationStops()
        for event in timeline.events {
            switch event.kind {
            case .encounter, .medicationStop: continue
            case .condition: emitCondition(event, sink)
            case .quantity, .codedValue: emitObservation(event, sink)
            case .procedure: emitProcedure(event, sink)
            case .medicationStart: emitMedication(event, stop: stops[event.concept], sink)
            }
        }
        if let death = timeline.death, let cause = timeline.causeOfDeath,
           let concept = serializer.causeOfDeathConcept {
            emitObservation(TimelineEvent(day: death, kind: .codedValue, concept: concept, related: cause), sink)
        }
    }

    private func writePatient(into w: inout ByteWriter) {
        w.raw("{\"resourceType\":\"Patient\",\"id\":\""); w.rawString(timeline.id); w.raw("\",")
        w.raw(serializer.patientMeta)
        w.raw(timeline.sex == .male ? ",\"gender\":\"male\"" : ",\"gender\":\"female\"")
        w.raw(",\"birthDate\":"); w.date(timeline.birth)
        if let death = timeline.death { w.raw(",\"deceasedDateTime\":"); w.date(death) }
        w.byte(UInt8(ascii: "}"))
    }

    /// The stop day of each medication (by concept), paired with its start.
    private func medicationStops() -> [Int32: CalendarDay] {
        var result: [Int32: CalendarDay] = [:]
        for event in timeline.events where event.kind == .medicationStop { result[event.concept] = event.day }
        return result
    }

    private mutating func emitCondition(_ event: TimelineEvent,
                                        _ sink: (ResourceType, [UInt8], (inout ByteWriter) -> Void) -> Void) {
        let id = newID()
        sink(.condition, id) { w in
            head("Condition", id, into: &w)
            w.raw(",\"clinicalStatus\":{\"coding\":[")
            w.raw("{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]}")
            w.raw(",\"verificationStatus\":{\"coding\":[")
            w.raw("{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",")
            w.raw("\"code\":\"confirmed\"}]}")
            w.raw(",\"code\":"); w.raw(serializer.codeFragments[Int(event.concept)])
            w.raw(",\"subject\":"); w.raw(patientReference)
            w.raw(",\"onsetDateTime\":"); w.date(event.day)
            if let recorded = event.recordedDay { w.raw(",\"recordedDate\":"); w.date(recorded) }
            w.byte(UInt8(ascii: "}"))
        }
    }

    private mutating func emitObservation(_ event: TimelineEvent,
                                          _ sink: (ResourceType, [UInt8], (inout ByteWriter) -> Void) -> Void) {
        let id = newID()
        let concept = Int(event.concept)
        sink(.observation, id) { w in
            head("Observation", id, into: &w)
            w.raw(",\"status\":\"final\",")
            if let category = serializer.categoryFragments[concept] { w.raw(category) }
            w.raw("\"code\":"); w.raw(serializer.codeFragments[concept])
            w.raw(",\"subject\":"); w.raw(patientReference)
            if event.ordinal >= 0 && Int(event.ordinal) < encounterIDs.count {
                w.raw(",\"encounter\":"); reference("Encounter", encounterIDs[Int(event.ordinal)], into: &w)
            }
            w.raw(",\"effectiveDateTime\":"); w.date(event.day)
            if event.kind == .quantity {
                w.raw(",\"valueQuantity\":{\"value\":")
                w.decimal(event.value, decimals: serializer.decimals[concept])
                if let unit = serializer.unitFragments[concept] { w.raw(unit) }
                w.byte(UInt8(ascii: "}"))
            } else {
                w.raw(",\"valueCodeableConcept\":"); w.raw(serializer.codeFragments[Int(event.related)])
            }
            w.byte(UInt8(ascii: "}"))
        }
    }

    private mutating func emitProcedure(_ event: TimelineEvent,
                                        _ sink: (ResourceType, [UInt8], (inout ByteWriter) -> Void) -> Void) {
        let id = newID()
        sink(.procedure, id) { w in
            head("Procedure", id, into: &w)
            w.raw(",\"status\":\"completed\",\"code\":"); w.raw(serializer.codeFragments[Int(event.concept)])
            w.raw(",\"subject\":"); w.raw(patientReference)
            w.raw(",\"performedDateTime\":"); w.date(event.day)
            w.byte(UInt8(ascii: "}"))
        }
    }

    private mutating func emitMedication(_ event: TimelineEvent, stop: CalendarDay?,
                                         _ sink: (ResourceType, [UInt8], (inout ByteWriter) -> Void) -> Void) {
        let id = newID()
        let endedByDeath = stop == nil && timeline.death != nil
        let status: StaticString = stop != nil ? "stopped" : endedByDeath ? "completed" : "active"
        let end = stop ?? timeline.death
        sink(.medicationStatement, id) { w in
            head("MedicationStatement", id, into: &w)
            w.raw(",\"status\":\""); w.raw(status); w.raw("\"")
            w.raw(",\"medicationCodeableConcept\":"); w.raw(serializer.codeFragments[Int(event.concept)])
            w.raw(",\"subject\":"); w.raw(patientReference)
            w.raw(",\"effectivePeriod\":{\"start\":"); w.date(event.day)
            if let end { w.raw(",\"end\":"); w.date(end) }
            w.raw("}}")
        }
    }
}
