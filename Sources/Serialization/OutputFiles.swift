import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem writing output: names the path and what went wrong.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A file opened for appending raw bytes, unbuffered beyond what the caller batches.
public final class ByteFile {
    public let path: String
    private var descriptor: Int32
    public private(set) var bytesWritten: Int = 0

    /// Creates (or truncates) the file at `path`.
    public init(creating path: String) throws(OutputError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if descriptor < 0 { throw OutputError("cannot create \(path): \(String(cString: strerror(errno)))") }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(OutputError) {
        var offset = 0
        let failure: Int32? = bytes.withUnsafeBytes { buffer -> Int32? in
            while offset < buffer.count {
                let n = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let code = failure { throw OutputError("cannot write \(path): \(String(cString: strerror(code)))") }
        bytesWritten += bytes.count
    }

    /// Flushes to disk and closes; further writes are an error.
    public func close() throws(OutputError) {
        guard descriptor >= 0 else { return }
        let result = Foundation.close(descriptor)
        descriptor = -1
        if result != 0 { throw OutputError("cannot close \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { if descriptor >= 0 { _ = Foundation.close(descriptor) } }
}

/// An output folder written under a temporary name and renamed into place only when complete,
/// so that an interrupted run never leaves half a cohort that looks whole.
public struct StagedDirectory: Sendable {
    /// Where the finished folder will be.
    public let finalPath: String
    /// Where files are written until `commit()`.
    public let stagingPath: String
    private let replaceExisting: Bool

    /// Prepares a staging folder beside `path`. An existing, non-empty `path` is refused unless
    /// `replaceExisting` is set: new output is never mixed into an old folder.
    public init(path: String, replaceExisting: Bool) throws(OutputError) {
        let fm = FileManager.default
        var standardized = (path as NSString).standardizingPath
        if standardized.isEmpty { standardized = "." }
        finalPath = standardized
        self.replaceExisting = replaceExisting
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: standardized, isDirectory: &isDirectory) {
            if !isDirectory.boolValue {
                throw OutputError("\(standardized) exists and is a file, not a folder; choose another --out")
            }
            let contents = (try? fm.contentsOfDirectory(atPath: standardized)) ?? []
            if !contents.isEmpty && !replaceExisting {
                throw OutputError("output folder \(standardized) already exists and is not empty; "
                    + "choose another --out or pass --overwrite to replace it")
            }
        }
        let parent = (standardized as NSString).deletingLastPathComponent
        let name = (standardized as NSString).lastPathComponent
        let parentPath = parent.isEmpty ? "." : parent
        do {
            try fm.createDirectory(atPath: parentPath, withIntermediateDirectories: true)
        } catch {
            throw OutputError("cannot create folder \(parentPath): \(error.localizedDescription)")
        }
        stagingPath = (parentPath as NSString).appendingPathComponent(".\(name).partial-\(getpid())")
        try? fm.removeItem(atPath: stagingPath)
        do {
            try fm.createDirectory(atPath: stagingPath, withIntermediateDirectories: true)
        } catch {
            throw OutputError("cannot create staging folder \(stagingPath): \(error.localizedDescription)")
        }
    }

    /// The staging path of a file inside the folder.
    public func path(of file: String) -> String {
        (stagingPath as NSString).appendingPathComponent(file)
    }

    /// Moves the finished folder into place (replacing an old one if allowed).
    public func commit() throws(OutputError) {
        let fm = FileManager.default
        if fm.fileExists(atPath: finalPath) {
            let parent = (finalPath as NSString).deletingLastPathComponent
            let old = ((parent.isEmpty ? "." : parent) as NSString)
                .appendingPathComponent(".\((finalPath as NSString).lastPathComponent).old-\(getpid())")
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
        } else if rename(stagingPath, finalPath) != 0 {
            throw OutputError("cannot rename \(stagingPath) to \(finalPath): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the staging folder after a failure.
    public func discard() {
        try? FileManager.default.removeItem(atPath: stagingPath)
    }
}

/// Writes a whole file atomically: to a temporary name first, renamed when complete.
public func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(OutputError) {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError("cannot create folder \(directory): \(error.localizedDescription)")
        }
    }
    let temporary = path + ".partial-\(getpid())"
    let file = try ByteFile(creating: temporary)
    do {
        try file.write(bytes)
        try file.close()
    } catch {
        try? FileManager.default.removeItem(atPath: temporary)
        throw error
    }
    if rename(temporary, path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(atPath: temporary)
        throw OutputError("cannot rename \(temporary) to \(path): \(reason)")
    }
}

/// Reads a whole file as bytes, with an error that names the file.
public func readFileBytes(_ path: String) throws(OutputError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            throw OutputError(isDirectory.boolValue ? "\(path) is a folder, not a file" : "cannot read \(path)")
        }
        throw OutputError("no such file: \(path)")
    }
    return [UInt8](data)
}
