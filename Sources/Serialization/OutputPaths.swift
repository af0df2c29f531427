import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Path arithmetic for outputs, safe for every spelling a user may type (`x`, `.`, `./x`, `/x`).
package enum OutputPaths {
    /// An absolute, standardized path: relative paths are taken from the current folder.
    package static func standardized(_ path: String) -> String {
        let trimmed = path.isEmpty ? "." : path
        let absolute = trimmed.hasPrefix("/")
            ? trimmed
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(trimmed)
        let standard = (absolute as NSString).standardizingPath
        return standard.isEmpty ? "/" : standard
    }

    /// The folder that holds `path` (itself standardized), never empty.
    package static func parent(of path: String) -> String {
        folder(of: standardized(path))
    }

    // Foundation's NSString path methods crash on one-character paths on Linux ("x", "."), so
    // Zebra splits paths itself.

    /// The last component of a path, without trailing slashes ("a/b.json" → "b.json").
    package static func lastComponent(_ path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.reversed().drop { $0 == "/" }.reversed())
            : path
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// The path without its last component ("a/b.json" → "a", "b.json" → "", "/b" → "/").
    package static func folder(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.reversed().drop { $0 == "/" }.reversed())
            : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The extension of the last component, without the dot ("b.NDJSON" → "NDJSON", ".hidden" → "").
    package static func fileExtension(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// The last component without its extension ("a/fabry.json" → "fabry").
    package static func baseName(_ path: String) -> String {
        let name = lastComponent(path)
        let ext = fileExtension(name)
        return ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
    }

    /// Whether `path` is the current folder or one of its ancestors (replacing it would pull the
    /// floor from under the user's shell).
    package static func isCurrentFolderOrAncestor(_ path: String) -> Bool {
        let target = resolved(standardized(path))
        let current = resolved(FileManager.default.currentDirectoryPath)
        return current == target || current.hasPrefix(target == "/" ? "/" : target + "/")
    }

    private static func resolved(_ path: String) -> String {
        (path as NSString).resolvingSymlinksInPath
    }

    /// Removes what interrupted Zebra runs left beside `name` in `folder`: `.NAME.partial-PID`
    /// and `.NAME.old-PID` folders and `NAME.partial-PID` files whose process no longer runs.
    /// Nothing else is touched: only these names, which Zebra alone makes.
    package static func removeStaleLeftovers(in folder: String, of name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let prefixes = [".\(name).partial-", ".\(name).old-", "\(name).partial-"]
        for entry in entries {
            guard let prefix = prefixes.first(where: { entry.hasPrefix($0) }),
                  let pid = Int32(entry.dropFirst(prefix.count)), pid > 0, !isRunning(pid) else { continue }
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(entry))
        }
    }

    /// Whether a process with this id runs now (the current process counts as not running:
    /// anything it left under its own id is from an earlier life of the id, or is being replaced).
    static func isRunning(_ pid: Int32) -> Bool {
        if pid == getpid() { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}

/// Paths to remove if the process is stopped by a signal: staging folders and temporary files.
///
/// SIGINT (Ctrl-C), SIGTERM (what a scheduler or time limit sends) and SIGHUP are caught on a
/// dispatch queue, not in signal context, so the clean-up may use the file system freely.
package final class TerminationCleanup: @unchecked Sendable {
    package static let shared = TerminationCleanup()

    private let lock = NSLock()
    private var paths: [String: Int] = [:]
    private var sources: [DispatchSourceSignal] = []

    /// Adds a path to remove on termination.
    package func register(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        paths[path, default: 0] += 1
    }

    /// Forgets a path (it was committed or removed).
    package func unregister(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        if let n = paths[path] { paths[path] = n > 1 ? n - 1 : nil }
    }

    /// The paths registered now (for tests).
    package var registered: [String] {
        lock.lock(); defer { lock.unlock() }
        return paths.keys.sorted()
    }

    /// Removes every registered path; worker threads may still be adding files, so a folder is
    /// tried a few times.
    package func removeAll() {
        lock.lock()
        let targets = paths.keys.sorted()
        paths = [:]
        lock.unlock()
        for path in targets {
            for _ in 0..<5 {
                try? FileManager.default.removeItem(atPath: path)
                if !FileManager.default.fileExists(atPath: path) { break }
                usleep(20_000)
            }
        }
    }

    /// Catches SIGINT, SIGTERM and SIGHUP: removes what is registered, then exits 128 + signal.
    package func installSignalHandlers(message: (@Sendable (Int32) -> Void)? = nil) {
        lock.lock(); defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global(qos: .userInitiated))
            source.setEventHandler { [self] in
                message?(sig)
                removeAll()
                exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }
}
