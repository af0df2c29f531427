import CommandLineParsing
import FHIRExport
import FlatCSVExport
import Foundation
import OMOPExport
import Serialization

/// The K-th of N disjoint parts of a run (1-based), by patient index: patients
/// `[(K−1)·P/N, K·P/N)`. Each patient's streams depend only on its index, so the parts put
/// together are the whole run, byte for byte.
struct Shard: Sendable, Equatable {
    var index: Int
    var count: Int

    /// "K/N" with 1 ≤ K ≤ N.
    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
            return nil
        }
        index = k
        count = n
    }

    /// The patient indices of this part of `total` patients.
    func range(of total: Int) -> Range<Int> {
        (index - 1) * total / count ..< index * total / count
    }

    /// The line a shard's run description carries (and a merge removes).
    var descriptionLine: String { "shard: \(index)/\(count)" }

    static let option = Option<Shard?>(
        "shard", "K/N", help: "Write only the K-th of N disjoint parts (1-based); 'zebra merge' joins them.",
        expectation: "K/N with 1 ≤ K ≤ N", parse: { Shard($0) })
}

/// Joins the shard folders of one `zebra simulate` run into the folder the unsharded run writes.
enum ShardMerge {
    struct Part {
        var path: String
        var shard: Shard
        var description: [String]
    }

    /// Reads and checks the parts: the same run, every shard 1…N once, given in order.
    static func parts(_ paths: [String]) throws(CommandError) -> [Part] {
        var parts: [Part] = []
        for path in paths {
            let marker = (path as NSString).appendingPathComponent(StagedDirectory.markerName)
            guard let bytes = try? readFileBytes(marker) else {
                throw CommandError("\(path) is not a folder zebra simulate wrote (no \(StagedDirectory.markerName))")
            }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
                .filter { !$0.hasPrefix("file: ") }
            guard let line = lines.first(where: { $0.hasPrefix("shard: ") }),
                  let shard = Shard(String(line.dropFirst("shard: ".count))) else {
                throw CommandError("\(path) is not a shard (its \(StagedDirectory.markerName) has no 'shard: K/N' line)")
            }
            parts.append(Part(path: path, shard: shard, description: lines))
        }
        guard let n = parts.first?.shard.count else { throw CommandError("give the shard folders to merge") }
        let indices = parts.map(\.shard.index)
        guard parts.allSatisfy({ $0.shard.count == n }), indices == Array(1...n) else {
            throw CommandError("merge needs shards 1 to \(n) of one run, in order; got "
                + parts.map { "\($0.shard.index)/\($0.shard.count)" }.joined(separator: ", "))
        }
        let common = parts[0].description.filter(isRunLine)
        for part in parts.dropFirst() where part.description.filter(isRunLine) != common {
            throw CommandError("\(part.path) is a shard of another run than \(parts[0].path) "
                + "(their settings in \(StagedDirectory.markerName) differ)")
        }
        return parts
    }

    /// A line that must agree across the shards of one run (not the shard line or its counts).
    static func isRunLine(_ line: String) -> Bool {
        !line.hasPrefix("shard: ") && !line.hasPrefix("resources.") && !line.hasPrefix("rows.")
    }

    /// The unsharded run's description: the shards' common lines with the resource counts summed.
    static func description(of parts: [Part]) -> String {
        // A count line is "resources.Type: n" (FHIR) or "rows.table: n" (OMOP), in the first shard's order.
        var totals: [String: Int] = [:]
        var order: [String] = []
        for part in parts {
            for line in part.description where isCountLine(line) {
                let pieces = line.split(separator: ":")
                if pieces.count == 2, let n = Int(pieces[1].trimmingCharacters(in: .whitespaces)) {
                    if totals[String(pieces[0])] == nil { order.append(String(pieces[0])) }
                    totals[String(pieces[0]), default: 0] += n
                }
            }
        }
        let counts = sortedCountKeys(order).map { "\($0): \(totals[$0]!)" }
        var lines: [String] = []
        var placed = false
        for line in parts[0].description where !line.hasPrefix("shard: ") {
            if isCountLine(line) {
                if !placed { lines += counts; placed = true }
            } else {
                if line.hasPrefix("note:") && !placed { lines += counts; placed = true }
                lines.append(line)
            }
        }
        if !placed { lines += counts }
        return lines.joined(separator: "\n") + "\n"
    }

    static func isCountLine(_ line: String) -> Bool { line.hasPrefix("resources.") || line.hasPrefix("rows.") }

    /// Count keys in the order an unsharded run writes them (resource types, then tables); a shard
    /// with no rows of a kind leaves it out, so the order cannot come from one shard alone.
    static func sortedCountKeys(_ keys: [String]) -> [String] {
        let rank = Dictionary(uniqueKeysWithValues: ResourceType.allCases.map { ("resources.\($0.name)", $0.rawValue) }
            + OMOPTable.allCases.map { ("rows.\($0.name)", 100 + $0.rawValue) }
            + FlatCSVTable.allCases.map { ("rows.\($0.name)", 200 + $0.rawValue) })
        return keys.sorted { (rank[$0] ?? Int.max, $0) < (rank[$1] ?? Int.max, $1) }
    }
}
