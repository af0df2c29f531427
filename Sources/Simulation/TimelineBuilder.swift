import DiseaseModeling
import Foundation
import Randomness
import Timelines

/// Turns a latent course into the record a clinic would hold: visits on a schedule (with jitter
/// and missed visits), noisy observations at those visits, diagnoses, complications, treatments,
/// all cut at the end of follow-up.
package struct TimelineBuilder: Sendable {
    package let template: DiseaseTemplate
    package let concepts: TemplateConcepts

    package init(template: DiseaseTemplate, concepts: TemplateConcepts) {
        self.template = template
        self.concepts = concepts
    }

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

    /// Builds the patient's timeline up to `endAge`: observations at the visits with the
    /// template's measurement noise, events as the course had them.
    func timeline(id: String, course: LatentCourse, visits: [Double], endAge: Double,
                  noise rng: inout RandomStream) -> PatientTimeline {
        timeline(id: id, course: course, visits: observe(course, at: visits, noise: &rng),
                 eventOccurrences: course.eventOccurrences, endAge: endAge)
    }

    /// Values recorded at each visit: the noise-free value plus measurement noise, clamped and
    /// rounded, for the measures the schedule and chance record.
    func observe(_ course: LatentCourse, at visits: [Double], noise rng: inout RandomStream) -> [RecordedVisit] {
        visits.enumerated().map { ordinal, age in
            var values = [Double](repeating: .nan, count: template.measures.count)
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
                values[m] = recordable(truth + sd * z, measure: m)
            }
            return RecordedVisit(age: age, values: values)
        }
    }

    /// A value as a record holds it: within the measure's range, rounded to its decimals.
    package func recordable(_ value: Double, measure m: Int) -> Double {
        let measure = template.measures[m]
        let scale = pow(10, Double(measure.concept.decimals))
        return (min(max(value, measure.floor), measure.ceiling) * scale).rounded() / scale
    }

    /// Builds a timeline from a course (who, diagnosis, treatments, death), the visits with their
    /// recorded values, and the event occurrences to record, all cut at `endAge`.
    package func timeline(id: String, course: LatentCourse, visits: [RecordedVisit],
                         eventOccurrences: [(age: Double, event: Int)], endAge: Double) -> PatientTimeline {
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
        for (age, e) in eventOccurrences where age <= endAge {
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
        // An attribute is recorded at the first visit at which its test existed.
        var attributeRecorded = template.attributes.map { !$0.recordedAtFirstVisit }
        for (ordinal, visit) in visits.enumerated() {
            let visitDay = day(visit.age)
            let encounter = Int32(ordinal)
            events.append(TimelineEvent(day: visitDay, kind: .encounter, concept: -1, ordinal: encounter))
            for (i, attribute) in template.attributes.enumerated()
            where !attributeRecorded[i] && attribute.availableFrom.map({ visitDay >= $0 }) ?? true {
                appendAttribute(i, course, visitDay, encounter, &events)
                attributeRecorded[i] = true
            }
            for (m, value) in visit.values.enumerated()
            where !value.isNaN && template.measures[m].exists(on: visitDay, atAge: birth.years(to: visitDay)) {
                events.append(TimelineEvent(day: visitDay, kind: .quantity, concept: concepts.measures[m],
                                            ordinal: encounter, value: value))
            }
        }
        events.sort { a, b in
            a.day != b.day ? a.day < b.day : a.kind.rawValue < b.kind.rawValue
        }
        let death: CalendarDay? = course.deathAge <= endAge ? day(course.deathAge) : nil
        // The record knows an attribute only if it was written (or is never written, only kept).
        let known = attributeValues(course).enumerated().filter { attributeRecorded[$0.offset] }.map(\.element)
        var timeline = PatientTimeline(id: id, sex: course.sex, birth: birth, death: death,
                                       followUpEnd: death ?? day(endAge), attributes: known, events: events)
        if death != nil, let cause = course.deathCause { timeline.causeOfDeath = concepts.deathCauses[cause] }
        return timeline
    }

    private func appendAttribute(_ i: Int, _ course: LatentCourse, _ visitDay: CalendarDay, _ encounter: Int32,
                                 _ events: inout [TimelineEvent]) {
        if template.attributes[i].isCategorical {
            let v = course.context.categories[i]
            events.append(TimelineEvent(day: visitDay, kind: .codedValue, concept: concepts.attributes[i],
                                        ordinal: encounter, related: concepts.attributeValues[i][v]))
        } else {
            events.append(TimelineEvent(day: visitDay, kind: .quantity, concept: concepts.attributes[i],
                                        ordinal: encounter, value: course.context.numbers[i]))
        }
    }

    func attributeValues(_ course: LatentCourse) -> [AttributeValue] {
        template.attributes.enumerated().map { i, attribute in
            if attribute.isCategorical {
                AttributeValue(name: attribute.id,
                               value: .category(attribute.categoryValues[course.context.categories[i]]))
            } else {
                AttributeValue(name: attribute.id, value: .number(course.context.numbers[i]))
            }
        }
    }
}

/// One visit as recorded: its age and, per measure, the recorded value or NaN.
package struct RecordedVisit: Sendable {
    package var age: Double
    package var values: [Double]

    package init(age: Double, values: [Double]) {
        self.age = age
        self.values = values
    }
}
