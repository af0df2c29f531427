import DiseaseModeling
import Randomness
import Simulation
import Timelines

/// A treatment effect as imposed on one simulated patient's follow-up.
enum ImposedEffect: Sendable {
    case none
    case difference(Double)
    case progressionMultiplier(Double)
    /// The endpoint event (or death) moves to this many years after the index date.
    case eventTime(Double)
}

/// Turns a simulated life into the record a trial would hold: the patient's history up to the
/// index date, then trial visits on the schedule with every measure observed (template noise,
/// clamping and rounding), and the events of follow-up, up to the last visit or death.
struct TrialRecordBuilder: Sendable {
    let plan: TrialPlan
    let models: [ObservationModel]
    let generator: (any ScheduledObservationGenerator)?

    init(plan: TrialPlan) {
        self.plan = plan
        models = plan.template.measures.map(ObservationModel.init)
        generator = plan.observationModel
    }

    /// The noise-free endpoint measure at `age` with the effect imposed (`reference` is the value at the index date).
    func effectTruth(_ truth: Double, reference: Double, yearsSinceIndex t: Double, effect: ImposedEffect) -> Double {
        switch effect {
        case .difference(let d):
            if case .slope = plan.specification.endpoint { return truth + d * t }
            return truth + d * t / plan.horizonYears
        case .progressionMultiplier(let m):
            return reference + m * (truth - reference)
        case .none, .eventTime:
            return truth
        }
    }

    /// The first natural-history occurrence of the endpoint event after `t0`, in years after it.
    func naturalEventTime(_ course: LatentCourse, indexAge t0: Double) -> Double {
        if plan.endpointIsDeath { return course.deathAge - t0 }
        guard let e = plan.endpointEvent else { return .infinity }
        let age = course.eventOccurrences.first { $0.event == e && $0.age > t0 }?.age
        return age.map { $0 - t0 } ?? .infinity
    }

