import DiseaseModeling
import Foundation
import Timelines

extension RecordChecker {
    func builtIn(_ rule: BuiltInRule, _ record: RecordView) -> Findings {
        var found = Findings()
        let t = record.timeline
        switch rule {
        case .beforeBirth:
            if let e = t.events.first(where: { $0.day < t.birth }) {
                found.violations.append("\(name(of: e)) on \(e.day.iso), before birth on \(t.birth.iso)")
            }
        case .afterDeath:
            if let death = t.death, let e = t.events.first(where: { $0.day > death }) {
                found.violations.append("\(name(of: e)) on \(e.day.iso), after death on \(death.iso)")
            }
        case .outsideBounds:
            for (m, measure) in template.measures.enumerated() {
                let tolerance = 0.5 * pow(10, -Double(measure.concept.decimals))
                if let v = record.values[m].first(where: {
                    $0.value < measure.floor - tolerance || $0.value > measure.ceiling + tolerance
                }) {
                    found.violations.append("\(measure.id) \(format(v.value)) on \(v.day.iso), outside "
                        + "\(format(measure.floor))–\(format(measure.ceiling))")
                }
            }
        case .measuredAfterItEnds:
            for (m, measure) in template.measures.enumerated() {
                guard let state = measure.observeUnless, let (label, day) = firstRecorded(state: state, record),
                      let v = record.values[m].first(where: { $0.day > day }) else { continue }
                found.violations.append("\(measure.id) \(format(v.value)) on \(v.day.iso), "
                    + "after \(label) on \(day.iso)")
            }
        case .oneTimeEventRepeated:
            for (e, event) in template.events.enumerated() where !event.recurrent && record.eventDays[e].count > 1 {
                let days = record.eventDays[e].prefix(3).map(\.iso).joined(separator: ", ")
                found.violations.append("\(event.id) recorded on \(record.eventDays[e].count) dates (\(days))")
            }
        case .drugBeforeAvailable:
            for (i, treatment) in template.treatments.enumerated() {
                guard let available = treatment.availableFrom,
                      let start = record.starts[i].first(where: { $0 < available }) else { continue }
                found.violations.append("\(treatment.id) started on \(start.iso), "
                    + "before it was available on \(available.iso)")
            }
        case .testBeforeAvailable:
            for (m, measure) in template.measures.enumerated() {
                guard let available = measure.availableFrom,
                      let v = record.values[m].first(where: { $0.day < available }) else { continue }
                found.violations.append("\(measure.id) \(format(v.value)) on \(v.day.iso), "
                    + "before the test existed on \(available.iso)")
            }
            for (a, attribute) in template.attributes.enumerated() {
                guard let available = attribute.availableFrom, let day = record.attributeDays[a],
                      day < available else { continue }
                found.violations.append("\(attribute.id) on \(day.iso), before the test existed on \(available.iso)")
            }
        case .testBelowMinimumAge:
            for (m, measure) in template.measures.enumerated() where measure.minimumAge > 0 {
                guard let v = record.values[m].first(where: { t.age(on: $0.day) < measure.minimumAge })
                else { continue }
                found.violations.append("\(measure.id) \(format(v.value)) on \(v.day.iso), at age "
                    + "\(String(format: "%.1f", t.age(on: v.day))), below \(format(measure.minimumAge))")
            }
        case .causeWithoutCondition:
            guard let c = record.cause, let death = t.death else { break }
            let cause = template.mortality.causes[c]
            if let day = t.causeOfDeathDay, day != death {
                found.violations.append("cause \(cause.id) dated \(day.iso), not on the death on \(death.iso)")
            }
            let required = cause.requiredEvents
            let preceded = required.contains { record.eventDays[$0].first.map { $0 <= death } ?? false }
            if !required.isEmpty && !preceded {
                let names = required.map { template.events[$0].id }.joined(separator: " or ")
                found.violations.append("death of cause \(cause.id) on \(death.iso) without \(names) recorded")
            }
        case .stopBeforeStart:
            for (i, treatment) in template.treatments.enumerated() {
                guard let stop = record.stops[i].first,
                      record.starts[i].first.map({ stop < $0 }) ?? true else { continue }
                found.violations.append("\(treatment.id) stopped on \(stop.iso) before any start")
            }
        }
        return found
    }

    func templateRule(_ rule: RecordRule, _ record: RecordView) -> Findings {
        var found = Findings()
        switch rule.kind {
        case .valueAfterEvent(let e, let m, let atLeast, let below):
            guard let day = record.eventDays[e].first else { break }
            let measure = template.measures[m]
            if let v = record.values[m].first(where: {
                $0.day >= day && ($0.value < (atLeast ?? -.infinity) || $0.value >= (below ?? .infinity))
            }) {
                found.violations.append("\(measure.id) \(format(v.value)) on \(v.day.iso), after "
                    + "\(template.events[e].id) on \(day.iso)")
            }
        case .fallBetweenVisits(let m, let points, let untreatedOnly):
            let values = record.values[m]
            let measure = template.measures[m]
            for (a, b) in zip(values, values.dropFirst()) {
                if untreatedOnly && (record.isTreated(on: a.day) || record.isTreated(on: b.day)) { continue }
                found.pairs += 1
                // With no true change, the difference of two visits' noise is N(0, 2σ²).
                let sd = (measure.noiseSD * measure.noiseSD
                    + pow(measure.noiseCV * 0.5 * (a.value + b.value), 2)).squareRoot() * 2.0.squareRoot()
                let p = sd > 0 ? 0.5 * erfc(points / sd / 2.0.squareRoot()) : 0
                found.expected += p
                found.variance += p * (1 - p)
                guard a.value - b.value > points else { continue }
                found.falls += 1
                if found.violations.isEmpty {
                    found.violations.append("\(measure.id) fell from \(format(a.value)) on \(a.day.iso) to "
                        + "\(format(b.value)) on \(b.day.iso)")
                }
            }
        }
        return found
    }

    /// The first day the event (or treatment) behind a template state was recorded.
    private func firstRecorded(state: Int, _ record: RecordView) -> (String, CalendarDay)? {
        for (e, event) in template.events.enumerated() where template.stateIndex(ofEvent: e) == state {
            return record.eventDays[e].first.map { (event.id, $0) }
        }
        for (t, treatment) in template.treatments.enumerated() where template.stateIndex(ofTreatment: t) == state {
            return record.starts[t].first.map { (treatment.id, $0) }
        }
        return nil
    }

    private func name(of event: TimelineEvent) -> String {
        concepts.table[event.concept].text
    }

    func format(_ x: Double) -> String {
        x.isInfinite ? (x > 0 ? "∞" : "−∞") : String(format: "%g", x)
    }
}
