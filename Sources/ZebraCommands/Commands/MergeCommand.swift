import CommandLineParsing
import FHIRExport
import FlatCSVExport
import Foundation
import OMOPExport
import Serialization
import TrialDesign

struct MergeCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "merge", abstract: "Join the shard folders of one sharded simulate or trial-sim run into one folder.",
        discussion: """
        Takes shards 1 to N of one run, in order, and writes the folder the unsharded run writes,
        byte for byte: each ndjson file is the shards' files concatenated, Bundles are copied, the
        run description sums the counts, and the Bulk Data manifest is made again. Shards of
        different runs, or a missing shard, are refused. For 'zebra trial-sim --shard', the parts'
        replicates are joined and the operating characteristics computed from all of them, as the
        unsharded run computes them.
        """,
        options: [shards, out, Shared.overwrite])

    static let shards = Option<String>.required("shards", "dir,dir,…",
                                                help: "The shard folders, comma-separated, shard 1 first.")
    static let out = Option<String>.required("out", "dir", help: "The merged folder to write.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let paths = arguments[Self.shards].split(separator: ",").map(String.init)
        let parts = try ShardMerge.parts(paths)
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: arguments[Self.out], replaceExisting: arguments[Shared.overwrite]) }
        catch { throw CommandError(error.message) }
        do {
            if parts[0].description.contains(String(TrialSimCommand.description.dropLast())) {
                let oc = try mergeTrialSim(parts)
                try TrialSimCommand.write(oc, into: directory)
                try directory.commit(description: ShardMerge.description(of: parts))
                console.error("merged \(parts.count) trial-sim shards (\(oc.replicates) replicates) → "
                    + directory.finalPath)
                return 0
            }
            if parts[0].description.contains("format: omop") {
                let files = try mergeOMOP(parts, into: directory)
                try directory.commit(description: ShardMerge.description(of: parts))
                console.error("merged \(parts.count) OMOP shards (\(files) tables joined) → \(directory.finalPath)")
                return 0
            }
            if parts[0].description.contains("format: csv") {
                try mergeFlatCSV(parts, into: directory)
                try directory.commit(description: ShardMerge.description(of: parts))
                console.error("merged \(parts.count) flat CSV shards → \(directory.finalPath)")
                return 0
            }
            var manifest: (time: String, request: String)?
            var files = 0
            for part in parts {
                let names = try FileManager.default.contentsOfDirectory(atPath: part.path).sorted()
                for name in names where name != StagedDirectory.markerName {
                    let bytes = try readFileBytes((part.path as NSString).appendingPathComponent(name))
                    if name == BulkManifest.fileName {
                        manifest = manifest ?? readManifest(bytes)
                        continue
                    }
                    try append(bytes, to: directory.path(of: name))
                    files += 1
                }
            }
            if let manifest {
                try BulkManifest.write(into: directory.stagingPath, transactionTime: manifest.time,
                                       request: manifest.request)
            }
            try directory.commit(description: ShardMerge.description(of: parts))
            console.error("merged \(parts.count) shards (\(files) files) → \(directory.finalPath)")
            return 0
        } catch {
            directory.discard()
            throw CommandError("merge: \(error)")
        }
    }

    /// Joins the shards' OMOP tables (ids renumbered, one header); cdm_source and the vocabulary
    /// subset, the same in every shard, come from the first. Returns the number of tables joined.
    static func mergeOMOP(_ parts: [ShardMerge.Part], into directory: StagedDirectory) throws -> Int {
        var merge = OMOPShardMerge()
        for (k, part) in parts.enumerated() {
            for table in OMOPTable.recordTables {
                let path = (part.path as NSString).appendingPathComponent(table.fileName)
                let bytes = try merge.append(readFileBytes(path), table: table, first: k == 0)
                try append(bytes, to: directory.path(of: table.fileName))
            }
            merge.finishShard()
        }
        let first = parts[0].path
        try writeFileAtomically(readFileBytes((first as NSString).appendingPathComponent("cdm_source.csv")),
                                to: directory.path(of: "cdm_source.csv"))
        let folder = OMOPVocabularyFiles.folder
        try FileManager.default.createDirectory(atPath: directory.path(of: folder), withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: (first as NSString).appendingPathComponent(folder))
            .sorted() {
            try writeFileAtomically(readFileBytes("\(first)/\(folder)/\(name)"), to: directory.path(of: "\(folder)/\(name)"))
        }
        return OMOPTable.recordTables.count
    }

    /// The operating characteristics of the replicates of every trial-sim part.
    static func mergeTrialSim(_ parts: [ShardMerge.Part]) throws -> OperatingCharacteristics {
        do {
            let read = try parts.map { part throws -> TrialSimPart in
                let path = (part.path as NSString).appendingPathComponent(TrialSimPart.fileName)
                return try TrialSimPart(parsing: String(decoding: try readFileBytes(path), as: UTF8.self), file: path)
            }
            return try TrialSimPart.operatingCharacteristics(read)
        } catch let error as TrialDesignError {
            throw CommandError(error.message)
        }
    }

    /// Joins the shards' flat CSV tables (one header each); the data dictionary comes from the first.
    static func mergeFlatCSV(_ parts: [ShardMerge.Part], into directory: StagedDirectory) throws {
        for (k, part) in parts.enumerated() {
            for table in FlatCSVTable.allCases {
                var bytes = try readFileBytes((part.path as NSString).appendingPathComponent(table.fileName))
                guard bytes.starts(with: table.header) else {
                    throw CommandError("\(part.path)/\(table.fileName) does not start with the \(table.name) header")
                }
                if k > 0 { bytes.removeFirst(table.header.count) }
                try append(bytes, to: directory.path(of: table.fileName))
            }
        }
        let dictionary = (parts[0].path as NSString).appendingPathComponent(FlatCSVTable.dictionaryFileName)
        try writeFileAtomically(readFileBytes(dictionary), to: directory.path(of: FlatCSVTable.dictionaryFileName))
    }

    /// Appends to a staged file (created by the first shard that has it).
    static func append(_ bytes: [UInt8], to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            try writeFileAtomically(bytes, to: path)
            return
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    /// The transaction time and request of a shard's Bulk Data manifest (the same in every shard).
    static func readManifest(_ bytes: [UInt8]) -> (time: String, request: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let time = object["transactionTime"] as? String, let request = object["request"] as? String
        else { return nil }
        return (time, request)
    }
}
