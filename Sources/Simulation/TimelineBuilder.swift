import DiseaseModeling
import Foundation
import Randomness
import Timelines

/// Turns a latent course into the record a clinic would hold: visits on a schedule (with jitter
/// and missed visits), noisy observations at those visits, diagnoses, complications, treatments,
/// all cut at the end of follow-up.
struct TimelineBuilder {
    let template: DiseaseTemplate
    let concepts: TemplateConcepts

    /// Visit ages from the schedule: nominal times on the current rule's interval, jittered.
    ///
    /// Every nominal slot draws its jitter and its missed-visit flag whether or not it falls before
    /// the end of follow-up, and slots are drawn until well past it, so a later end date only adds
    /// visits: the record up to an earlier end date is the same.
    func visitAges(for course: LatentCourse, from start: Double? = nil, until endAge: Double,
                   rng: inout RandomStream) -> [Double] {
        let schedule = template.visits
        guard let first = start ?? course.entryAge(of: schedule.fromState), first < endAge else { return [] }
        var ages: [Double] = [first]
        var nominal = first
        let jitterYears = schedule.jitterDays / CalendarDay.daysPerYear
        let minimumGap = 2 / CalendarDay.daysPerYear
        while ages.count < 2_000 {
            nominal += interval(at: nominal, course: course)
            if nominal - 5 * jitterYears >= endAge { break }
            let jitter = jitterYears > 0 ? rng.nextNormal() * jitterYears : 0
            let missed = rng.nextUnit() < schedule.missProbability
            let age = max(nominal + jitter, ages[ages.count - 1] + minimumGap)
            if !missed && age < endAge { ages.append(age) }
        }
        return ages
    }

    /// The interval of the first visit rule that applies at `age`.
    func interval(at age: Double, course: LatentCourse) -> Double {
        for rule in template.visits.rules {
            guard let s = rule.state else { return rule.intervalYears }
            guard course.isActive(state: s, atAge: age), let entry = course.entryAge(of: s) else { continue }
            if let within = rule.withinYears, age - entry >= within { continue }
            return rule.intervalYears
        }
        return template.visits.rules.last?.intervalYears ?? 1
    }

    /// Builds the patient's timeline up to `endAge` (death or end of follow-up).
    func timeline(id: String, course: LatentCourse, visits: [Double], endAge: Double,
                  noise rng: inout RandomStream) -> PatientTimeline {
        let birth = course.birth
        func day(_ age: Double) -> CalendarDay { birth.adding(years: age) }
        var events: [TimelineEvent] = []
        events.reserveCapacity(visits.count * (template.measures.count + 1) + 16)
        let diagnosisAge = course.entryAge(of: DiseaseTemplate.diagnosisState)
        if let d = diagnosisAge, d <= endAge {
            let onset = course.entryAge(of: DiseaseTemplate.onsetState)
            events.append(TimelineEvent(day: day(onset.map { min($0, d) } ?? d), kind: .condition,
                                        concept: concepts.condition, related: day(d).daysSinceEpoch))
        }
        for (age, e) in course.eventOccurrences where age <= endAge {
            let event = template.events[e]
            switch event.record {
            case .condition: events.append(TimelineEvent(day: day(age), kind: .condition, concept: concepts.events[e]))
            case .procedure: events.append(TimelineEvent(day: day(age), kind: .procedure, concept: concepts.events[e]))
            case .none: break
            }
        }
        for (t, treatment) in template.treatments.enumerated() {
            let state = template.stateIndex(ofTreatment: t)
            guard let start = course.entryAge(of: state), start <= endAge else { continue }
            let kind: TimelineEvent.Kind = treatment.record == .procedure ? .procedure : .medicationStart
            events.append(TimelineEvent(day: day(start), kind: kind, concept: concepts.treatments[t]))
            if kind == .medicationStart, let stop = course.exitAge(of: state, after: start), stop <= endAge {
                events.append(TimelineEvent(day: day(stop), kind: .medicationStop, concept: concepts.treatments[t]))
            }
        }
        for (ordinal, age) in visits.enumerated() {
            let visitDay = day(age)
            let encounter = Int32(ordinal)
            events.append(TimelineEvent(day: visitDay, kind: .encounter, concept: -1, ordinal: encounter))
            if ordinal == 0 { appendAttributes(course, visitDay, &events) }
            for (m, measure) in template.measures.enumerated() {
                if let from = measure.observeFrom, !(course.entryAge(of: from).map { $0 <= age } ?? false) { continue }
                if ordinal % measure.observeEvery != 0 { continue }
                if let unless = measure.observeUnless, course.isActive(state: unless, atAge: age) { continue }
                // Draw both numbers always, so one measure's schedule does not shift another's noise.
                let observed = rng.nextUnit() < measure.observeProbability
                let z = rng.nextNormal()
                guard observed else { continue }
                let truth = course.value(ofMeasure: m, atAge: age)
                let sd = (measure.noiseSD * measure.noiseSD + pow(measure.noiseCV * truth, 2)).squareRoot()
                let scale = pow(10, Double(measure.concept.decimals))
                let value = (min(max(truth + sd * z, measure.floor), measure.ceiling) * scale).rounded() / scale
                events.append(TimelineEvent(day: visitDay, kind: .quantity, concept: concepts.measures[m],
                                            ordinal: encounter, value: value))
            }
        }
        events.sort { a, b in
            a.day != b.day ? a.day < b.day : a.kind.rawValue < b.kind.rawValue
        }
        let death: CalendarDay? = course.deathAge <= endAge ? day(course.deathAge) : nil
        return PatientTimeline(id: id, sex: course.sex, birth: birth, death: death,
                               followUpEnd: death ?? day(endAge), attributes: attributeValues(course), events: events)
    }

    private func appendAttributes(_ course: LatentCourse, _ visitDay: CalendarDay, _ events: inout [TimelineEvent]) {
        for (i, attribute) in template.attributes.enumerated() where attribute.recordedAtFirstVisit {
            if attribute.isCategorical {
                let v = course.context.categories[i]
                events.append(TimelineEvent(day: visitDay, kind: .codedValue, concept: concepts.attributes[i],
                                            ordinal: 0, related: concepts.attributeValues[i][v]))
            } else {
                events.append(TimelineEvent(day: visitDay, kind: .quantity, concept: concepts.attributes[i],
                                            ordinal: 0, value: course.context.numbers[i]))
            }
        }
    }

    func attributeValues(_ course: LatentCourse) -> [AttributeValue] {
        template.attributes.enumerated().map { i, attribute in
            if attribute.isCategorical {
                AttributeValue(name: attribute.id, value: .category(attribute.categoryValues[course.context.categories[i]]))
            } else {
                AttributeValue(name: attribute.id, value: .number(course.context.numbers[i]))
            }
        }
    }
}
