import DiseaseModeling
import Foundation
import Simulation
import Timelines

/// The treated arm read from patient records.
package struct TreatedArm: Sendable {
    /// One patient left out, and why.
    package struct Exclusion: Sendable {
        package var id: String
        package var reason: String

        package init(id: String, reason: String) {
            self.id = id
            self.reason = reason
        }
    }

    package var subjects: [TrialSubject]
    package var excluded: [Exclusion]
    /// Patients kept whose observed baseline lies outside a measure range (measurement noise
    /// around a screening threshold), by measure.
    package var outsideMeasureRanges: [String: Int]

    /// A treated arm from subjects already read (e.g. simulated).
    package init(subjects: [TrialSubject], excluded: [Exclusion] = [], outsideMeasureRanges: [String: Int] = [:]) {
        self.subjects = subjects
        self.excluded = excluded
        self.outsideMeasureRanges = outsideMeasureRanges
    }

    /// Reads treated patients from records (imported or simulated): finds each index date by the
    /// trial's rule, leaves out patients who do not meet the criteria there, and reads covariates
    /// and endpoints with the same extractor as the natural-history pool. A covariate missing
    /// from a kept patient is an error that names it, with `"missingCovariates": "exclude"` an
    /// exclusion with its reason, and with `"impute"` a value imputed in the analysis.
    package static func read(_ timelines: [PatientTimeline], concepts: TemplateConcepts,
                             plan: TrialPlan) throws(TrialDesignError) -> TreatedArm {
        try read(timelines, concepts: concepts, plan: plan, index: plan.specification.index.treated,
                 missing: plan.specification.missingCovariates, arm: "treated")
    }

    /// Real external controls from records (a registry): each enters at the first recorded visit at
    /// which every criterion holds (no intervention or other treatment before it unless the trial
    /// allows one); a control without a baseline covariate is left out with the reason, as the
    /// simulated pool leaves such lives out.
    package static func readControls(_ timelines: [PatientTimeline], concepts: TemplateConcepts,
                                     plan: TrialPlan) throws(TrialDesignError) -> TreatedArm {
        try read(timelines, concepts: concepts, plan: plan, index: .firstEligibleVisit,
                 missing: plan.specification.missingCovariates == .impute ? .impute : .exclude, arm: "external control")
    }

    static func read(_ timelines: [PatientTimeline], concepts: TemplateConcepts, plan: TrialPlan,
                     index rule: IndexRule.Treated, missing policy: MissingCovariatePolicy,
                     arm: String) throws(TrialDesignError) -> TreatedArm {
        let extractor = SubjectExtractor(plan: plan, concepts: concepts)
        let check = ObservedEligibility(plan: plan, concepts: concepts)
        var subjects: [TrialSubject] = [], excluded: [Exclusion] = []
        var outside: [String: Int] = [:]
        for t in timelines {
            let index: CalendarDay
            switch rule {
            case .interventionStart:
                guard let day = check.interventionStart(t) else {
                    excluded.append(Exclusion(id: t.id,
                                              reason: "no start of \(plan.specification.intervention.name) "
                                                  + "in the record"))
                    continue
                }
                if let reason = check.failure(t, on: day) {
                    excluded.append(Exclusion(id: t.id, reason: "not eligible on \(day.iso): \(reason)"))
                    continue
                }
                index = day
            case .firstEligibleVisit:
                guard let day = check.firstEligibleVisit(t) else {
                    excluded.append(Exclusion(id: t.id, reason: "no recorded visit at which every criterion is met"))
                    continue
                }
                index = day
            }
            let s = extractor.subject(t, indexDay: index)
            for m in check.measuresOutside(t, on: index) { outside[m, default: 0] += 1 }
            subjects.append(s)
        }
        if policy == .exclude {
            subjects = subjects.filter { s in
                let lacking = extractor.missingCovariates(s)
                guard !lacking.isEmpty else { return true }
                excluded.append(Exclusion(id: s.id, reason: "missing baseline covariate"
                    + (lacking.count == 1 ? " " : "s ") + lacking.joined(separator: ", ")
                    + (arm == "treated" ? " (\"missingCovariates\": \"exclude\")" : "")))
                return false
            }
        }
        guard !subjects.isEmpty else {
            let first = excluded.first.map { " (e.g. \($0.id): \($0.reason))" } ?? ""
            throw TrialDesignError("no \(arm) patient could enter the trial: all "
                + "\(timelines.count) records were excluded\(first)")
        }
        guard policy != .impute else {
            return TreatedArm(subjects: subjects, excluded: excluded, outsideMeasureRanges: outside)
        }
        var missing: [String: [String]] = [:]
        var order: [String] = []
        for s in subjects {
            for name in extractor.missingCovariates(s) {
                if missing[name] == nil { order.append(name) }
                missing[name, default: []].append(s.id)
            }
        }
        if let name = order.first {
            let ids = missing[name]!
            let others = order.dropFirst().map { "\"\($0)\" (\(missing[$0]!.count))" }
            throw TrialDesignError("the \(arm) arm lacks covariate \"\(name)\", which the propensity model needs, for "
                + "\(ids.count) of \(subjects.count) patients (e.g. \(ids.prefix(3).joined(separator: ", ")))"
                + (others.isEmpty ? "" : "; also missing: \(others.joined(separator: ", "))")
                + "; add it to the records (within \(plan.specification.baselineWindowDays) days before the index date "
                + "for measures), leave it out of the trial's \"covariates\", or set \"missingCovariates\": "
                + "\"exclude\" to leave such patients out")
        }
        return TreatedArm(subjects: subjects, excluded: excluded, outsideMeasureRanges: outside)
    }
}

