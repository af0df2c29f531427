import DiseaseModeling
import Serialization
import Timelines

/// One CSV line, field by field: each call writes one field (an empty one is NULL to `COPY`).
struct CSVLine {
    var w: ByteWriter
    private var started = false

    init(capacity: Int = 128) { w = ByteWriter(capacity: capacity) }

    private mutating func separate() {
        if started { w.byte(UInt8(ascii: ",")) } else { started = true }
    }

    mutating func int(_ value: Int?) {
        separate()
        if let value { w.integer(value) }
    }

    mutating func concept(_ id: Int32?) { int(id.map(Int.init)) }

    mutating func date(_ day: CalendarDay?) {
        separate()
        if let day { let c = day.components; w.isoDate(year: c.year, month: c.month, day: c.day) }
    }

    mutating func decimal(_ value: Double, decimals: Int) {
        separate()
        w.decimal(value, decimals: decimals)
    }

    mutating func number(_ value: Double?) {
        separate()
        if let value { w.number(value) }
    }

    /// A text field cut to the column's width, quoted when it holds a comma, quote or line break.
    mutating func text(_ value: String?, width: Int = 50) {
        separate()
        guard let value, !value.isEmpty else { return }
        let cut = value.count > width ? String(value.prefix(width)) : value
        w.rawString(csvField(cut))
    }

    mutating func null(_ count: Int = 1) {
        for _ in 0..<count { separate() }
    }

    /// Ends the line and appends it to `out`.
    mutating func finish(into out: inout ByteWriter) {
        w.byte(0x0A)
        out.raw(w.bytes)
    }
}

extension OMOPRowWriter {
    func visit(_ event: TimelineEvent, id: Int, person: Int, preceding: Int?, into out: inout ByteWriter) {
        var line = CSVLine()
        line.int(id); line.int(person); line.concept(OMOPConceptMap.outpatientVisit.id)
        line.date(event.day); line.null(); line.date(event.day); line.null()
        line.concept(OMOPConceptMap.ehr.id); line.null(2); line.text("AMB"); line.null(5); line.int(preceding)
        line.finish(into: &out)
    }

    func condition(_ row: Row, into out: inout ByteWriter) {
        let t = targets[Int(row.event.concept)]
        var line = CSVLine()
        line.int(row.id); line.int(row.person); line.concept(t.conceptID); line.date(row.event.day); line.null(3)
        line.concept(OMOPConceptMap.ehr.id); line.null(3); line.int(row.visit); line.null()
        line.text(t.sourceValue); line.concept(t.sourceConceptID); line.null()
        line.finish(into: &out)
    }

    func procedure(_ row: Row, into out: inout ByteWriter) {
        let t = targets[Int(row.event.concept)]
        var line = CSVLine()
        line.int(row.id); line.int(row.person); line.concept(t.conceptID); line.date(row.event.day); line.null(3)
        line.concept(OMOPConceptMap.ehr.id); line.null(3); line.int(row.visit); line.null()
        line.text(t.sourceValue); line.concept(t.sourceConceptID); line.null()
        line.finish(into: &out)
    }

    /// A course of treatment: the end date is the stop, else death, else the end of the record
    /// (the column may not be empty); `verbatim_end_date` only when the record says it stopped.
    func drug(_ row: Row, stop: CalendarDay?, timeline: PatientTimeline, into out: inout ByteWriter) {
        let t = targets[Int(row.event.concept)]
        let end = stop ?? timeline.death ?? timeline.followUpEnd
        var line = CSVLine()
        line.int(row.id); line.int(row.person); line.concept(t.conceptID); line.date(row.event.day); line.null()
        line.date(max(end, row.event.day)); line.null(); line.date(stop); line.concept(OMOPConceptMap.ehr.id)
        line.null(8); line.int(row.visit); line.null(); line.text(t.sourceValue); line.concept(t.sourceConceptID)
        line.null(2)
        line.finish(into: &out)
    }

    func measurement(_ row: Row, timeline: PatientTimeline, into out: inout ByteWriter) {
        let t = targets[Int(row.event.concept)]
        let bounds = t.range?.bounds(for: timeline.sex, atAge: timeline.age(on: row.event.day))
        var line = CSVLine()
        line.int(row.id); line.int(row.person); line.concept(t.conceptID); line.date(row.event.day); line.null(2)
        line.concept(OMOPConceptMap.ehr.id); line.null(); line.decimal(row.event.value, decimals: t.decimals)
        line.null(); line.concept(t.unitConceptID); line.number(bounds?.low); line.number(bounds?.high); line.null()
        line.int(row.visit); line.null(); line.text(t.sourceValue); line.concept(t.sourceConceptID)
        line.text(t.unitSource); line.null(4)
        line.finish(into: &out)
    }

    /// An attribute (a repeat length, a genotype or phenotype), or a finding whose standard concept
    /// lies in the Observation domain.
    func observation(_ row: Row, into out: inout ByteWriter) {
        let t = targets[Int(row.event.concept)]
        var line = CSVLine()
        line.int(row.id); line.int(row.person); line.concept(t.conceptID); line.date(row.event.day); line.null()
        line.concept(OMOPConceptMap.ehr.id)
        switch row.event.kind {
        case .quantity:
            line.decimal(row.event.value, decimals: t.decimals); line.null(3); line.concept(t.unitConceptID)
        case .codedValue:
            let answer = targets[Int(row.event.related)]
            line.null(); line.text(answer.text, width: 60); line.concept(OMOPConceptMap.noMatchingConcept.id)
            line.null(2)
        default:
            line.null(5)
        }
        line.null(); line.int(row.visit); line.null(); line.text(t.sourceValue); line.concept(t.sourceConceptID)
        line.text(row.event.kind == .quantity ? t.unitSource : nil); line.null()
        line.text(row.event.kind == .codedValue ? targets[Int(row.event.related)].sourceValue : nil); line.null(2)
        line.finish(into: &out)
    }

    func person(_ timeline: PatientTimeline, id: Int, into rows: inout OMOPRows) {
        let birth = timeline.birth.components
        let gender = timeline.sex == .male ? OMOPConceptMap.male : OMOPConceptMap.female
        var line = CSVLine()
        line.int(id); line.concept(gender.id); line.int(birth.year); line.int(birth.month); line.int(birth.day)
        line.null(); line.concept(OMOPConceptMap.noMatchingConcept.id); line.concept(OMOPConceptMap.noMatchingConcept.id)
        line.null(3); line.text(timeline.id); line.text(timeline.sex.rawValue); line.concept(0); line.null(4)
        line.finish(into: &rows.writers[OMOPTable.person.rawValue])
        rows.counts[OMOPTable.person.rawValue] += 1
    }

    func death(_ timeline: PatientTimeline, day: CalendarDay, person: Int, into rows: inout OMOPRows) {
        let cause = timeline.causeOfDeath.map { targets[Int($0)] }
        var line = CSVLine()
        line.int(person); line.date(day); line.null(); line.concept(OMOPConceptMap.ehr.id)
        line.concept(cause.map { $0.conceptID }); line.text(cause?.sourceValue); line.concept(cause?.sourceConceptID)
        line.finish(into: &rows.writers[OMOPTable.death.rawValue])
        rows.counts[OMOPTable.death.rawValue] += 1
    }
}
