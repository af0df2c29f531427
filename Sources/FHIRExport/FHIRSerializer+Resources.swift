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
        func writeID(_ id: ResourceID, _ w: inout ByteWriter) {
            if id.isPatient { w.rawString(timeline.id) } else { id.write(into: &w) }
        }
        var emitter = ResourceEmitter(serializer: self, timeline: timeline, urn: true)
        emitter.emit { type, id, write in
            if count > 0 { w.byte(UInt8(ascii: ",")) }
            count += 1
            counts[type.rawValue] += 1
            w.raw("{\"fullUrl\":\"urn:uuid:")
            writeID(id, &w)
            w.raw("\",\"resource\":")
            write(&w)
            if transaction {
                w.raw(",\"request\":{\"method\":\"PUT\",\"url\":\"")
                w.rawString(type.name)
                w.byte(UInt8(ascii: "/"))
                writeID(id, &w)
                w.raw("\"}")
            }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("]}")
        return (w.bytes, counts)
    }
}

/// Writes the resources of one patient in a fixed order, handing each to a sink.
///
/// The hot path of every FHIR export: a resource is its few fixed fragments (precomputed per
/// concept by the serializer) with the ids, dates and values between them, appended in one
/// piece each; ids are 128-bit values, written as text where they appear.
struct ResourceEmitter {
    typealias Sink = (ResourceType, ResourceID, (inout ByteWriter) -> Void) -> Void

    let serializer: FHIRSerializer
    let timeline: PatientTimeline
    let urn: Bool
    private var ids: ResourceIdentifiers
    private var patientReference: [UInt8] = []
    private var encounterIDs: [ResourceID] = []

    init(serializer: FHIRSerializer, timeline: PatientTimeline, urn: Bool) {
        self.serializer = serializer
        self.timeline = timeline
        self.urn = urn
        ids = ResourceIdentifiers(patientID: timeline.id)
    }

    /// `{"resourceType":"Type","id":"…` up to the id's closing quote (not written).
    private func head(_ prefix: StaticString, _ id: ResourceID, into w: inout ByteWriter) {
        w.raw(prefix)
        id.write(into: &w)
    }

    mutating func emit(_ sink: Sink) {
        var pr = ByteWriter(capacity: 96)
        pr.raw("{\"reference\":\"")
        pr.raw(urn ? "urn:uuid:" : "Patient/")
        pr.rawString(timeline.id)
        pr.raw("\"}")
        patientReference = pr.bytes
        sink(.patient, .patient) { w in writePatient(into: &w) }
        encounterIDs = []
        encounterIDs.reserveCapacity(timeline.events.count / 4)
        for event in timeline.events where event.kind == .encounter {
            let id = ids.next()
            encounterIDs.append(id)
            sink(.encounter, id) { w in
                head("{\"resourceType\":\"Encounter\",\"id\":\"", id, into: &w)
                w.raw("\","); w.raw(serializer.meta)
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

    private mutating func emitCondition(_ event: TimelineEvent, _ sink: Sink) {
        let id = ids.next()
        sink(.condition, id) { w in
            head("{\"resourceType\":\"Condition\",\"id\":\"", id, into: &w)
            w.raw(serializer.conditionMiddle[Int(event.concept)])
            w.raw(patientReference)
            w.raw(",\"onsetDateTime\":"); w.date(event.day)
            if let recorded = event.recordedDay { w.raw(",\"recordedDate\":"); w.date(recorded) }
            w.byte(UInt8(ascii: "}"))
        }
    }

    private mutating func emitObservation(_ event: TimelineEvent, _ sink: Sink) {
        let id = ids.next()
        let concept = Int(event.concept)
        sink(.observation, id) { w in
            head("{\"resourceType\":\"Observation\",\"id\":\"", id, into: &w)
            w.raw(serializer.observationMiddle[concept])
            w.raw(patientReference)
            if event.ordinal >= 0 && Int(event.ordinal) < encounterIDs.count {
                w.raw(urn ? ",\"encounter\":{\"reference\":\"urn:uuid:" : ",\"encounter\":{\"reference\":\"Encounter/")
                encounterIDs[Int(event.ordinal)].write(into: &w)
                w.raw("\"}")
            }
            w.raw(",\"effectiveDateTime\":"); w.date(event.day)
            if event.kind == .quantity {
                w.raw(",\"valueQuantity\":{\"value\":")
                w.decimal(event.value, decimals: serializer.decimals[concept])
                w.raw(serializer.quantityTail[concept])
            } else {
                w.raw(",\"valueCodeableConcept\":"); w.raw(serializer.codeFragments[Int(event.related)])
                w.byte(UInt8(ascii: "}"))
            }
        }
    }

    private mutating func emitProcedure(_ event: TimelineEvent, _ sink: Sink) {
        let id = ids.next()
        sink(.procedure, id) { w in
            head("{\"resourceType\":\"Procedure\",\"id\":\"", id, into: &w)
            w.raw(serializer.procedureMiddle[Int(event.concept)])
            w.raw(patientReference)
            w.raw(",\"performedDateTime\":"); w.date(event.day)
            w.byte(UInt8(ascii: "}"))
        }
    }

    private mutating func emitMedication(_ event: TimelineEvent, stop: CalendarDay?, _ sink: Sink) {
        let id = ids.next()
        let endedByDeath = stop == nil && timeline.death != nil
        let status: StaticString = stop != nil ? "stopped" : endedByDeath ? "completed" : "active"
        let end = stop ?? timeline.death
        sink(.medicationStatement, id) { w in
            head("{\"resourceType\":\"MedicationStatement\",\"id\":\"", id, into: &w)
            w.raw("\","); w.raw(serializer.meta)
            w.raw(",\"status\":\""); w.raw(status); w.raw("\"")
            w.raw(serializer.medicationMiddle[Int(event.concept)])
            w.raw(patientReference)
            w.raw(",\"effectivePeriod\":{\"start\":"); w.date(event.day)
            if let end { w.raw(",\"end\":"); w.date(end) }
            w.raw("}}")
        }
    }
}
