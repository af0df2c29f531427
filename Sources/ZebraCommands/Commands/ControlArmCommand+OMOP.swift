import Foundation
import OMOPExport
import Serialization
import Timelines
import TrialDesign

/// How control-arm writes the arms' records.
enum ArmRecordFormat: String, CaseIterable, Sendable {
    case ndjson
    case omop
}

extension ControlArmCommand {
    /// The arms as OMOP CDM tables: the synthetic controls and simulated treated patients as
    /// persons (real external controls stay the user's records and are not rewritten), and
    /// cohort.csv with one row per subject: cohort_definition_id 1 for the treated arm, 2 for the
    /// control arm, from the index day to the end of time on study.
    static func writeOMOP(plan: TrialPlan, pool: ControlPool, result: ControlArmResult,
                          treatedTimelines: [PatientTimeline], treated: TreatedArm, directory: StagedDirectory,
                          threads: Int) throws {
        let spec = plan.specification
        let members = pool.subjects.indices.filter { result.controlWeights[$0] > 0 && !pool.isExternal($0) }
        let records = members.map { pool.records[$0] } + treatedTimelines
        let writer = OMOPRowWriter(concepts: plan.concepts, template: plan.template)
        _ = try OMOPExport(writer: writer, threads: threads)
            .write(count: records.count, into: directory, generate: { records[$0] })
        var cohort = ByteWriter(capacity: 64 * records.count + 64)
        cohort.raw(OMOPTable.cohort.header)
        func row(_ definition: Int, person: Int, start: CalendarDay, end: CalendarDay) {
            cohort.rawString("\(definition),\(person),\(start.iso),\(max(start, end).iso)\n")
        }
        for (k, i) in members.enumerated() {
            let s = pool.subjects[i]
            row(2, person: k + 1, start: s.indexDay, end: studyEnd(plan, start: s.indexDay, record: pool.records[i]))
        }
        for (k, (t, s)) in zip(treatedTimelines, treated.subjects).enumerated() {
            row(1, person: members.count + k + 1, start: s.indexDay, end: studyEnd(plan, start: s.indexDay, record: t))
        }
        try writeFileAtomically(cohort.bytes, to: directory.path(of: OMOPTable.cohort.fileName))
        let latest = records.map(\.followUpEnd).max() ?? CalendarDay(daysSinceEpoch: 0)
        let source = OMOPVocabularyFiles.Source(
            name: "Zebra synthetic control arm: \(spec.title)", abbreviation: String("zebra-\(spec.id)".prefix(25)),
            description: "Synthetic control arm (not real people) built by zebra control-arm for trial \(spec.id) "
                + "on template \(plan.template.id) \(plan.template.version); cohort 1 = \(spec.treatedArm.id), "
                + "cohort 2 = \(spec.controlArm.id).",
            releaseDay: latest)
        try SimulateCommand.writeOMOPMetadata(writer: writer, source: source, into: directory)
    }
}
