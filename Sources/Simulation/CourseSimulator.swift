import DiseaseModeling
import Foundation
import Randomness
import Timelines

/// Simulates one patient's disease course from birth to death, jumping from event to event.
///
/// Between events every slope and hazard is constant (up to age knots and the life table), so the
/// next event time is computed in closed form or by a short root search: a 60-year course costs
/// what its dozen events cost, not 3,000 weekly ticks.
struct CourseSimulator {
    let template: DiseaseTemplate
    let treatmentsEnabled: Bool
    /// Attribute index → the value index every patient gets.
    var forcedCategories: [Int: Int] = [:]
    /// Attribute index → the continuous value every patient gets (a registry twin's recorded value).
    var forcedNumbers: [Int: Double] = [:]

    static let maximumAge = 110.0

    /// Draws the patient (sex, attributes, random effects) and simulates the course.
    func simulate(sex: Sex, birth: CalendarDay, rng: inout RandomStream) -> LatentCourse {
        var run = CourseRun(template: template, treatmentsEnabled: treatmentsEnabled,
                            context: drawPatient(sex: sex, birth: birth, rng: &rng), birth: birth, sex: sex)
        run.start(rng: &rng)
        run.runToDeath(rng: &rng)
        return run.course
    }

    /// Attributes and random effects, in template order (later attributes may depend on earlier).
    func drawPatient(sex: Sex, birth: CalendarDay, rng: inout RandomStream) -> PatientContext {
        let n = template.randomEffects.count
        var z = [Double](repeating: 0, count: n)
        if n > 0 {
            let e = (0..<n).map { _ in rng.nextNormal() }
            for i in 0..<n {
                var sum = 0.0
                for k in 0...i { sum += template.randomEffectCholesky[i * n + k] * e[k] }
                z[i] = sum
            }
        }
        var context = PatientContext(sex: sex, categories: [Int](repeating: -1, count: template.attributes.count),
                                     numbers: [Double](repeating: .nan, count: template.attributes.count),
                                     randomEffects: z, stateCount: template.stateNames.count)
        context.birthYear = Double(birth.components.year) + Double(birth.components.month - 1) / 12
        for (i, attribute) in template.attributes.enumerated() {
            switch attribute.kind {
            case .continuous(let distribution):
                // Drawn even when forced, so that forcing one value leaves every later draw unchanged.
                let drawn = distribution.sample(in: context, using: &rng)
                context.numbers[i] = forcedNumbers[i] ?? drawn
                if attribute.concept.decimals >= 0 {
                    let scale = pow(10.0, Double(attribute.concept.decimals))
                    context.numbers[i] = (context.numbers[i] * scale).rounded() / scale
                }
            case .categorical(_, let male, let female):
                context.categories[i] = forcedCategories[i] ?? rng.nextIndex(weights: sex == .male ? male : female)
            }
        }
        return context
    }
}

/// The mutable state of one course simulation.
struct CourseRun {
    enum Pending {
        case onset, diagnosis, incidence(Int), treatmentStart(Int)
    }

    let template: DiseaseTemplate
    let treatmentsEnabled: Bool
    var course: LatentCourse
    var now = 0.0
    var pending: [(age: Double, what: Pending)] = []
    /// Remaining exponential "budget" of each hazard-triggered event (NaN: not a hazard event).
    var hazardBudget: [Double]
    var fired: [Bool]
    var treatmentScheduled: [Bool]
    var stopBudget: [Double]
    var deathBudget = 0.0
    /// Per measure: the active approach (target, rate) from treatments, if any.
    var approach: [(target: Double, rate: Double)?]
    /// False when states are imposed from outside (expected courses): nothing is scheduled.
    var scheduling = true

