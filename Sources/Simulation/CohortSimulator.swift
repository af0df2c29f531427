import DiseaseModeling
import Foundation
import Parallelism
import Randomness
import Timelines
import ZebraSupport

/// A simulated patient: the record (timeline) and the truth behind it (latent course).
package struct SimulatedPatient: Sendable {
    package var index: Int
    package var timeline: PatientTimeline
    package var course: LatentCourse
    /// Ages of the visits in the timeline.
    package var visitAges: [Double]
    /// Age at which the record ends (death or end of follow-up).
    package var endAge: Double
    /// Age at the first recorded visit (diagnosis, or enrolment in a registry extract).
    package var firstVisitAge: Double?
}

/// Simulates cohorts from a template: patient `i` depends only on the seed and `i`.
package struct CohortSimulator: Sendable {
    package let template: DiseaseTemplate
    package let options: SimulationOptions
    package let concepts: TemplateConcepts

    /// Redraws allowed for a patient who is not diagnosed before the end date.
    package static let maximumAttempts = 1_000

    package init(template: DiseaseTemplate, options: SimulationOptions) {
        self.template = template
        self.options = options
        concepts = TemplateConcepts(template)
    }

    /// Patient `index` of the cohort.
    package func patient(_ index: Int) -> SimulatedPatient {
        let root = RandomStream(seed: options.seed, stream: UInt64(index))
        var forcedCategories = options.forcedCategories
        var forcedSex = options.forcedSex
        if let composition = options.composition {
            for (variable, value) in zip(composition.variables, composition.stratum(for: index)) {
                if let a = variable.attribute {
                    forcedCategories[a] = value
                } else {
                    forcedSex = value == 0 ? .male : .female
                }
            }
        }
        // With attribute values fixed but not sex, sex follows P(sex | those values).
        let maleProbability = forcedSex == nil && !forcedCategories.isEmpty
            ? conditionalMaleProbability(given: forcedCategories) : template.population.maleProbability
        let simulator = CourseSimulator(template: template, treatmentsEnabled: options.treatmentsEnabled,
                                        forcedCategories: forcedCategories)
        let builder = TimelineBuilder(template: template, concepts: concepts)
        let from = options.birthFrom ?? template.population.birthFrom
        let to = options.birthTo ?? template.population.birthTo
        var result: SimulatedPatient?
        for attempt in 0..<Self.maximumAttempts {
            let k = UInt64(attempt) * 8
            var process = root.substream(k)
            var visits = root.substream(k + 1)
            var noise = root.substream(k + 2)
            var ids = root.substream(k + 3)
            let sex = forcedSex ?? (process.nextUnit() < maleProbability ? .male : .female)
            let span = max(0, from.days(to: to))
            let birth = from.adding(days: process.nextInt(below: span + 1))
            let course = simulator.simulate(sex: sex, birth: birth, rng: &process)
            var endAge = course.deathAge
            if let end = options.endDate { endAge = min(endAge, birth.years(to: end)) }
            let diagnosis = course.entryAge(of: DiseaseTemplate.diagnosisState)
            var firstVisit = diagnosis
            if let registry = options.registry {
                // Enrolment and loss to follow-up have their own stream: the course is unchanged.
                var enrolment = root.substream(k + 4)
                // The enrolment day does not depend on when the patient will die (it would, drawn up
                // to death): a patient dead by then is simply never enrolled, as in a real registry.
                let opened = max(diagnosis ?? .infinity, birth.years(to: registry.opened))
                var closes = CourseSimulator.maximumAge
                if let end = options.endDate {
                    closes = birth.years(to: end) - registry.enrolmentClosesYearsBeforeExtract
                }
                let enrol = opened + enrolment.nextUnit() * (closes - opened)
                if opened < closes && enrol < course.deathAge {
                    endAge = min(endAge, enrol + registry.meanFollowUpYears * enrolment.nextExponential())
                    firstVisit = enrol
                } else {
                    if attempt + 1 < Self.maximumAttempts { continue }
                    firstVisit = nil
                }
            } else {
                let accepted = !options.requireDiagnosis ||
                    (diagnosis.map { $0 <= endAge && $0 < course.deathAge } ?? false)
                if !accepted && attempt + 1 < Self.maximumAttempts { continue }
            }
            let ages = firstVisit.map { builder.visitAges(for: course, from: $0, until: endAge, rng: &visits) } ?? []
            let id = uuidString(ids.next(), ids.next())
            let timeline = builder.timeline(id: id, course: course, visits: ages, endAge: endAge, noise: &noise)
            result = SimulatedPatient(index: index, timeline: timeline, course: course, visitAges: ages, endAge: endAge,
                                      firstVisitAge: ages.first)
            break
        }
        return result!
    }

    /// P(male | categorical values) by Bayes from the template's per-sex probability tables.
    func conditionalMaleProbability(given values: [Int: Int]) -> Double {
        var male = template.population.maleProbability, female = 1 - male
        // In attribute order: a dictionary's order changes from run to run, and with it the last bit.
        for (a, v) in values.sorted(by: { $0.key < $1.key }) {
            guard case .categorical(_, let m, let f) = template.attributes[a].kind else { continue }
            male *= m[v]
            female *= f[v]
        }
        return male + female > 0 ? male / (male + female) : template.population.maleProbability
    }

    /// Patients `range`, computed on `threads` threads, in index order.
    package func patients(_ range: Range<Int>, threads: Int = defaultThreadCount) -> [SimulatedPatient] {
        let lower = range.lowerBound
        return parallelMap(count: range.count, threads: threads) { self.patient(lower + $0) }
    }
}
