import DiseaseModeling
import Foundation
import RecordImport
import Serialization
import Testing
import Timelines
import ZebraTestSupport
@testable import ZebraCommands

/// `zebra cases` on the default path: ten cases per disease, typical and atypical, whose every
/// stated fact is checked against the patient's own FHIR Bundle read back by the importer.
@Suite struct CasesCommandTests {
    static let diseases = TestSupport.shippedDiseases

    @Test(arguments: diseases)
    func everyFactOfTenCasesIsInThePatientsFHIR(_ disease: String) throws {
        let root = try TestSupport.temporaryDirectory()
        let (code, out, err) = zebra(["cases", "--disease", disease, "--count", "10", "--seed", "5", "--out", root])
        try #require(code == 0, "\(err)")
        #expect(out.contains("10 cases (5 typical, 5 atypical)"), "\(out)")
        let template = try TestSupport.shippedTemplate(disease)
        let catalogue = try JSONParser.parse(try readFileBytes(root + "/cases.json"))
        let cases = try #require(catalogue["cases"]?.arrayValue)
        try #require(cases.count == 10)
        #expect(cases.filter { $0["difficulty"]?.stringValue == "atypical" }.count == 5)
        var checked = 0
        for entry in cases {
            let number = try #require(entry["case"]?.numberValue)
            let stem = String(format: "case-%02d", Int(number))
            let questions = try #require(entry["questions"]?.arrayValue)
            #expect((3...6).contains(questions.count), "\(stem): \(questions.count) questions")
            let records = try SeedRecordImporter(template: template).read(path: "\(root)/\(stem).fhir.json")
            try #require(records.timelines.count == 1)
            let patient = FHIRFacts(records.timelines[0], template: template, concepts: records.concepts)
            #expect(patient.timeline.id == entry["patient"]?.stringValue)
            let facts = try #require(entry["facts"]?.arrayValue)
            try #require(facts.count >= 5, "\(stem) states only \(facts.count) facts")
            for fact in facts {
                let problem = patient.check(fact)
                #expect(problem == nil, "\(disease) \(stem): \(problem ?? "")")
                checked += 1
            }
            let html = String(decoding: try readFileBytes("\(root)/\(stem).html"), as: UTF8.self)
            #expect(html.contains("<details class=\"answers\">") && html.contains("print-answers"))
            #expect(!html.contains("{") || html.contains("<style>"), "unfilled placeholder in \(stem).html")
            let markdown = String(decoding: try readFileBytes("\(root)/\(stem).md"), as: UTF8.self)
            #expect(markdown.contains("## Answers") && !markdown.contains("{pronoun}"))
        }
        #expect(checked >= 100, "only \(checked) facts checked")
    }

    @Test func theSameSeedGivesTheSameBytesWhateverTheThreadCount() throws {
        let root = try TestSupport.temporaryDirectory()
        for threads in ["1", "2"] {
            let run = zebra(["cases", "--disease", "gaucher", "--count", "4", "--seed", "9", "--threads", threads,
                             "--template-only", "--out", "\(root)/t\(threads)"])
            try #require(run.code == 0, "\(run.err)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/t1").sorted()
        try #require(names.count == 14)
        for name in names where name != "zebra-run.txt" {
            #expect(try readFileBytes("\(root)/t1/\(name)") == readFileBytes("\(root)/t2/\(name)"), "\(name)")
        }
    }

    @Test func badRequestsAreRefusedClearly() throws {
        let root = try TestSupport.temporaryDirectory()
        let noMaterial = zebra(["cases", "--disease", "nonexistent", "--out", root + "/a"])
        #expect(noMaterial.code != 0 && noMaterial.err.contains("no template with id \"nonexistent\""))
        let badDifficulty = zebra(["cases", "--disease", "fabry", "--difficulty", "hard", "--out", root + "/b"])
        #expect(badDifficulty.code != 0 && badDifficulty.err.contains("typical"))
        try FileManager.default.createDirectory(atPath: root + "/mine", withIntermediateDirectories: true)
        try writeFileAtomically(Array("keep".utf8), to: root + "/mine/notes.txt")
        let occupied = zebra(["cases", "--disease", "fabry", "--template-only", "--count", "2", "--out", root + "/mine"])
        #expect(occupied.code != 0)
        #expect(try readFileBytes(root + "/mine/notes.txt") == Array("keep".utf8))
    }
}

/// A patient's facts as the importer reads them back from FHIR, looked up independently of the
/// case writer, to check each fact a case states.
private struct FHIRFacts {
    let timeline: PatientTimeline
    let template: DiseaseTemplate
    let concepts: TemplateConcepts

    init(_ timeline: PatientTimeline, template: DiseaseTemplate, concepts: TemplateConcepts) {
        (self.timeline, self.template, self.concepts) = (timeline, template, concepts)
    }

    private var disease: TimelineEvent? {
        timeline.events.first { $0.kind == .condition && $0.concept == concepts.condition }
    }

    private func firstDay(_ concept: Int32, kinds: Set<TimelineEvent.Kind>) -> CalendarDay? {
        timeline.events.filter { $0.concept == concept && kinds.contains($0.kind) }.map(\.day).min()
    }

    private func quantities(_ measure: String) -> [TimelineEvent] {
        guard let m = template.measures.firstIndex(where: { $0.id == measure }) else { return [] }
        return timeline.events.filter { $0.kind == .quantity && $0.concept == concepts.measures[m] }
            .sorted { $0.day < $1.day }
    }

