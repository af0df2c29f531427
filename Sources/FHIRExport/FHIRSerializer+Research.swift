import Serialization
import Timelines

/// A research study as written to a `ResearchStudy` resource.
package struct ResearchStudyDescription: Sendable {
    /// An arm of the study (`ResearchStudy.arm`).
    package struct Arm: Sendable {
        package var name: String
        package var description: String

        /// An arm called `name` (the code ResearchSubject.assignedArm refers to).
        package init(name: String, description: String) {
            self.name = name
            self.description = description
        }
    }

    /// The trial's own identifier (also hashed into the resource id).
    package var identifier: String
    package var title: String
    /// A FHIR ResearchStudy status, e.g. `completed`.
    package var status: String
    package var description: String
    package var arms: [Arm]
    /// The concept (in the serializer's table) of the condition studied.
    package var condition: Int32?

    /// A study description; `condition` is a concept index in the serializer's table.
    package init(identifier: String, title: String, status: String = "completed", description: String,
                arms: [Arm], condition: Int32?) {
        self.identifier = identifier
        self.title = title
        self.status = status
        self.description = description
        self.arms = arms
        self.condition = condition
    }

    /// The resource id: a UUID hashed from the identifier.
    package var resourceID: String {
        var w = ByteWriter(capacity: 36)
        var ids = ResourceIdentifiers(patientID: "ResearchStudy/" + identifier)
        ids.next(into: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}

extension FHIRSerializer {
    /// The system of `ResearchStudy.identifier`.
    package static let trialIdentifierSystem = "urn:zebra:trial"

    /// A `ResearchStudy` resource (one ndjson line, without the newline).
    package func researchStudy(_ study: ResearchStudyDescription) -> [UInt8] {
        var w = ByteWriter(capacity: 1_024)
        w.raw("{\"resourceType\":\"ResearchStudy\",\"id\":\""); w.rawString(study.resourceID); w.raw("\",")
        w.raw(meta)
        w.raw(",\"identifier\":[{\"system\":"); w.jsonString(Self.trialIdentifierSystem)
        w.raw(",\"value\":"); w.jsonString(study.identifier); w.raw("}]")
        w.raw(",\"title\":"); w.jsonString(study.title)
        w.raw(",\"status\":"); w.jsonString(study.status)
        if let c = study.condition, c >= 0, Int(c) < codeFragments.count {
            w.raw(",\"condition\":["); w.raw(codeFragments[Int(c)]); w.raw("]")
        }
        if !study.description.isEmpty { w.raw(",\"description\":"); w.jsonString(study.description) }
        if !study.arms.isEmpty {
            w.raw(",\"arm\":[")
            for (i, arm) in study.arms.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"name\":"); w.jsonString(arm.name)
                if !arm.description.isEmpty { w.raw(",\"description\":"); w.jsonString(arm.description) }
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
        }
        w.byte(UInt8(ascii: "}"))
        return w.bytes
    }

    /// A `ResearchSubject` placing a patient in an arm of a study (one ndjson line, no newline).
    /// - Parameters:
    ///   - status: a ResearchSubject status, e.g. `on-study` or `off-study`.
    ///   - start: the index date (time zero), written as `period.start`.
    package func researchSubject(study: ResearchStudyDescription, patientID: String, arm: String,
                                status: String = "on-study", start: CalendarDay? = nil,
                                end: CalendarDay? = nil) -> [UInt8] {
        var w = ByteWriter(capacity: 512)
        var ids = ResourceIdentifiers(patientID: patientID + "#ResearchSubject/" + study.identifier)
        w.raw("{\"resourceType\":\"ResearchSubject\",\"id\":\""); ids.next(into: &w); w.raw("\",")
        w.raw(meta)
        w.raw(",\"status\":"); w.jsonString(status)
        if let start {
            w.raw(",\"period\":{\"start\":"); w.date(start)
            if let end { w.raw(",\"end\":"); w.date(end) }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw(",\"study\":{\"reference\":\"ResearchStudy/"); w.rawString(study.resourceID); w.raw("\"}")
        w.raw(",\"individual\":{\"reference\":\"Patient/"); w.rawString(patientID); w.raw("\"}")
        w.raw(",\"assignedArm\":"); w.jsonString(arm)
        w.raw(",\"actualArm\":"); w.jsonString(arm)
        w.byte(UInt8(ascii: "}"))
        return w.bytes
    }
}