    func build(_ patient: SimulatedPatient, indexAge t0: Double, noise: inout RandomStream,
               effect: ImposedEffect = .none, treated: Bool = false) -> (record: PatientTimeline,
               followUp: LatentFollowUp) {
        let course = patient.course
        let birth = course.birth
        let indexDay = birth.adding(years: t0)
        let index = indexDay.daysSinceEpoch
        let concepts = plan.concepts
        let extractor = SubjectExtractor(plan: plan)
        let visitDays = plan.visitYears.indices.map { indexDay.adding(days: extractor.nominalDays($0)) }
        var deathAge = course.deathAge
        let naturalEvent = naturalEventTime(course, indexAge: t0)
        var eventAge = naturalEvent.isFinite ? t0 + naturalEvent : .infinity
        if case .eventTime(let t) = effect {
            if plan.endpointIsDeath { deathAge = t0 + t } else { eventAge = t0 + t }
        }
        let endDay = visitDays.last!
        let deathDay: CalendarDay? = deathAge <= birth.years(to: endDay) ? birth.adding(years: deathAge) : nil

        var events: [TimelineEvent] = []
        var encounters: Int32 = 0
        var hasAttribute = [Bool](repeating: false, count: plan.template.attributes.count)
        for e in patient.timeline.events {
            let day = e.day.daysSinceEpoch
            let keepAtIndex = e.kind == .condition || e.kind == .procedure || e.kind == .medicationStart ||
                e.kind == .medicationStop
            if day < index || (day == index && keepAtIndex) {
                events.append(e)
                if e.kind == .encounter { encounters += 1 }
                if let a = concepts.attributes.firstIndex(of: e.concept), e.kind == .codedValue || e.kind == .quantity {
                    hasAttribute[a] = true
                }
            } else if day > index, e.kind == .condition ||
                      e.kind == .procedure, day <= (deathDay ?? endDay).daysSinceEpoch {
                if let ev = plan.endpointEvent, e.concept == concepts.events[ev] { continue }
                events.append(e)
            }
        }
        if let ev = plan.endpointEvent, eventAge.isFinite {
            let day = birth.adding(years: eventAge)
            if day <= (deathDay ?? endDay) {
                let kind: TimelineEvent.Kind = plan.template.events[ev].record == .procedure ? .procedure : .condition
                if plan.template.events[ev].record != .none {
                    events.append(TimelineEvent(day: day, kind: kind, concept: concepts.events[ev]))
                }
            }
        }
        if treated, let t = plan.interventionTreatment {
            let kind: TimelineEvent.Kind = plan.template.treatments[t].record == .procedure ? .procedure
                : .medicationStart
            events.append(TimelineEvent(day: indexDay, kind: kind, concept: concepts.treatments[t]))
        }

        let endpoint = plan.endpointMeasure
        var truth = [Double](repeating: .nan, count: visitDays.count)
        var zs = [Double](repeating: 0, count: visitDays.count)
        // With a model, each visit's noise-free value and recording spread are the model's for
        // this patient (its own latent code, from a stream of its own).
        var modelRandom = noise.substream(0x4D4F_4445_4C)
        let modelled = generator?.scheduledValues(for: patient, at: visitDays.map { birth.years(to: $0) },
                                                  random: &modelRandom)
        func noiseFree(_ m: Int, visit k: Int, age: Double) -> Double {
            modelled.map { $0[k][m].mean } ?? course.value(ofMeasure: m, atAge: age)
        }
        let baseline = plan.template.measures.indices.map { noiseFree($0, visit: 0, age: t0) }
        let reference = endpoint.map { baseline[$0] } ?? .nan
        for (k, day) in visitDays.enumerated() {
            let age = birth.years(to: day)
            let alive = age < deathAge
            let ordinal = encounters
            if alive {
                events.append(TimelineEvent(day: day, kind: .encounter, concept: -1, ordinal: ordinal))
                encounters += 1
                if k == 0 { appendMissingAttributes(course, day, ordinal, hasAttribute, &events) }
            }
            for (m, measure) in plan.template.measures.enumerated() {
                let z = noise.nextNormal()
                guard alive else { continue }
                if let from = measure.observeFrom, !(course.entryAge(of: from).map { $0 <= age } ?? false) { continue }
                if let unless = measure.observeUnless, course.isActive(state: unless, atAge: age) { continue }
                if !measure.exists(on: day, atAge: age) { continue }
                var value = noiseFree(m, visit: k, age: age)
                if m == endpoint {
                    truth[k] = value
                    zs[k] = z
                    value = effectTruth(value, reference: reference, yearsSinceIndex: plan.visitYears[k],
                                        effect: effect)
                }
                events.append(TimelineEvent(day: day, kind: .quantity, concept: concepts.measures[m], ordinal: ordinal,
                                            value: models[m].observe(value, z, sd: modelled?[k][m].sd)))
            }
        }
        events.sort { a, b in a.day != b.day ? a.day < b.day : a.kind.rawValue < b.kind.rawValue }
        let record = PatientTimeline(id: patient.timeline.id, sex: course.sex, birth: birth, death: deathDay,
                                     followUpEnd: deathDay ?? endDay, attributes: patient.timeline.attributes,
                                     events: events)
        let followUp = LatentFollowUp(truth: truth, noise: zs, eventTime: naturalEvent, deathTime: course.deathAge - t0,
                                      baseline: baseline)
        return (record, followUp)
    }

    private func appendMissingAttributes(_ course: LatentCourse, _ day: CalendarDay, _ ordinal: Int32, _ has: [Bool],
                                         _ events: inout [TimelineEvent]) {
        let concepts = plan.concepts
        for (i, attribute) in plan.template.attributes.enumerated()
        where !has[i] && attribute.availableFrom.map({ day >= $0 }) ?? true {
            if attribute.isCategorical {
                events.append(TimelineEvent(day: day, kind: .codedValue, concept: concepts.attributes[i],
                                            ordinal: ordinal,
                                            related: concepts.attributeValues[i][course.context.categories[i]]))
            } else {
                events.append(TimelineEvent(day: day, kind: .quantity, concept: concepts.attributes[i],
                                            ordinal: ordinal, value: course.context.numbers[i]))
            }
        }
    }
}
