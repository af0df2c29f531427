import DiseaseModeling
import Timelines

extension CaseRecord {
    /// Where the record shows `finding`, or nil when it does not.
    package func span(of finding: Finding) -> FindingSpan? {
        switch finding {
        case .delay(let years):
            guard let onset, let diagnosis, let delay, delay >= years else { return nil }
            return FindingSpan(from: onset, to: diagnosis)
        case let .untreated(measure, above, below, years, treatment, before):
            return untreatedRun(measure, above: above, below: below, years: years, treatment: treatment,
                                until: before.flatMap { events[$0] })
        case let .eventBeforeAvailableTreatment(event, treatment):
            guard let day = events[event], let available = availability(treatment), day >= available else { return nil }
            if let start = treatmentStarts[treatment]?.first, start <= day { return nil }
            return FindingSpan(from: day, to: day)
        }
    }

    /// The first run of consecutive measured visits beyond the threshold, while the treatment was
    /// available, allowed at the patient's age and not under way, that spans at least `years`.
    private func untreatedRun(_ id: String, above: Double?, below: Double?, years: Double, treatment: String,
                              until: CalendarDay?) -> FindingSpan? {
        guard let m = template.measures.firstIndex(where: { $0.id == id }),
              let t = template.treatments.first(where: { $0.id == treatment }) else { return nil }
        var run: [(day: CalendarDay, value: Double)] = []
        for point in values(of: m) where until.map({ point.day < $0 }) ?? true {
            let beyond = above.map { point.value > $0 } ?? below.map { point.value < $0 } ?? false
            let open = (t.availableFrom.map { point.day >= $0 } ?? true) && age(on: point.day) >= t.minimumAge
                && !isTreated(treatment, on: point.day)
            if beyond && open {
                run.append(point)
                if let first = run.first, first.day.years(to: point.day) >= years {
                    return FindingSpan(from: first.day, to: point.day, measure: m, firstValue: first.value,
                                       lastValue: point.value)
                }
            } else {
                run.removeAll()
            }
        }
        return nil
    }
}