    init(template: DiseaseTemplate, treatmentsEnabled: Bool, context: PatientContext, birth: CalendarDay, sex: Sex) {
        self.template = template
        self.treatmentsEnabled = treatmentsEnabled
        course = LatentCourse(sex: sex, birth: birth, context: context, stateChanges: [], eventOccurrences: [],
                              segments: Array(repeating: [], count: template.measures.count),
                              bounds: template.measures.map { ($0.floor, $0.ceiling) },
                              preStartValues: [], deathAge: CourseSimulator.maximumAge)
        hazardBudget = [Double](repeating: .nan, count: template.events.count)
        fired = [Bool](repeating: false, count: template.events.count)
        treatmentScheduled = [Bool](repeating: false, count: template.treatments.count)
        stopBudget = [Double](repeating: .nan, count: template.treatments.count)
        approach = Array(repeating: nil, count: template.measures.count)
    }

    var context: PatientContext {
        get { course.context }
        _modify { yield &course.context }
    }

    /// Draws the timing of onset and diagnosis and starts the processes that run from birth.
    mutating func start(rng: inout RandomStream) {
        context.age = 0
        course.preStartValues = template.measures.map { clamp($0.initial.value(in: context), $0) }
        deathBudget = rng.nextExponential()
        for (i, event) in template.events.enumerated() {
            if case .hazard = event.trigger { hazardBudget[i] = rng.nextExponential() }
        }
        // Onset and diagnosis ages are drawn now so that they use the stream in a fixed order.
        var onsetAge = Double.nan
        if rng.nextUnit() < template.onset.probability.value(in: context) {
            onsetAge = max(0, template.onset.age.sample(in: context, using: &rng))
            pending.append((onsetAge, .onset))
        }
        let diagnosed = rng.nextUnit() < template.diagnosis.probability.value(in: context)
        switch template.diagnosis.timing {
        case .delayAfterOnset(let delay):
            context.stateAges[DiseaseTemplate.onsetState] = onsetAge  // delay may depend on onset age
            let d = max(0, delay.sample(in: context, using: &rng))
            context.stateAges[DiseaseTemplate.onsetState] = .nan
            if diagnosed && !onsetAge.isNaN { pending.append((onsetAge + d, .diagnosis)) }
        case .age(let distribution):
            let a = max(0, distribution.sample(in: context, using: &rng))
            if diagnosed { pending.append((a, .diagnosis)) }
        }
        for (m, measure) in template.measures.enumerated() where measure.startState == nil {
            startMeasure(m)
        }
        scheduleIncidences(from: nil, rng: &rng)
        scheduleTreatments(rng: &rng)
    }

    mutating func runToDeath(rng: inout RandomStream) {
        var guardCount = 0
        while guardCount < 100_000 {
            guardCount += 1
            let (age, action) = nextEvent()
            consumeHazards(until: age)
            now = age
            context.age = age
            switch action {
            case .death:
                course.deathAge = age
                // Drawn only when the template names causes, so templates without them simulate as before.
                if !template.mortality.causes.isEmpty { course.deathCause = causeOfDeath(rng.nextUnit()) }
                return
            case .pending(let index):
                let item = pending.remove(at: index)
                switch item.what {
                case .onset: enter(DiseaseTemplate.onsetState, rng: &rng)
                case .diagnosis: enter(DiseaseTemplate.diagnosisState, rng: &rng)
                case .incidence(let e):
                    let event = template.events[e]
                    if !fired[e] && context.activeStates & event.requiredStates == event.requiredStates {
                        occur(e, rng: &rng)
                    }
                case .treatmentStart(let t): startTreatment(t, rng: &rng)
                }
            case .event(let e): occur(e, rng: &rng)
            case .stop(let t): stopTreatment(t, rng: &rng)
            }
        }
        course.deathAge = now
        course.deathCause = template.mortality.backgroundCause
    }

    enum Next { case death, pending(Int), event(Int), stop(Int) }