/// Eligibility judged on a record (observed values), for treated patients from files.
struct ObservedEligibility {
    let plan: TrialPlan
    let concepts: TemplateConcepts

    func interventionStart(_ t: PatientTimeline) -> CalendarDay? {
        guard let treatment = plan.interventionTreatment else { return nil }
        let concept = concepts.treatments[treatment]
        return t.events.first { ($0.kind == .medicationStart || $0.kind == .procedure) && $0.concept == concept }?.day
    }

    /// Why the record does not meet the exact criteria on `day` (nil: it does). Measure ranges
    /// are screening values and are checked separately.
    func failure(_ t: PatientTimeline, on day: CalendarDay) -> String? {
        let c = plan.criteria
        let age = t.birth.years(to: day)
        if let r = c.age, !r.contains(age) { return "age \(String(format: "%.1f", age)) outside \(r)" }
        if !c.sexes.contains(t.sex) { return "sex \(t.sex.rawValue) not allowed" }
        if let from = c.calendarFrom, day < from { return "before \(from.iso)" }
        if let to = c.calendarTo, day > to { return "after \(to.iso)" }
        for cat in c.categories {
            let values = plan.template.attributes[cat.attribute].categoryValues
            guard case .category(let v)? = t.attribute(cat.id)
                ?? categoryEvent(t, cat.attribute).map({ .category(values[$0]) }),
                  let i = values.firstIndex(of: v) else { return "\(cat.id) not recorded" }
            if !cat.values.contains(i) { return "\(cat.id) \(v) not allowed" }
        }
        for a in c.attributes {
            let x: Double? = if case .number(let n)? = t.attribute(a.id) { n } else { quantityEvent(t, a.index) }
            guard let x else { return "\(a.id) not recorded" }
            if !a.range.contains(x) { return "\(a.id) \(x) outside \(a.range)" }
        }
        let index = day.daysSinceEpoch
        func happened(_ state: Int) -> Bool {
            let e = state - 2
            return t.events.contains {
                ($0.kind == .condition || $0.kind == .procedure) && $0.concept == concepts.events[e] &&
                    $0.day.daysSinceEpoch <= index
            }
        }
        for s in c.absent where happened(s.state) { return "\(s.id) before the index date" }
        for s in c.present where !happened(s.state) { return "no \(s.id) before the index date" }
        if let r = c.duration {
            guard let onset = t.events.first(where: {
                $0.kind == .condition && $0.concept == concepts.condition
            })?.day else {
                return "no \(plan.template.condition.text) diagnosis in the record"
            }
            let years = onset.years(to: day)
            if !r.contains(years) { return "disease duration \(String(format: "%.1f", years)) outside \(r)" }
        }
        if let death = t.death, death <= day { return "died on or before the index date" }
        let prior = t.events.contains {
            ($0.kind == .medicationStart || $0.kind == .procedure) && $0.day < day &&
                concepts.treatments.contains($0.concept)
        }
        if prior && c.priorTreatment == .excluded { return "treated before the index date" }
        if !prior && c.priorTreatment == .required { return "no treatment before the index date" }
        return nil
    }

    /// Measures whose last value in the baseline window lies outside their range (or is missing).
    func measuresOutside(_ t: PatientTimeline, on day: CalendarDay) -> [String] {
        let start = day.adding(days: -plan.specification.baselineWindowDays)
        return plan.criteria.measures.compactMap { m in
            let value = t.events.last {
                $0.kind == .quantity && $0.concept == concepts.measures[m.index] && $0.day <= day && $0.day >= start
            }?.value
            return value.map { m.range.contains($0) } == true ? nil : m.id
        }
    }

    func firstEligibleVisit(_ t: PatientTimeline) -> CalendarDay? {
        for e in t.events where e.kind == .encounter {
            if failure(t, on: e.day) == nil && measuresOutside(t, on: e.day).isEmpty { return e.day }
        }
        return nil
    }

    private func categoryEvent(_ t: PatientTimeline, _ a: Int) -> Int? {
        t.events.first { $0.kind == .codedValue && $0.concept == concepts.attributes[a] }
            .flatMap { e in concepts.attributeValues[a].firstIndex(of: e.related) }
    }

    private func quantityEvent(_ t: PatientTimeline, _ a: Int) -> Double? {
        t.events.first { $0.kind == .quantity && $0.concept == concepts.attributes[a] }?.value
    }
}
