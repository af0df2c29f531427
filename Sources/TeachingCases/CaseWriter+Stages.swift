import DiseaseModeling
import RecordDisplay
import Timelines

extension CaseWriter {
    /// Management in steps: the first visit in each window after diagnosis (0, 2, 5, 10, … years),
    /// with what was recorded since the previous step and the decisions that followed.
    func stages(_ r: CaseRecord, from diagnosis: CalendarDay, fill: (String, String?) -> String?)
        -> [TeachingCase.Stage] {
        var out: [TeachingCase.Stage] = []
        var last: CalendarDay?
        for (i, years) in Self.stageYears.enumerated() {
            let start = diagnosis.adding(years: years)
            let end = i + 1 < Self.stageYears.count ? diagnosis.adding(years: Self.stageYears[i + 1]) : nil
            guard let visit = r.visits.first(where: { v in v.day >= start && (end.map { v.day < $0 } ?? true) }) else {
                continue
            }
            let elapsed = Int(diagnosis.years(to: visit.day).rounded(.down))
            var stage = TeachingCase.Stage(
                title: (years == 0 ? "At diagnosis" : "\(elapsed) year\(elapsed == 1 ? "" : "s") after diagnosis")
                    + ", age \(Placeholders.age(r.age(on: visit.day))) (\(visit.day.components.year))",
                day: visit.day, results: [], happenings: [], decisions: [], treatments: [])
            let (happenings, decisions) = happened(r, after: last, upTo: visit.day, fill: fill)
            stage.happenings = happenings
            stage.decisions = decisions
            if years == 0 {
                stage.decisions += material.plan.filter { r.holds($0.when) }.compactMap { fill($0.text, $0.source) }
            }
            for (m, measure) in template.measures.enumerated() {
                guard let v = visit.values[m] else { continue }
                stage.results.append(.init(PatientView.shown(v, measure: measure, sex: r.timeline.sex,
                                                                       age: r.age(on: visit.day)), day: visit.day))
            }
            stage.treatments = template.treatments.filter { r.isTreated($0.id, on: visit.day) }.map(\.concept.text)
            guard years == 0 || !stage.results.isEmpty || !stage.happenings.isEmpty else { continue }
            out.append(stage)
            last = visit.day
        }
        return out
    }

    /// What happened after the last step: events, treatments, and death or the end of the record.
    func outcome(_ r: CaseRecord, fill: (String) -> String?) -> String {
        let lastStage = stageDays(r).last
        let (happenings, decisions) = happened(r, after: lastStage, upTo: r.timeline.followUpEnd,
                                               fill: { t, _ in fill(t) })
        var parts = happenings + decisions
        if let death = r.timeline.death {
            let cause = r.causeOfDeath != nil ? "; recorded cause: {death.cause}" : ""
            parts.append(fill("Died at age {death.age} ({death.year})\(cause).") ?? "Died on \(death.iso).")
        } else {
            let end = r.timeline.followUpEnd
            parts.append("Alive at the end of the record, age \(Placeholders.age(r.age(on: end))) "
                + "(\(end.components.year)), after \(r.visits.count) visits.")
        }
        return parts.joined(separator: " ")
    }

    /// The visit days the stages use.
    private func stageDays(_ r: CaseRecord) -> [CalendarDay] {
        guard let diagnosis = r.diagnosis else { return [] }
        return stages(r, from: diagnosis, fill: { _, _ in "" }).map(\.day)
    }

    /// Events and treatment changes recorded after `after` (or ever, when nil) up to `upTo`, with
    /// the decision each called for.
    private func happened(_ r: CaseRecord, after: CalendarDay?, upTo: CalendarDay,
                          fill: (String, String?) -> String?) -> (happenings: [String], decisions: [String]) {
        var dated: [(CalendarDay, String, String?)] = []
        func inWindow(_ d: CalendarDay) -> Bool { after.map { d > $0 } ?? true && d <= upTo }
        for e in template.events {
            guard let day = r.events[e.id], inWindow(day) else { continue }
            let text = fill("\(e.concept.text) recorded at age {event.\(e.id).age} ({event.\(e.id).year}).", nil)
            let decision = material.decisions[e.id].flatMap { r.holds($0.when) ? fill($0.text, $0.source) : nil }
            if let text { dated.append((day, text, decision)) }
        }
        for t in template.treatments {
            for (k, start) in (r.treatmentStarts[t.id] ?? []).enumerated() where inWindow(start) {
                let age = Placeholders.age(r.age(on: start))
                let text = k == 0 ? fill("Started \(t.concept.text) at age {treatment.\(t.id).age} "
                                         + "({treatment.\(t.id).year}).", nil)
                    : "Restarted \(t.concept.text) at age \(age) (\(start.components.year))."
                let planned = material.decisions[t.id]
                let decision = k == 0 ? planned.flatMap { r.holds($0.when) ? fill($0.text, $0.source) : nil } : nil
                if let text { dated.append((start, text, decision)) }
            }
            for stop in r.treatmentStops[t.id] ?? [] where inWindow(stop) {
                dated.append((stop, "Stopped \(t.concept.text) at age \(Placeholders.age(r.age(on: stop))) "
                    + "(\(stop.components.year)).", nil))
            }
        }
        dated.sort { $0.0 < $1.0 }
        return (dated.map(\.1), dated.compactMap(\.2))
    }
}
