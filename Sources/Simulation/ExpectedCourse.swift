import DiseaseModeling
import Foundation
import Randomness
import Timelines

/// What is known of a patient's history: the facts a record gives (or a simulated course).
package struct KnownHistory: Sendable {
    package var sex: Sex
    package var birth: CalendarDay
    /// Per attribute: the categorical value's index, or nil when unknown or continuous.
    package var categories: [Int?]
    /// Per attribute: the continuous value, or nil when unknown or categorical.
    package var numbers: [Double?]
    /// States entered, with the age they were entered at (onset, diagnosis, events, treatment starts).
    package var entries: [(state: Int, age: Double)]
    /// States left (treatment stops), with the age.
    package var exits: [(state: Int, age: Double)]

    package init(sex: Sex, birth: CalendarDay, categories: [Int?], numbers: [Double?],
                entries: [(state: Int, age: Double)], exits: [(state: Int, age: Double)] = []) {
        self.sex = sex
        self.birth = birth
        self.categories = categories
        self.numbers = numbers
        self.entries = entries
        self.exits = exits
    }
}

/// The template's expectation for one patient: the course with every random effect at zero and
/// the states that the patient's history records imposed at their ages.
///
/// This is what the sequence model is conditioned on at every visit: what the literature expects
/// for this patient at this age, given what happened to them.
package enum ExpectedCourse {
    /// The expected course up to `age`. Unknown attributes take their most likely value (the
    /// median for continuous ones); an unknown onset is placed from the diagnosis or at the
    /// template's median onset age.
    package static func compute(template: DiseaseTemplate, history: KnownHistory, until age: Double) -> LatentCourse {
        var context = PatientContext(sex: history.sex,
                                     categories: [Int](repeating: -1, count: template.attributes.count),
                                     numbers: [Double](repeating: .nan, count: template.attributes.count),
                                     randomEffects: [Double](repeating: 0, count: template.randomEffects.count),
                                     stateCount: template.stateNames.count)
        context.birthYear = Double(history.birth.components.year) + Double(history.birth.components.month - 1) / 12
        for (i, attribute) in template.attributes.enumerated() {
            switch attribute.kind {
            case .continuous(let distribution):
                let median = min(max(distribution.quantile(ofStandardNormal: 0, in: context),
                                     distribution.minimum ?? -.infinity), distribution.maximum ?? .infinity)
                context.numbers[i] = history.numbers[i] ?? median
            case .categorical(_, let male, let female):
                let probabilities = history.sex == .male ? male : female
                context.categories[i] = history.categories[i]
                    ?? probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
            }
        }
        var entries = history.entries
        let onsetKnown = entries.contains { $0.state == DiseaseTemplate.onsetState }
        if !onsetKnown {
            let diagnosis = entries.first { $0.state == DiseaseTemplate.diagnosisState }?.age
            var onset = template.onset.age.quantile(ofStandardNormal: 0, in: context)
            if let d = diagnosis {
                if case .delayAfterOnset(let delay) = template.diagnosis.timing {
                    onset = d - max(0, delay.quantile(ofStandardNormal: 0, in: context))
                }
                onset = min(onset, d)
            }
            entries.append((DiseaseTemplate.onsetState, max(0, onset)))
        }
        var run = CourseRun(template: template, treatmentsEnabled: true, context: context, birth: history.birth,
                            sex: history.sex)
        run.scheduling = false
        run.context.age = 0
        run.course.preStartValues = template.measures.map { run.clamp($0.initial.value(in: run.context), $0) }
        for (m, measure) in template.measures.enumerated() where measure.startState == nil { run.startMeasure(m) }
        var unused = RandomStream(seed: 0)
        let changes = (entries.map { ($0.age, $0.state, true) } + history.exits.map { ($0.age, $0.state, false) })
            .filter { $0.0 <= age }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : ($0.2 && !$1.2) }
        for (when, state, entering) in changes {
            run.now = max(run.now, when)
            run.context.age = run.now
            if entering {
                if template.events.indices.contains(state - 2) {
                    run.course.eventOccurrences.append((run.now, state - 2))
                }
                run.enter(state, rng: &unused)
            } else {
                run.leave(state)
            }
        }
        run.course.deathAge = max(age, run.now)
        return run.course
    }

    /// The history a simulated course implies (for pre-training on template-simulated records).
    package static func history(of course: LatentCourse, template: DiseaseTemplate) -> KnownHistory {
        KnownHistory(
            sex: course.sex, birth: course.birth,
            categories: template.attributes.indices.map {
                course.context.categories[$0] >= 0 ? course.context.categories[$0] : nil
            },
            numbers: template.attributes.indices.map {
                course.context.numbers[$0].isNaN ? nil : course.context.numbers[$0]
            },
            entries: course.stateChanges.filter(\.entered).map { ($0.state, $0.age) },
            exits: course.stateChanges.filter { !$0.entered }.map { ($0.state, $0.age) })
    }
}
