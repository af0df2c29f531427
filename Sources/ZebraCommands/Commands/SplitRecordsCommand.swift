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
        options: [records, outA, outB, fraction, seed, disease, Shared.overwrite, Shared.templates])

    static let records = Option<String>.required(
        "records", "path", help: "Folder of FHIR R4 Bulk ndjson files (searched recursively).")
    static let outA = Option<String>.required(
        "out-a", "dir", help: "Folder for the first share of patients (e.g. the seed records).")
    static let outB = Option<String>.required("out-b", "dir", help: "Folder for the other patients (e.g. the holdout).")
    static let fraction = Option<Double>("fraction", "x", default: 0.5, in: 0...1,
                                         help: "Share of patients that go to --out-a.")
    static let seed = Option<Int>("seed", "n", default: 1, in: 0...Int.max, help: "Random seed of the shuffle.")
    static let disease = Option<String?>("disease", "id",
                                         help: "Template id: import each half and print what was read.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let path = arguments[Self.records]
        let outA = arguments[Self.outA], outB = arguments[Self.outB]
        let fraction = arguments[Self.fraction]
        let seed = UInt64(arguments[Self.seed])
        try Self.checkDistinctFolders(records: path, outA: outA, outB: outB, usage: arguments.usage)
        let template = try arguments[Self.disease].map { id throws(CommandError) in try loadTemplate(id, arguments) }
        let split: RecordSplit
        do { split = try RecordSplit.read(path: path) } catch { throw CommandError(error.message) }
        let inA = split.assignment(fraction: fraction, seed: seed)
        let overwrite = arguments[Shared.overwrite]
        for (out, side) in [(outA, true), (outB, false)] {
            do throws(OutputError) {
                let directory = try StagedDirectory(path: out, replaceExisting: overwrite)
                do throws(OutputError) {
                    try split.write(into: directory,
                                    keep: { patient in patient.map { inA.contains($0) == side } ?? true })
                    try directory.commit(description: "generator: zebra split-records\n")
                } catch {
                    directory.discard()
                    throw error
                }
            } catch { throw CommandError(error.message) }
        }
        let nA = inA.count, nB = split.patientIDs.count - inA.count
        console.print("split \(formatCount(split.patientIDs.count)) patients from \(path) (seed \(seed), fraction "
            + "\(fraction)): \(formatCount(nA)) → \(outA), \(formatCount(nB)) → \(outB)")
        console.print("resources: \(formatCount(split.resourceCount)) in \(split.files.count) "
            + "file\(split.files.count == 1 ? "" : "s"); \(formatCount(split.sharedCount)) naming no patient copied to "
            + "both halves")
        if split.orphanCount > 0 {
            console.error("warning: \(formatCount(split.orphanCount)) resources refer "
                + "to patients not in the records; copied to both halves")
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

    /// Refuses before any work when the two halves would land in one folder, or inside the input.
    static func checkDistinctFolders(records: String, outA: String, outB: String, usage: String) throws(UsageError) {
        let (a, b, input) = (OutputPaths.standardized(outA), OutputPaths.standardized(outB),
                             OutputPaths.standardized(records))
        func inside(_ x: String, _ y: String) -> Bool { x == y || x.hasPrefix(y + "/") }
        if inside(a, b) || inside(b, a) {
            throw UsageError("--out-a and --out-b must be two separate folders (got \(a) and \(b))", usage: usage)
        }
        for (name, out) in [("--out-a", a), ("--out-b", b)] where inside(out, input) || inside(input, out) {
            throw UsageError("\(name) \(out) overlaps the records at \(input); write the halves elsewhere",
                             usage: usage)
        }
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
            if OutputPaths.fileExtension(relative).lowercased() == "ndjson" { relatives.append(relative) }
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
            if start < bytes.count, let line = try Self.parseLine(bytes, start..<bytes.count, file: relative) {
                lines.append(line)
            }
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
    private static func parseLine(_ bytes: [UInt8], _ range: Range<Int>, file: String) throws(OutputError)
        -> (Range<Int>, isPatient: Bool, id: String?)? {
        guard bytes[range].contains(where: {
            $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t")
        }) else {
            return nil
        }
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
            let folder = OutputPaths.folder(of: target)
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw OutputError("cannot create folder \(folder): \(error.localizedDescription)")
            }
            try writeFileAtomically(out.bytes, to: target)
        }
    }
}
