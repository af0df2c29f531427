import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem writing output: names the path and what went wrong.
package struct OutputError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// A file opened for appending raw bytes, unbuffered beyond what the caller batches.
package final class ByteFile {
    package let path: String
    private var descriptor: Int32
    package private(set) var bytesWritten: Int = 0

    /// Creates (or truncates) the file at `path`.
    package init(creating path: String) throws(OutputError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if descriptor < 0 { throw OutputError("cannot create \(path): \(String(cString: strerror(errno)))") }
    }

    /// Writes all of `bytes`.
    package func write(_ bytes: [UInt8]) throws(OutputError) {
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
    package func close() throws(OutputError) {
        guard descriptor >= 0 else { return }
        let result = Foundation.close(descriptor)
        descriptor = -1
        if result != 0 { throw OutputError("cannot close \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { if descriptor >= 0 { _ = Foundation.close(descriptor) } }
}

/// Writes a whole file atomically: to a temporary name first, renamed when complete.
package func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(OutputError) {
    let directory = OutputPaths.folder(of: path)
    if !directory.isEmpty {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError("cannot create folder \(directory): \(error.localizedDescription)")
        }
    }
    OutputPaths.removeStaleLeftovers(in: directory.isEmpty ? "." : directory, of: OutputPaths.lastComponent(path))
    let temporary = path + ".partial-\(getpid())"
    TerminationCleanup.shared.register(temporary)
    defer { TerminationCleanup.shared.unregister(temporary) }
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
package func readFileBytes(_ path: String) throws(OutputError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            throw OutputError(isDirectory.boolValue ? "\(path) is a folder, not a file" : "cannot read \(path)")
        }
        throw OutputError("no such file: \(path)")
    }
    return [UInt8](data)
}
