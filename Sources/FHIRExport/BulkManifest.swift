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
        let names = listed.filter { $0.hasSuffix(".ndjson") }
        let order = Dictionary(uniqueKeysWithValues: ResourceType.allCases.map { ($0.name, $0.rawValue) })
        let sorted = names.sorted { a, b in
            let (ta, tb) = (String(a.dropLast(7)), String(b.dropLast(7)))
            return (order[ta] ?? Int.max, a) < (order[tb] ?? Int.max, b)
        }
        var output: [ReportJSON] = []
        for name in sorted {
            let bytes = try readFileBytes((folder as NSString).appendingPathComponent(name))
            let lines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            output.append(.object([("type", .string(String(name.dropLast(7)))), ("url", .string(name)),
                                   ("count", .integer(lines))]))
        }
        let manifest = ReportJSON.object([
            ("transactionTime", .string(transactionTime)), ("request", .string(request)),
            ("requiresAccessToken", .bool(false)), ("output", .array(output)), ("error", .array([])),
        ])
        return manifest.bytes()
    }

    /// Writes the manifest into `folder`.
    package static func write(into folder: String, transactionTime: String, request: String) throws(OutputError) {
        try writeFileAtomically(json(folder: folder, transactionTime: transactionTime, request: request),
                                to: (folder as NSString).appendingPathComponent(fileName))
    }
}
