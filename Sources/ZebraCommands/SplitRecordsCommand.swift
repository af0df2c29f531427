import CommandLineParsing
import Foundation
import Randomness
import RecordImport
import Serialization
import ZebraSupport

struct SplitRecordsCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "split-records", abstract: "Split a FHIR ndjson folder by patient into two folders (seed and holdout).",
        discussion: """
        Every resource follows its patient (Patient.id; other resources by subject, patient or
        beneficiary reference); resources that name no patient (Medication, Organization, …) are
        copied to both halves. A share --fraction of the patients, chosen by a seeded shuffle, goes
        to --out-a, the rest to --out-b; lines are copied verbatim, file by file. Deterministic for
        a seed. With --disease, each half is imported for the template and summarised.
        """,
        options: [
            .value("records", "path", help: "Folder of FHIR R4 Bulk ndjson files (searched recursively)."),
            .value("out-a", "dir", help: "Folder for the first share of patients (e.g. the seed records)."),
            .value("out-b", "dir", help: "Folder for the other patients (e.g. the holdout)."),
            .value("fraction", "x", help: "Share of patients that go to --out-a.", default: "0.5"),
            .value("seed", "n", help: "Random seed of the shuffle.", default: "1"),
            .value("disease", "id", help: "Template id: import each half and print what was read."),
            .flag("overwrite", help: "Replace the output folders if they exist."),
            templatesOption,
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        guard let path = arguments.string("records") else { throw UsageError("missing option '--records <path>'", usage: arguments.usage) }
        guard let outA = arguments.string("out-a") else { throw UsageError("missing option '--out-a <dir>'", usage: arguments.usage) }
        guard let outB = arguments.string("out-b") else { throw UsageError("missing option '--out-b <dir>'", usage: arguments.usage) }
        let fraction = try arguments.double("fraction", in: 0...1)!
        let seed = UInt64(try arguments.integer("seed", in: 0...Int.max)!)
        let template = try arguments.string("disease").map { id throws(CommandError) in try loadTemplate(id, arguments) }
        let split: RecordSplit
        do { split = try RecordSplit.read(path: path) } catch { throw CommandError(error.message) }
        let inA = split.assignment(fraction: fraction, seed: seed)
        let overwrite = arguments.flag("overwrite")
        for (out, side) in [(outA, true), (outB, false)] {
            do throws(OutputError) {
                let directory = try StagedDirectory(path: out, replaceExisting: overwrite)
                do throws(OutputError) {
                    try split.write(into: directory, keep: { patient in patient.map { inA.contains($0) == side } ?? true })
                    try directory.commit()
                } catch {
                    directory.discard()
                    throw error
                }
            } catch { throw CommandError(error.message) }
        }
        let nA = inA.count, nB = split.patientIDs.count - inA.count
        console.print("split \(formatCount(split.patientIDs.count)) patients from \(path) (seed \(seed), fraction \(fraction)): "
            + "\(formatCount(nA)) → \(outA), \(formatCount(nB)) → \(outB)")
        console.print("resources: \(formatCount(split.resourceCount)) in \(split.files.count) file\(split.files.count == 1 ? "" : "s"); "
            + "\(formatCount(split.sharedCount)) naming no patient copied to both halves")
        if split.orphanCount > 0 {
            console.error("warning: \(formatCount(split.orphanCount)) resources refer to patients not in the records; copied to both halves")
        }
        if let template {
            for out in [outA, outB] {
                do {
                    let records = try SeedRecordImporter(template: template).read(path: out)
                    console.print("\(out): " + records.report.summary().replacingOccurrences(of: "\n", with: "; "))
                } catch { throw CommandError(error.description) }
            }
        }
        return 0
    }
}

/// The resources of an ndjson folder, each tagged with the patient it belongs to.
struct RecordSplit {
    struct Line {
        var range: Range<Int>
        /// Index into `patientIDs`, or nil for a resource naming no patient (or an unknown one).
        var patient: Int?
    }

    /// Paths relative to the input folder, with their bytes and lines.
    var files: [(relative: String, bytes: [UInt8], lines: [Line])] = []
    /// Patient ids in the order their Patient resources were read.
    var patientIDs: [String] = []
    var resourceCount = 0
    var sharedCount = 0
    var orphanCount = 0

