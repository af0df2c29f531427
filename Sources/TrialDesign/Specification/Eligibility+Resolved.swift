import DiseaseModeling
import Simulation
import Timelines

/// Eligibility with names turned into template indices.
struct ResolvedEligibility: Sendable {
    struct Categories: Sendable { var attribute: Int; var values: [Int]; var id: String }
    struct Bounded: Sendable { var index: Int; var range: ValueRange; var id: String }
    struct State: Sendable { var state: Int; var id: String }

    var age: ValueRange?
    /// Allowed sexes (both when the trial does not restrict).
    var sexes: [Sex]
    var categories: [Categories] = []
    var attributes: [Bounded] = []
    var measures: [Bounded] = []
    var duration: ValueRange?
    var absent: [State] = []
    var present: [State] = []
    var priorTreatment: Eligibility.PriorTreatment
    var calendarFrom: CalendarDay?
    var calendarTo: CalendarDay?

    init?(_ e: Eligibility, template: DiseaseTemplate, path: String, problem: (String, String) -> Void) {
        var ok = true
        age = e.age
        sexes = e.sexes.map { Array(Set($0)).sorted { $0.rawValue > $1.rawValue } } ?? [.male, .female]
        duration = e.diseaseDuration
        priorTreatment = e.priorTreatment
        calendarFrom = e.calendarFrom
        calendarTo = e.calendarTo
        for c in e.categories {
            let p = "\(path).attributes.\(c.attribute)"
            guard let a = template.attributeIndex(c.attribute) else {
                problem(p,
                        "no attribute \"\(c.attribute)\" in \(template.id); attributes: "
                            + "\(template.attributes.map(\.id).joined(separator: ", "))")
                ok = false
                continue
            }
            let known = template.attributes[a].categoryValues
            guard !known.isEmpty else {
                problem(p,
                        "\"\(c.attribute)\" is a continuous attribute: "
                            + "give a range {\"min\": …, \"max\": …}, not a list")
                ok = false
                continue
            }
            var values: [Int] = []
            for v in c.values {
                if let i = known.firstIndex(of: v) { values.append(i) } else {
                    problem(p, "\"\(v)\" is not a value of \(c.attribute); values: \(known.joined(separator: ", "))")
                    ok = false
                }
            }
            categories.append(Categories(attribute: a, values: values.sorted(), id: c.attribute))
        }
        for r in e.attributes {
            let p = "\(path).attributes.\(r.id)"
            guard let a = template.attributeIndex(r.id) else {
                problem(p,
                        "no attribute \"\(r.id)\" in \(template.id); attributes: "
                            + "\(template.attributes.map(\.id).joined(separator: ", "))")
                ok = false
                continue
            }
            if template.attributes[a].isCategorical {
                problem(p, "\"\(r.id)\" is categorical: give a list of allowed values, not a range")
                ok = false
            }
            attributes.append(Bounded(index: a, range: r.range, id: r.id))
        }
        for r in e.measures {
            guard let m = template.measureIndex(r.id) else {
                problem("\(path).measures.\(r.id)",
                        "no measure \"\(r.id)\" in \(template.id); measures: "
                            + "\(template.measures.map(\.id).joined(separator: ", "))")
                ok = false
                continue
            }
            measures.append(Bounded(index: m, range: r.range, id: r.id))
        }
        func states(_ ids: [String], _ key: String) -> [State] {
            ids.enumerated().compactMap { i, id in
                if let e = template.eventIndex(id) { return State(state: template.stateIndex(ofEvent: e), id: id) }
                let hint = key == "eventsAbsent" && id == "loss-of-ambulation"
                    ? " (\"ambulatory\": true needs this event)" : ""
                let ambulatory = key == "eventsAbsent" && id == "loss-of-ambulation"
                problem(ambulatory ? "\(path).ambulatory" : "\(path).\(key)[\(i)]",
                        "no event \"\(id)\" in \(template.id)\(hint); events: "
                            + "\(template.events.map(\.id).joined(separator: ", "))")
                ok = false
                return nil
            }
        }
        absent = states(e.absentEvents, "eventsAbsent")
        present = states(e.presentEvents, "eventsPresent")
        if let overlap = absent.first(where: { a in present.contains { $0.state == a.state } }) {
            problem("\(path).eventsPresent",
                    "\"\(overlap.id)\" is required both absent and present: nobody can be eligible")
            ok = false
        }
        if !ok { return nil }
    }

    /// Sex and category combinations the pool is drawn from, with their prior probabilities.
    func strata(_ template: DiseaseTemplate) -> [PoolStratum] {
        var result: [PoolStratum] = []
        for sex in sexes {
            let pSex = sex == .male ? template.population.maleProbability : 1 - template.population.maleProbability
            var partial: [(forced: [Int: Int], p: Double)] = [([:], pSex)]
            for c in categories {
                guard case .categorical(_, let male, let female) = template.attributes[c.attribute].kind else {
                    continue
                }
                let weights = sex == .male ? male : female
                let total = weights.reduce(0, +)
                partial = partial.flatMap { f, p in
                    c.values.map { v in
                        var forced = f
                        forced[c.attribute] = v
                        return (forced, p * weights[v] / max(total, 1e-300))
                    }
                }
            }
            for (forced, p) in partial where p > 0 {
                result.append(PoolStratum(sex: sex, forcedCategories: forced, probability: p))
            }
        }
        return result
    }
}

/// One combination of forced sex and categories, drawn with its prior probability.
struct PoolStratum: Sendable {
    var sex: Sex
    var forcedCategories: [Int: Int]
    var probability: Double
}
