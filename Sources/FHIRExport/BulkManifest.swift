import Foundation
import Serialization

/// The FHIR Bulk Data `$export` completion manifest of a folder of ndjson files, so that bulk
/// importers can take the folder as it is: one `output` entry per file (type, url, count),
/// `transactionTime`, `request`, `requiresAccessToken: false` and an empty `error` list.
///
/// URLs are relative to the manifest (the folder moves with it), and `transactionTime` is the
/// day the records end, not the wall clock, so the same run writes the same bytes.
package enum BulkManifest {
    /// The manifest's file name; Zebra's record reader skips it in a folder.
    package static let fileName = "bulk-manifest.json"

    /// The manifest of the `Type.ndjson` files in `folder`, resources counted by line.
    package static func json(folder: String, transactionTime: String, request: String) throws(OutputError)
        -> [UInt8] {
        let listed: [String]
        do { listed = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw OutputError("cannot list \(folder) for its Bulk Data manifest: \(error.localizedDescription)")
        }
        var files: [(name: String, count: Int)] = []
        for name in listed where name.hasSuffix(".ndjson") {
            let bytes = try readFileBytes((folder as NSString).appendingPathComponent(name))
            files.append((name, bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }))
        }
        return json(files: files, transactionTime: transactionTime, request: request)
    }

    /// The manifest of ndjson files whose resource counts the writer knows (no file is read back).
    package static func json(files: [(name: String, count: Int)], transactionTime: String, request: String)
        -> [UInt8] {
        let order = Dictionary(uniqueKeysWithValues: ResourceType.allCases.map { ($0.name, $0.rawValue) })
        let sorted = files.sorted { a, b in
            let (ta, tb) = (String(a.name.dropLast(7)), String(b.name.dropLast(7)))
            return (order[ta] ?? Int.max, a.name) < (order[tb] ?? Int.max, b.name)
        }
        let output: [ReportJSON] = sorted.map { file in
            .object([("type", .string(String(file.name.dropLast(7)))), ("url", .string(file.name)),
                     ("count", .integer(file.count))])
        }
        let manifest = ReportJSON.object([
            ("transactionTime", .string(transactionTime)), ("request", .string(request)),
            ("requiresAccessToken", .bool(false)), ("output", .array(output)), ("error", .array([])),
        ])
        return manifest.bytes()
    }

    /// Writes the manifest of a cohort export into `folder`, from the counts it wrote.
    package static func write(_ summary: ExportSummary, into folder: String, transactionTime: String,
                              request: String) throws(OutputError) {
        let files = ResourceType.allCases.filter { summary.resourcesByType[$0.rawValue] > 0 }
            .map { (name: "\($0.name).ndjson", count: summary.resourcesByType[$0.rawValue]) }
        try writeFileAtomically(json(files: files, transactionTime: transactionTime, request: request),
                                to: (folder as NSString).appendingPathComponent(fileName))
    }

    /// Writes the manifest into `folder`.
    package static func write(into folder: String, transactionTime: String, request: String) throws(OutputError) {
        try writeFileAtomically(json(folder: folder, transactionTime: transactionTime, request: request),
                                to: (folder as NSString).appendingPathComponent(fileName))
    }
}