    static func read(path: String) throws(OutputError) -> RecordSplit {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError("\(path) is not a folder of ndjson files")
        }
        var relatives: [String] = []
        let enumerator = fm.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if (relative as NSString).pathExtension.lowercased() == "ndjson" { relatives.append(relative) }
        }
        guard !relatives.isEmpty else { throw OutputError("no .ndjson files in \(path)") }
        var split = RecordSplit()
        var parsed: [(String, [UInt8], [(Range<Int>, isPatient: Bool, id: String?)])] = []
        for relative in relatives.sorted() {
            let bytes = try readFileBytes((path as NSString).appendingPathComponent(relative))
            var lines: [(Range<Int>, isPatient: Bool, id: String?)] = []
            var start = 0
            for end in bytes.indices where bytes[end] == UInt8(ascii: "\n") {
                if let line = try Self.parseLine(bytes, start..<end, file: relative) { lines.append(line) }
                start = end + 1
            }
            if start < bytes.count, let line = try Self.parseLine(bytes, start..<bytes.count, file: relative) { lines.append(line) }
            parsed.append((relative, bytes, lines))
        }
        var index: [String: Int] = [:]
        for (_, _, lines) in parsed {
            for line in lines where line.isPatient {
                guard let id = line.id, index[id] == nil else { continue }
                index[id] = split.patientIDs.count
                split.patientIDs.append(id)
            }
        }
        for (relative, bytes, lines) in parsed {
            var out: [Line] = []
            for line in lines {
                split.resourceCount += 1
                var patient: Int?
                if let id = line.id {
                    patient = index[id]
                    if patient == nil { split.orphanCount += 1 }
                } else {
                    split.sharedCount += 1
                }
                out.append(Line(range: line.0, patient: patient))
            }
            split.files.append((relative, bytes, out))
        }
        return split
    }

    /// One non-blank line: whether it is a Patient, and the patient id it is or refers to.
    private static func parseLine(_ bytes: [UInt8], _ range: Range<Int>, file: String) throws(OutputError) -> (Range<Int>, isPatient: Bool, id: String?)? {
        guard bytes[range].contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) else { return nil }
        let node: JSONNode
        do { node = try JSONParser.parse(Array(bytes[range])) } catch {
            throw OutputError("\(file): malformed JSON line: \(error.description)")
        }
        if node["resourceType"]?.stringValue == "Patient" { return (range, true, node["id"]?.stringValue) }
        for key in ["subject", "patient", "beneficiary"] {
            if let reference = node[key]?["reference"]?.stringValue { return (range, false, patientID(reference)) }
        }
        return (range, false, nil)
    }

    /// `Patient/abc` or `urn:uuid:abc` (or an absolute URL ending in `Patient/abc`) → `abc`.
    static func patientID(_ reference: String) -> String {
        if let r = reference.range(of: "Patient/", options: .backwards) { return String(reference[r.upperBound...]) }
        if reference.hasPrefix("urn:uuid:") { return String(reference.dropFirst(9)) }
        return reference
    }

    /// The patients (indices into `patientIDs`) that go to the first half.
    func assignment(fraction: Double, seed: UInt64) -> Set<Int> {
        var rng = RandomStream(seed: seed, stream: 0x5351_4C54)
        let order = rng.shuffledIndices(patientIDs.count)
        let count = Int((fraction * Double(patientIDs.count)).rounded())
        return Set(order.prefix(count))
    }

    /// Writes the lines whose patient `keep` accepts, file by file, into `directory`.
    func write(into directory: StagedDirectory, keep: (Int?) -> Bool) throws(OutputError) {
        for (relative, bytes, lines) in files {
            var out = ByteWriter(capacity: bytes.count / 2 + 1)
            for line in lines where keep(line.patient) {
                out.raw(Array(bytes[line.range]))
                out.byte(UInt8(ascii: "\n"))
            }
            let target = directory.path(of: relative)
            let folder = (target as NSString).deletingLastPathComponent
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw OutputError("cannot create folder \(folder): \(error.localizedDescription)")
            }
            try writeFileAtomically(out.bytes, to: target)
        }
    }
}
