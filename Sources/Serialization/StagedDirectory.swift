import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output folder written under a temporary name and renamed into place only when complete,
/// so that an interrupted run never leaves half a cohort that looks whole.
///
/// Zebra replaces only folders it wrote itself: every committed folder holds a `zebra-run.txt`
/// whose `file:` lines list what Zebra put there. A folder with anything else in it is never
/// replaced, whatever `--overwrite` says.
package struct StagedDirectory: Sendable {
    /// The marker that makes a folder Zebra's: what wrote it, and every file it wrote.
    package static let markerName = "zebra-run.txt"

    /// Where the finished folder will be.
    package let finalPath: String
    /// Where files are written until `commit()`.
    package let stagingPath: String

    /// Prepares a staging folder beside `path`. An existing, non-empty `path` is refused unless
    /// `replaceExisting` is set and the folder is one that Zebra wrote.
    package init(path: String, replaceExisting: Bool) throws(OutputError) {
        let fm = FileManager.default
        finalPath = OutputPaths.standardized(path)
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: finalPath, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw OutputError("\(finalPath) exists and is a file, not a folder; choose another --out")
            }
            let contents = (try? fm.contentsOfDirectory(atPath: finalPath)) ?? []
            if !contents.isEmpty {
                guard replaceExisting else {
                    throw OutputError("output folder \(finalPath) already exists and is not empty; "
                        + "choose another --out or pass --overwrite to replace it")
                }
                try Self.checkReplaceable(finalPath, contents: contents)
            }
        }
        let parent = OutputPaths.parent(of: finalPath)
        let name = OutputPaths.lastComponent(finalPath)
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw OutputError("cannot create folder \(parent): \(error.localizedDescription)")
        }
        OutputPaths.removeStaleLeftovers(in: parent, of: name)
        stagingPath = (parent as NSString).appendingPathComponent(".\(name).partial-\(getpid())")
        try? fm.removeItem(atPath: stagingPath)
        do {
            try fm.createDirectory(atPath: stagingPath, withIntermediateDirectories: true)
        } catch {
            throw OutputError("cannot create staging folder \(stagingPath): \(error.localizedDescription)")
        }
        TerminationCleanup.shared.register(stagingPath)
    }

    /// Refuses to replace a folder unless Zebra's marker lists everything in it.
    static func checkReplaceable(_ path: String, contents: [String]) throws(OutputError) {
        if OutputPaths.isCurrentFolderOrAncestor(path) {
            throw OutputError("\(path) is the current folder or contains it; Zebra will not replace it. "
                + "Give --out a new subfolder, e.g. --out \((path as NSString).appendingPathComponent("zebra-output"))")
        }
        let marker = (path as NSString).appendingPathComponent(markerName)
        guard let text = try? String(contentsOfFile: marker, encoding: .utf8), text.hasPrefix("generator: zebra") else {
            throw OutputError("\(path) was not written by Zebra (it has no \(markerName) from Zebra), so --overwrite "
                + "will not replace it; choose another --out, or remove the folder yourself")
        }
        let listed = Set(text.split(separator: "\n").compactMap { line -> String? in
            line.hasPrefix("file: ") ? String(line.dropFirst(6)) : nil
        })
        let unknown = contents.filter { $0 != markerName && !listed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            let shown = unknown.prefix(3).joined(separator: ", ") + (unknown.count > 3 ? ", …" : "")
            throw OutputError("\(path) holds \(unknown.count) item\(unknown.count == 1 ? "" : "s") Zebra did not write "
                + "(\(shown)), so --overwrite will not replace it; move them out or choose another --out")
        }
    }

    /// The staging path of a file inside the folder.
    package func path(of file: String) -> String {
        (stagingPath as NSString).appendingPathComponent(file)
    }

    /// Writes the marker (the run's description, then every file written) and moves the finished
    /// folder into place, replacing an old one if allowed.
    package func commit(description: String = "generator: zebra\n") throws(OutputError) {
        let fm = FileManager.default
        let files = ((try? fm.contentsOfDirectory(atPath: stagingPath)) ?? []).filter { $0 != Self.markerName }.sorted()
        var marker = description.hasPrefix("generator: zebra") ? description : "generator: zebra\n" + description
        if !marker.hasSuffix("\n") { marker += "\n" }
        marker += files.map { "file: \($0)\n" }.joined()
        try writeFileAtomically(Array(marker.utf8), to: path(of: Self.markerName))
        // Checked again: during a long run the user may have put something into the old folder.
        let existing = (try? fm.contentsOfDirectory(atPath: finalPath)) ?? []
        if !existing.isEmpty { try Self.checkReplaceable(finalPath, contents: existing) }
        if fm.fileExists(atPath: finalPath) {
            let old = (OutputPaths.parent(of: finalPath) as NSString)
                .appendingPathComponent(".\(OutputPaths.lastComponent(finalPath)).old-\(getpid())")
            TerminationCleanup.shared.register(old)
            do {
                try fm.moveItem(atPath: finalPath, toPath: old)
            } catch {
                throw OutputError("cannot move the old \(finalPath) aside: \(error.localizedDescription)")
            }
            if rename(stagingPath, finalPath) != 0 {
                let reason = String(cString: strerror(errno))
                try? fm.moveItem(atPath: old, toPath: finalPath)
                throw OutputError("cannot rename \(stagingPath) to \(finalPath): \(reason)")
            }
            try? fm.removeItem(atPath: old)
            TerminationCleanup.shared.unregister(old)
        } else if rename(stagingPath, finalPath) != 0 {
            throw OutputError("cannot rename \(stagingPath) to \(finalPath): \(String(cString: strerror(errno)))")
        }
        TerminationCleanup.shared.unregister(stagingPath)
    }

    /// Removes the staging folder after a failure.
    package func discard() {
        try? FileManager.default.removeItem(atPath: stagingPath)
        TerminationCleanup.shared.unregister(stagingPath)
    }
}
