import DiseaseModeling
import RecordDisplay
import Timelines

/// Writes teaching cases from records with a disease's material.
package struct CaseWriter: Sendable {
    package let material: CaseMaterial
    package let template: DiseaseTemplate
    package let concepts: TemplateConcepts
    /// Years after diagnosis at which management is reviewed.
    static let stageYears: [Double] = [0, 2, 5, 10, 15, 20, 25, 30, 40, 50]

    package init(material: CaseMaterial, template: DiseaseTemplate, concepts: TemplateConcepts) {
        self.material = material
        self.template = template
        self.concepts = concepts
    }

    /// Whether a record holds enough for a case: a diagnosis, a first visit with results within a
    /// year of it, and at least three visits.
    package func isSuitable(_ r: CaseRecord) -> Bool {
        guard let diagnosis = r.diagnosis, r.visits.count >= 3,
              let first = firstVisit(r), diagnosis.days(to: first.day) <= 365 else { return false }
        return !first.values.isEmpty
    }

    /// The features of `r` that hold.
    package func features(of r: CaseRecord) -> [CaseFeature] { material.features.filter { r.holds($0.when) } }

    /// The difficulty of `r`'s case: atypical when any atypical feature holds.
    package func difficulty(of r: CaseRecord) -> CaseDifficulty {
        features(of: r).contains(where: \.atypical) ? .atypical : .typical
    }

    /// The case of record `r`, numbered `number`; nil when the record is not suitable or the
    /// material has fewer than three questions that apply.
    package func write(_ r: CaseRecord, number: Int) -> TeachingCase? {
        guard isSuitable(r), let diagnosis = r.diagnosis, let first = firstVisit(r) else { return nil }
        var facts = FactLedger()
        var cited: [String] = []
        func fill(_ text: String, _ source: String? = nil, finding: FindingSpan? = nil) -> String? {
            guard let filled = r.fill(text, finding: finding) else { return nil }
            facts.add(filled.facts)
            if let source, !cited.contains(source) { cited.append(source) }
            return filled.text
        }
        func passages(_ list: [Passage]) -> [String] {
            list.filter { r.holds($0.when) }.compactMap { fill($0.text, $0.source) }
        }
        guard let presentation = material.presentations.first(where: { r.holds($0.when) && r.fill($0.complaint) != nil
            && r.fill($0.seenBy) != nil && r.fill($0.history) != nil }) else { return nil }
        let features = features(of: r)
        let seenBy = fill(presentation.seenBy) ?? presentation.seenBy
        let adjective = Placeholders.ageAdjective(r.age(on: diagnosis))
        let person = fill("{person}") ?? ""
        var history = [fill(presentation.history)].compactMap { $0 }.filter { !$0.isEmpty }
        if let onsetText = fill("First symptoms at age {onset.age} ({onset.year}); diagnosis at {diagnosis.age} "
            + "({diagnosis.year}), {delay} later."), let delay = r.delay, delay > 0.1 {
            history.append(onsetText)
        }
        let questions = material.questions.filter { r.holds($0.when) }.compactMap { q -> TeachingCase.Item? in
            item(q.id, q.question, q.answer, q.teachingPoint, q.source, r, finding: nil)
        }.prefix(6)
        guard questions.count >= 3 else { return nil }
        for q in questions {
            facts.add(q.facts)
            if let s = q.source, !cited.contains(s) { cited.append(s) }
        }
        let error = material.errors.lazy.compactMap { e -> TeachingCase.Item? in
            guard let span = r.span(of: e.finding) else { return nil }
            return item(e.id, e.question, e.answer, e.teachingPoint, e.source, r, finding: span)
        }.first
        if let error {
            facts.add(error.facts)
            if let s = error.source, !cited.contains(s) { cited.append(s) }
        }
        let stages = stages(r, from: diagnosis, fill: { fill($0, $1) })
        let c = TeachingCase(
            number: number, patientID: r.timeline.id, disease: template.condition.text,
            title: "\(Self.article(adjective)) \(adjective) \(person) seen by \(seenBy)",
            difficulty: features.contains(where: \.atypical) ? .atypical : .typical,
            features: features.map { ($0.id, $0.label, $0.atypical) },
            presentationID: presentation.id,
            presentation: fill(presentation.complaint) ?? "",
            history: history,
            family: passages(material.family).first ?? "",
            examination: passages(material.examination),
            investigations: results(r, at: first, facts: &facts),
            notYetAvailable: notYetAvailable(r, on: first.day),
            differentials: material.differentials.filter { r.holds($0.when) }.prefix(5).map { d in
                .init(diagnosis: d.diagnosis, supporting: d.supporting.compactMap { fill($0) },
                      against: d.against.compactMap { fill($0) })
            },
            diagnosis: [fill("\(template.condition.text), diagnosed at age {diagnosis.age} ({diagnosis.year}).")]
                .compactMap { $0 } + passages(material.confirmation),
            stages: stages,
            outcome: outcome(r, fill: { fill($0) }),
            questions: Array(questions), errorToSpot: error,
            sources: cited.compactMap { key in material.sources[key].map { (key, $0) } },
            facts: facts.facts)
        return c
    }

    /// "An" before ages read with a vowel sound (8, 11, 18, 80-89), "A" otherwise.
    /// "An" before a number said with a vowel (8, 11, 18, 80-89), else "A".
    static func article(_ words: String) -> String {
        let number = String(words.prefix { $0.isNumber })
        return number.hasPrefix("8") || number == "11" || number == "18" ? "An" : "A"
    }

    /// A question with its placeholders filled; nil when the record cannot fill them.
    private func item(_ id: String, _ q: String, _ a: String, _ t: String, _ source: String?, _ r: CaseRecord,
                      finding: FindingSpan?) -> TeachingCase.Item? {
        guard let q = r.fill(q, finding: finding), let a = r.fill(a, finding: finding),
              let t = r.fill(t, finding: finding) else { return nil }
        var ledger = FactLedger()
        ledger.add(q.facts); ledger.add(a.facts); ledger.add(t.facts)
        return .init(id: id, question: q.text, answer: a.text, teachingPoint: t.text, source: source,
                     facts: ledger.facts)
    }

    /// The first visit on or after diagnosis.
    func firstVisit(_ r: CaseRecord) -> CaseRecord.Visit? { r.presentationVisit }

    /// A visit's results (and the attributes recorded that day), as facts of the case.
    private func results(_ r: CaseRecord, at visit: CaseRecord.Visit, facts: inout FactLedger) -> [TeachingCase.Result] {
        var out: [TeachingCase.Result] = []
        for (m, measure) in template.measures.enumerated() {
            guard let v = visit.values[m] else { continue }
            let shown = PatientView.shown(v, measure: measure, sex: r.timeline.sex, age: r.age(on: visit.day))
            out.append(.init(shown, day: visit.day))
            facts.add([CaseFact(key: "result.\(measure.id).\(visit.day.iso)", text: r.shown(v, m), value: v,
                                day: visit.day)])
        }
        for a in template.attributes {
            guard let recorded = r.attributes[a.id], recorded.day == visit.day else { continue }
            let unit = DisplayUnit.text(a.concept.unit, after: recorded.number)
            // The value as the record words it ("PSP with predominant parkinsonism"), never the template's id.
            let text = recorded.text
            out.append(.init(name: a.concept.text, text: text, unit: recorded.category != nil ? "" : unit, flag: "",
                             range: "", day: visit.day))
            facts.add([CaseFact(key: "attribute.\(a.id)", text: recorded.text, value: recorded.number,
                                day: recorded.day)])
        }
        return out
    }

    /// The template's tests that did not exist on `day`, or not at the patient's age.
    private func notYetAvailable(_ r: CaseRecord, on day: CalendarDay) -> [String] {
        var out: [String] = []
        for m in template.measures where !m.exists(on: day, atAge: r.age(on: day)) {
            if let from = m.availableFrom, day < from {
                out.append("\(m.concept.text): not in use until \(from.components.year)")
            } else {
                out.append("\(m.concept.text): not valid below age \(Placeholders.age(m.minimumAge))")
            }
        }
        for a in template.attributes where r.attributes[a.id] == nil || r.attributes[a.id]!.day > day {
            if let from = a.availableFrom, day < from {
                out.append("\(a.concept.text): no test until \(from.components.year)")
            }
        }
        return out
    }
}

/// Facts collected once per key, in the order first stated.
struct FactLedger {
    private(set) var facts: [CaseFact] = []
    private var keys: Set<String> = []

    mutating func add(_ new: [CaseFact]) {
        for f in new where keys.insert(f.key).inserted { facts.append(f) }
    }
}