    /// Nil when `fact` agrees with the record, else what disagrees.
    func check(_ fact: JSONNode) -> String? {
        guard let key = fact["key"]?.stringValue, let text = fact["text"]?.stringValue else { return "malformed fact" }
        let value = fact["value"]?.numberValue
        let day = fact["day"]?.stringValue.flatMap(CalendarDay.init(iso:))
        let parts = key.split(separator: ".").map(String.init)
        func dated(_ recorded: CalendarDay?, _ what: String) -> String? {
            guard let recorded else { return "\(key): not in the FHIR" }
            let expected: Double = switch what {
            case "age": timeline.birth.years(to: recorded)
            case "year": Double(recorded.components.year)
            default: disease.map { $0.day.years(to: recorded) } ?? .nan
            }
            guard let value, abs(value - expected) < 1e-9, day == recorded else {
                return "\(key) = \(value ?? .nan) on \(day?.iso ?? "-"); FHIR \(expected) on \(recorded.iso)"
            }
            return nil
        }
        switch parts[0] {
        case "sex":
            let male = ["he", "He", "his", "His", "him", "man", "Man", "boy", "Boy"].contains(text)
            return male == (timeline.sex == .male) ? nil : "\(text) for a \(timeline.sex.rawValue) patient"
        case "onset": return dated(disease?.day, parts[1])
        case "diagnosis": return dated(disease.map { $0.recordedDay ?? $0.day }, parts[1])
        case "delay":
            guard let d = disease, let recorded = d.recordedDay, let value else { return "delay: no diagnosis" }
            return abs(d.day.years(to: recorded) - value) < 1e-9 ? nil : "delay \(value)"
        case "event":
            guard let e = template.events.firstIndex(where: { $0.id == parts[1] }) else { return "unknown \(key)" }
            return dated(firstDay(concepts.events[e], kinds: [.condition, .procedure]), parts[2])
        case "treatment":
            guard let t = template.treatments.firstIndex(where: { $0.id == parts[1] }) else { return "unknown \(key)" }
            return dated(firstDay(concepts.treatments[t], kinds: [.medicationStart, .procedure]), parts[2])
        case "measure", "result", "finding":
            return checkValue(key, parts, value: value, day: day)
        case "attribute":
            guard let a = template.attributes.firstIndex(where: { $0.id == parts[1] }),
                  let recorded = firstDay(concepts.attributes[a], kinds: [.quantity, .codedValue]) else {
                return "\(key): attribute not in the FHIR"
            }
            if parts.count == 3 { return dated(recorded, parts[2]) }
            guard let shown = timeline.attributes.first(where: { $0.name == template.attributes[a].id }) else {
                return "\(key): no attribute value"
            }
            switch shown.value {
            case .number(let x): return value.map { abs($0 - x) < 1e-6 } == true ? nil : "\(key) \(value ?? .nan) vs \(x)"
            case .category(let c):
                // A case words a value as its concept's text; the record holds the value's id.
                var words = c
                if case .categorical(let ids, _, _) = template.attributes[a].kind, let i = ids.firstIndex(of: c) {
                    words = template.attributes[a].valueConcepts[i].text
                }
                return text.contains(words) || words.contains(text) ? nil : "\(key) \(text) vs \(words) (\(c))"
            }
        case "available":
            let days = template.treatments.compactMap { $0.id == parts[1] ? $0.availableFrom : nil }
                + template.measures.compactMap { $0.id == parts[1] ? $0.availableFrom : nil }
                + template.attributes.compactMap { $0.id == parts[1] ? $0.availableFrom : nil }
            return days.first == day ? nil : "\(key) \(day?.iso ?? "-")"
        case "death":
            guard let death = timeline.death else { return "\(key): no death in the FHIR" }
            if parts[1] == "cause" {
                let cause = timeline.causeOfDeath.map { concepts.table[$0].text.lowercased() }
                return cause == text ? nil : "\(key) \(text) vs \(cause ?? "none")"
            }
            return dated(death, parts[1])
        default:
            return "unknown fact \(key)"
        }
    }

    /// A measure value on a day: `measure.<id>.first|last|…`, `result.<id>.<date>`, `finding.from|to…`.
    private func checkValue(_ key: String, _ parts: [String], value: Double?, day: CalendarDay?) -> String? {
        guard let day else { return "\(key): no day" }
        let candidates = parts[0] == "finding" ? template.measures.map(\.id) : [parts[1]]
        if parts[0] == "finding", ["fromYear", "toYear", "years"].contains(parts[1]) {
            let visit = timeline.events.contains { $0.day == day }
            return visit ? nil : "\(key): nothing recorded on \(day.iso)"
        }
        if parts[0] == "measure" {
            let series = quantities(parts[1])
            guard let point = parts[2].hasPrefix("first") ? series.first : series.last else { return "\(key): none" }
            guard point.day == day else { return "\(key) on \(day.iso); FHIR \(point.day.iso)" }
            if parts[2].hasSuffix("Year") { return value == Double(day.components.year) ? nil : "\(key) year" }
        }
        guard let value else { return "\(key): no value" }
        let found = candidates.flatMap(quantities).contains { $0.day == day && abs($0.value - value) < 1e-6 }
        return found ? nil : "\(key) = \(value) on \(day.iso) is not in the FHIR"
    }
}
