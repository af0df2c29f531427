import DiseaseModeling
import Simulation
import Timelines

/// Reads baseline covariates and endpoint data from a patient record at a given index date.
///
/// The same code reads simulated natural-history records and imported treated records: that is
/// what makes the comparison fair. Everything is an observed value: the last measurement in the
/// baseline window, the recorded visit nearest each nominal visit date, the recorded event date.
package struct SubjectExtractor: Sendable {
    /// The trial (covariates, visits, endpoint) to read records for.
    package let plan: TrialPlan
    /// The concept table the records' events refer to.
    package let concepts: TemplateConcepts

    /// An extractor for records whose events refer to `concepts` (default: the plan's template).
    package init(plan: TrialPlan, concepts: TemplateConcepts? = nil) {
        self.plan = plan
        self.concepts = concepts ?? plan.concepts
    }

    /// Days from the index date to visit `k`'s nominal date.
    func nominalDays(_ k: Int) -> Int {
        Int((plan.specification.visitMonths[k] * CalendarDay.daysPerYear / 12).rounded())
    }

    /// The subject's covariates and endpoint data with time zero at `indexDay`.
    package func subject(_ timeline: PatientTimeline, indexDay: CalendarDay) -> TrialSubject {
        let spec = plan.specification
        let index = indexDay.daysSinceEpoch
        let windowStart = index - Int32(spec.baselineWindowDays)
        let t = plan.template
        var lastMeasure = [Double](repeating: .nan, count: t.measures.count)
        var lastMeasureDay = [Int32](repeating: Int32.min, count: t.measures.count)
        var attributeNumber = [Double](repeating: .nan, count: t.attributes.count)
        var attributeCategory = [Int](repeating: -1, count: t.attributes.count)
        var eventBefore = [Bool](repeating: false, count: t.events.count)
        var conditionDay: Int32?
        var priorTreatment = false
        var endpointDay: Int32?
        let endpointConcept = plan.endpointEvent.map { concepts.events[$0] }
        let visitCount = spec.visitMonths.count
        var values = [Double](repeating: .nan, count: visitCount)
        var distance = [Int32](repeating: Int32.max, count: visitCount)
        let nominal = (0..<visitCount).map { index + Int32(nominalDays($0)) }
        let window = Int32(spec.visitWindowDays)
        let endpointMeasureConcept = plan.endpointMeasure.map { concepts.measures[$0] }

        for e in timeline.events {
            let day = e.day.daysSinceEpoch
            switch e.kind {
            case .condition, .procedure:
                if e.concept == concepts.condition, e.kind == .condition {
                    conditionDay = min(conditionDay ?? day, day)
                } else if let ev = concepts.events.firstIndex(of: e.concept) {
                    if day <= index { eventBefore[ev] = true }
                    if e.concept == endpointConcept, day > index, endpointDay == nil { endpointDay = day }
                } else if e.kind == .procedure, day < index, concepts.treatments.contains(e.concept) {
                    priorTreatment = true
                }
            case .medicationStart:
                if day < index, concepts.treatments.contains(e.concept) { priorTreatment = true }
            case .quantity:
                if let m = concepts.measures.firstIndex(of: e.concept) {
                    if day <= index && day >= windowStart && day >= lastMeasureDay[m] {
                        lastMeasure[m] = e.value
                        lastMeasureDay[m] = day
                    }
                    if e.concept == endpointMeasureConcept, day > index {
                        for k in 1..<max(visitCount, 1) {
                            let d = abs(day - nominal[k])
                            if d <= window && d < distance[k] { distance[k] = d; values[k] = e.value }
                        }
                    }
                } else if let a = concepts.attributes.firstIndex(of: e.concept) {
                    attributeNumber[a] = e.value
                }
            case .codedValue:
                if let a = concepts.attributes.firstIndex(of: e.concept),
                   let v = concepts.attributeValues[a].firstIndex(of: e.related) {
                    attributeCategory[a] = v
                }
            case .encounter, .medicationStop:
                break
            }
        }
        for (a, attribute) in t.attributes.enumerated() {
            switch timeline.attribute(attribute.id) {
            case .number(let x)? where attributeNumber[a].isNaN: attributeNumber[a] = x
            case .category(let c)? where attributeCategory[a] < 0:
                attributeCategory[a] = attribute.categoryValues.firstIndex(of: c) ?? -1
            default: break
            }
        }
        if let m = plan.endpointMeasure { values[0] = lastMeasure[m] }
        let covariates = plan.covariates.map { column -> Double in
            switch column.source {
            case .age: return timeline.birth.years(to: indexDay)
            case .sex: return timeline.sex == .male ? 1 : 0
            case .diseaseDuration:
                guard let c = conditionDay, c <= index else { return .nan }
                return Double(index - c) / CalendarDay.daysPerYear
            case .priorTreatment: return priorTreatment ? 1 : 0
            case .attribute(let a): return attributeNumber[a]
            case .category(let a, let v): return attributeCategory[a] < 0 ? .nan : (attributeCategory[a] == v ? 1 : 0)
            case .measure(let m): return lastMeasure[m]
            case .event(let e): return eventBefore[e] ? 1 : 0
            }
        }
        var time = 0.0, event = false
        if spec.endpoint.isTimeToEvent {
            let horizon = index + Int32((plan.horizonYears * CalendarDay.daysPerYear).rounded())
            var censor = min(timeline.followUpEnd.daysSinceEpoch, horizon)
            if let death = timeline.death?.daysSinceEpoch { censor = min(censor, death) }
            let eventDay = plan.endpointIsDeath ? timeline.death?.daysSinceEpoch : endpointDay
            if let d = eventDay, d <= censor {
                time = Double(max(d - index, 0)) / CalendarDay.daysPerYear
                event = true
            } else {
                time = Double(max(censor - index, 0)) / CalendarDay.daysPerYear
            }
        }
        applyIntercurrentEvents(timeline, index: index, nominal: nominal, values: &values, time: &time, event: &event)
        return TrialSubject(id: timeline.id, indexDay: indexDay, covariates: covariates, values: values, time: time,
                            event: event)
    }

    /// The first day after `index` on which intercurrent event `name` is recorded: death, the
    /// start of any template treatment, or a template event.
    package func intercurrentDay(_ name: String, in timeline: PatientTimeline, after index: Int32) -> Int32? {
        if name == "death" { return timeline.death.map(\.daysSinceEpoch).flatMap { $0 > index ? $0 : nil } }
        let concept: Int32?
        if name == "treatment" { concept = nil } else if let e = plan.template.eventIndex(name) {
            concept = concepts.events[e]
        } else { return nil }
        let treatments = Set(concepts.treatments)
        return timeline.events.filter { e in
            let day = e.day.daysSinceEpoch
            guard day > index else { return false }
            if let concept { return (e.kind == .condition || e.kind == .procedure) && e.concept == concept }
            return (e.kind == .medicationStart || e.kind == .procedure) && treatments.contains(e.concept)
        }.map(\.day.daysSinceEpoch).min()
    }

    /// The estimand's strategies: composite makes the intercurrent event an endpoint event;
    /// hypothetical and while-on strategies censor at it (time to event) or drop the values from
    /// it on (measures); treatment policy changes nothing.
    private func applyIntercurrentEvents(_ timeline: PatientTimeline, index: Int32, nominal: [Int32],
                                         values: inout [Double], time: inout Double, event: inout Bool) {
        let isTimeToEvent = plan.specification.endpoint.isTimeToEvent
        let horizon = index + Int32((plan.horizonYears * CalendarDay.daysPerYear).rounded())
        for ie in plan.specification.intercurrentEvents where ie.strategy != .treatmentPolicy {
            guard let day = intercurrentDay(ie.event, in: timeline, after: index) else { continue }
            let t = Double(day - index) / CalendarDay.daysPerYear
            if isTimeToEvent {
                guard day <= min(horizon, timeline.followUpEnd.daysSinceEpoch), !(event && time <= t) else { continue }
                if ie.strategy == .composite {
                    if !event || t < time { time = t; event = true }
                } else if t < time || (!event && t <= time) {
                    time = t; event = false
                }
            } else {
                for k in 1..<max(values.count, 1) where nominal[k] >= day { values[k] = .nan }
            }
        }
    }

    /// The names of the covariates a subject lacks (one name per covariate, not per column).
    package func missingCovariates(_ s: TrialSubject) -> [String] {
        var names: [String] = []
        for (c, column) in plan.covariates.enumerated() where s.covariates[c].isNaN &&
            !names.contains(column.covariate) {
            names.append(column.covariate)
        }
        return names
    }
}
