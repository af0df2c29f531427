extension TeachingCase {
    /// The case as Markdown, with the answers after a page-break marker, so that a reader can
    /// print the case and the answers separately.
    package func markdown() -> String {
        var m = "# Case \(number): \(title)\n\n"
        m += "*\(disease) · \(difficultyLine) · synthetic patient (Zebra record \(patientID)), not a real person*\n\n"
        m += "## Presentation\n\n\(presentation)\n\n" + bullets(history)
        if !family.isEmpty { m += "## Family history\n\n\(family)\n\n" }
        if !examination.isEmpty { m += "## Examination\n\n" + bullets(examination) }
        m += "## Investigations\n\n" + table(investigations)
        if !notYetAvailable.isEmpty { m += "Not available at the time: \(notYetAvailable.joined(separator: "; ")).\n\n" }
        m += "## Differential diagnosis\n\n| alternative | for | against |\n|---|---|---|\n"
        for d in differentials {
            m += "| \(cell(d.diagnosis)) | \(cell(d.supporting.joined(separator: "; "))) | "
                + "\(cell(d.against.joined(separator: "; "))) |\n"
        }
        m += "\n## Diagnosis\n\n" + bullets(diagnosis)
        m += "## Management over the years\n\n"
        for s in stages {
            m += "### \(s.title)\n\n" + bullets(s.happenings)
            if !s.results.isEmpty {
                m += s.results.map { r in
                    "\(r.name) **\(r.text)**" + (r.unit.isEmpty ? "" : " \(r.unit)") + (r.flag.isEmpty ? "" : " (\(r.flag))")
                }.joined(separator: "; ") + ".\n\n"
            }
            if !s.treatments.isEmpty { m += "On \(s.treatments.joined(separator: ", ")).\n\n" }
            if !s.decisions.isEmpty { m += "*Decision:* \(s.decisions.joined(separator: " "))\n\n" }
        }
        m += "**Outcome.** \(outcome)\n\n"
        m += "## Questions\n\n" + allItems.enumerated().map { "\($0 + 1). \($1.question)\n" }.joined() + "\n"
        m += "---\n\n<!-- answers: print from here on a new page -->\n\n"
        m += "## Answers\n\n"
        for (i, item) in allItems.enumerated() {
            m += "\(i + 1). **\(item.question)**\n\n   \(item.answer)\n\n   *Teaching point:* \(item.teachingPoint)"
                + (item.source.map { " [\($0)]" } ?? "") + "\n\n"
        }
        if !sources.isEmpty {
            m += "## Sources\n\n" + sources.map { "- [\($0.key)] \($0.citation)\n" }.joined() + "\n"
        }
        return m
    }

    private func bullets(_ items: [String]) -> String {
        items.isEmpty ? "" : items.map { "- \($0)\n" }.joined() + "\n"
    }

    private func table(_ results: [Result]) -> String {
        guard !results.isEmpty else { return "No results recorded at this visit.\n\n" }
        var t = "| test | result | reference |\n|---|---|---|\n"
        for r in results {
            let flag = r.flag.isEmpty ? "" : " **\(r.flag)**"
            t += "| \(cell(r.name)) | \(cell(r.withUnit))\(flag) | \(cell(r.range)) |\n"
        }
        return t + "\nResults of \(results[0].day.iso).\n\n"
    }

    private func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