    /// The earliest next event given the current state.
    func nextEvent() -> (Double, Next) {
        var best = timeOfDeath()
        var what = Next.death
        for (i, p) in pending.enumerated() where p.age < best {
            best = max(p.age, now)
            what = .pending(i)
        }
        for (e, event) in template.events.enumerated() where !fired[e] || event.recurrent {
            guard context.activeStates & event.requiredStates == event.requiredStates else { continue }
            let t: Double
            switch event.trigger {
            case .threshold(let m, let below, let value):
                t = crossingTime(measure: m, below: below, threshold: value.value(in: context))
            case .hazard(let rate, let clock, let knots):
                t = hazardTime(budget: hazardBudget[e], rate: eventRate(e, rate), clockState: clock, knots: knots)
            case .incidence:
                continue
            }
            if t < best { best = t; what = .event(e) }
        }
        for (t, treatment) in template.treatments.enumerated() where treatment.stopRatePerYear > 0 {
            guard context.isActive(template.stateIndex(ofTreatment: t)) else { continue }
            let at = now + stopBudget[t] / treatment.stopRatePerYear
            if at < best { best = at; what = .stop(t) }
        }
        return (best, what)
    }

    /// Deducts the hazard accumulated until `age` from every running budget.
    mutating func consumeHazards(until age: Double) {
        guard age > now else { return }
        deathBudget -= mortalityIntegral(from: now, to: age)
        for (e, event) in template.events.enumerated() {
            guard case .hazard(let rate, let clock, let knots) = event.trigger, !fired[e] || event.recurrent,
                  context.activeStates & event.requiredStates == event.requiredStates else { continue }
            hazardBudget[e] -= eventRate(e, rate) * clockIntegral(clockState: clock, knots: knots, from: now, to: age)
        }
        for (t, treatment) in template.treatments.enumerated() where treatment.stopRatePerYear > 0 {
            if context.isActive(template.stateIndex(ofTreatment: t)) {
                stopBudget[t] -= treatment.stopRatePerYear * (age - now)
            }
        }
    }

    // MARK: State changes

    mutating func enter(_ state: Int, rng: inout RandomStream) {
        let bit = UInt64(1) << UInt64(state)
        let wasActive = context.activeStates & bit != 0
        if !wasActive {
            startApproaches(of: state)
            context.activeStates |= bit
            if context.stateAges[state].isNaN { context.stateAges[state] = now }
            course.stateChanges.append(StateChange(age: now, state: state, entered: true))
        }
        for (m, measure) in template.measures.enumerated() where measure.startState == state &&
            course.segments[m].isEmpty {
            startMeasure(m)
        }
        if scheduling {
            scheduleIncidences(from: state, rng: &rng)
            scheduleTreatments(rng: &rng)
        }
        resegment()
    }

    mutating func leave(_ state: Int) {
        let bit = UInt64(1) << UInt64(state)
        guard context.activeStates & bit != 0 else { return }
        for effect in template.stateEffects[state] {
            guard case .measureApproach(let m, let target, let halfLife, let wearsOff) = effect else { continue }
            if wearsOff, case .add(let p) = target, !course.segments[m].isEmpty {
                let y = course.value(ofMeasure: m, atAge: now)
                approach[m] = (clamp(y - p.value(in: context), template.measures[m]), log(2) / halfLife)
            } else {
                approach[m] = nil
            }
        }
        context.activeStates &= ~bit
        course.stateChanges.append(StateChange(age: now, state: state, entered: false))
        resegment()
    }

    mutating func occur(_ e: Int, rng: inout RandomStream) {
        course.eventOccurrences.append((now, e))
        let event = template.events[e]
        if event.recurrent {
            hazardBudget[e] = rng.nextExponential()
        } else {
            fired[e] = true
        }
        enter(template.stateIndex(ofEvent: e), rng: &rng)
    }

    mutating func startTreatment(_ t: Int, rng: inout RandomStream) {
        if template.treatments[t].stopRatePerYear > 0 { stopBudget[t] = rng.nextExponential() }
        enter(template.stateIndex(ofTreatment: t), rng: &rng)
    }

    mutating func stopTreatment(_ t: Int, rng: inout RandomStream) {
        leave(template.stateIndex(ofTreatment: t))
    }

