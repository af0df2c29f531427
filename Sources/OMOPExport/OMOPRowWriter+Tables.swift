import DiseaseModeling
import Serialization
import Timelines

extension CSVLine {
    mutating func date(_ day: CalendarDay?) {
        let c = day?.components
        date(year: c?.year, month: c?.month, day: c?.day)
    }

    mutating func concept(_ id: Int32?) { int(id.map(Int.init)) }
}

extension OMOPRowWriter {
    func visit(_ event: TimelineEvent, id: Int, person: Int, preceding: Int?, into out: inout ByteWriter) {
        var line = CSVLine()
        line.int(id); line.int(person); line.concept(OMOPConceptMap.outpatientVisit.id)
        line.date(event.day); line.null(); line.date(event.day); line.null()
        line.concept(OMOPConceptMap.ehr.id); line.null(2); line.text("AMB", width: 50); line.null(5); line.int(preceding)
        line.finish(into: &out)
    }

    /// A condition_occurrence or procedure_occurrence row: the two tables put the fields Zebra
    /// fills (id, person, concept, date, type, visit, source value and concept) in the same columns.
    func occurrence(_ row: Row, into out: inout ByteWriter) {
        let t = targets[Int(row.event.concept)]
        var line = CSVLine()
        line.int(row.id); line.int(row.person); line.concept(t.conceptID); line.date(row.event.day); line.null(3)
        line.concept(OMOPConceptMap.ehr.id); line.null(3); line.int(row.visit); line.null()
        line.text(t.sourceValue, width: 50); line.concept(t.sourceConceptID); line.null()
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
        line.null(8); line.int(row.visit); line.null(); line.text(t.sourceValue, width: 50); line.concept(t.sourceConceptID)
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
        line.int(row.visit); line.null(); line.text(t.sourceValue, width: 50); line.concept(t.sourceConceptID)
        line.text(t.unitSource, width: 50); line.null(4)
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
        line.null(); line.int(row.visit); line.null(); line.text(t.sourceValue, width: 50); line.concept(t.sourceConceptID)
        line.text(row.event.kind == .quantity ? t.unitSource : nil, width: 50); line.null()
        line.text(row.event.kind == .codedValue ? targets[Int(row.event.related)].sourceValue : nil, width: 50); line.null(2)
        line.finish(into: &out)
    }

    func person(_ timeline: PatientTimeline, id: Int, into rows: inout OMOPRows) {
        let birth = timeline.birth.components
        let gender = timeline.sex == .male ? OMOPConceptMap.male : OMOPConceptMap.female
        var line = CSVLine()
        line.int(id); line.concept(gender.id); line.int(birth.year); line.int(birth.month); line.int(birth.day)
        line.null(); line.concept(OMOPConceptMap.noMatchingConcept.id); line.concept(OMOPConceptMap.noMatchingConcept.id)
        line.null(3); line.text(timeline.id, width: 50); line.text(timeline.sex.rawValue, width: 50); line.concept(0); line.null(4)
        line.finish(into: &rows.writers[OMOPTable.person.rawValue])
        rows.counts[OMOPTable.person.rawValue] += 1
    }

    func death(_ timeline: PatientTimeline, day: CalendarDay, person: Int, into rows: inout OMOPRows) {
        let cause = timeline.causeOfDeath.map { targets[Int($0)] }
        var line = CSVLine()
        line.int(person); line.date(day); line.null(); line.concept(OMOPConceptMap.ehr.id)
        line.concept(cause.map { $0.conceptID }); line.text(cause?.sourceValue, width: 50); line.concept(cause?.sourceConceptID)
        line.finish(into: &rows.writers[OMOPTable.death.rawValue])
        rows.counts[OMOPTable.death.rawValue] += 1
    }
}