    /// Approaches start from each measure's value at the moment the state is entered.
    mutating func startApproaches(of state: Int) {
        for effect in template.stateEffects[state] {
            guard case .measureApproach(let m, let target, let halfLife, _) = effect, !course.segments[m].isEmpty else {
                continue
            }
            let y = course.value(ofMeasure: m, atAge: now)
            let goal: Double
            switch target {
            case .fraction(let p): goal = y * p.value(in: context)
            case .add(let p): goal = y + p.value(in: context)
            case .toward(let p, .either): goal = p.value(in: context)
            case .toward(let p, .rising): goal = max(y, p.value(in: context))
            case .toward(let p, .falling): goal = min(y, p.value(in: context))
            }
            approach[m] = (clamp(goal, template.measures[m]), log(2) / halfLife)
        }
    }

    mutating func scheduleIncidences(from state: Int?, rng: inout RandomStream) {
        for (e, event) in template.events.enumerated() {
            guard case .incidence(let probability, let delay, let from) = event.trigger, from == state else { continue }
            let happens = rng.nextUnit() < probability.value(in: context)
            let d = max(0, delay.sample(in: context, using: &rng))
            if happens { pending.append((now + d, .incidence(e))) }
        }
    }

    /// Schedules each treatment once its requirements are met (the decision is made then).
    mutating func scheduleTreatments(rng: inout RandomStream) {
        guard treatmentsEnabled else { return }
        for (t, treatment) in template.treatments.enumerated() where !treatmentScheduled[t] {
            guard context.activeStates & treatment.requiredStates == treatment.requiredStates else { continue }
            treatmentScheduled[t] = true
            var eligible = max(now, treatment.minimumAge)
            if let from = treatment.availableFrom {
                eligible = max(eligible, course.birth.years(to: from))
            }
            let saved = context.age
            context.age = eligible
            let starts = rng.nextUnit() < treatment.probability.value(in: context)
            let d = max(0, treatment.delay.sample(in: context, using: &rng))
            context.age = saved
            if starts { pending.append((eligible + d, .treatmentStart(t))) }
        }
    }

    // MARK: Trajectories

    func clamp(_ y: Double, _ measure: MeasureDefinition) -> Double {
        min(max(y, measure.floor), measure.ceiling)
    }

    mutating func startMeasure(_ m: Int) {
        let measure = template.measures[m]
        let y0 = clamp(measure.initial.value(in: context), measure)
        course.segments[m].append(MeasureSegment(startAge: now, startValue: y0, slope: slope(m), target: y0, rate: 0))
    }

    /// Current slope of measure `m`: the template's slope with treatment effects applied.
    func slope(_ m: Int) -> Double {
        var s = template.measures[m].slope.value(in: context)
        for state in template.stateEffects.indices where context.isActive(state) {
            for effect in template.stateEffects[state] {
                if case .measureSlope(let target, let multiply, let add) = effect, target == m {
                    s = s * multiply.value(in: context) + add.value(in: context)
                }
            }
        }
        return s
    }

    /// Starts a new segment for every running measure at `now`, continuous in value.
    ///
    /// A running approach keeps its remaining distance to a goal that has moved with the slope since its
    /// segment began: a segment is `goal + s·dt` plus a decaying deviation, so the next one starts from that
    /// moved goal. Restarting from the goal as set at treatment start would pull the measure back to it at
    /// every later event, undoing the progression in between (a wheelchair user's motor score falling back).
    mutating func resegment() {
        for m in template.measures.indices where !course.segments[m].isEmpty {
            let y = course.value(ofMeasure: m, atAge: now)
            // The same approach as the last segment's (not one a treatment has just started or restarted).
            if let goal = approach[m], let last = course.segments[m].last, last.rate > 0,
               last.target == goal.target, last.rate == goal.rate {
                approach[m] = (last.target + last.slope * (now - last.startAge), goal.rate)
            }
            let a = approach[m]
            let segment = MeasureSegment(startAge: now, startValue: y, slope: slope(m),
                                         target: a?.target ?? y, rate: a?.rate ?? 0)
            if let last = course.segments[m].last, last.startAge == now {
                course.segments[m][course.segments[m].count - 1] = segment
            } else {
                course.segments[m].append(segment)
            }
        }
    }
}
