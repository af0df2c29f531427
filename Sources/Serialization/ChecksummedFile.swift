/// A file framed by a magic line (`MAGIC VERSION`) and a checksum line (`SHA256 <hex>`), so that
/// a truncated, damaged or edited file is refused before its body is read.
package enum ChecksummedFile {
    /// The trailer: "SHA256 " + 64 hex digits + a line break.
    static let trailerLength = 72

    /// The framed bytes of `body`.
    package static func frame(_ body: [UInt8], magic: String, version: Int) -> [UInt8] {
        var bytes = Array("\(magic) \(version)\n".utf8) + body + [0x0A]
        bytes += Array("SHA256 \(SHA256.hexDigest(of: bytes))\n".utf8)
        return bytes
    }

    /// Whether the bytes start as a file of this kind.
    package static func starts(_ bytes: [UInt8], magic: String) -> Bool {
        bytes.starts(with: Array("\(magic) ".utf8))
    }

    /// The body of a framed file, after checking its kind, version and checksum; the error
    /// message says what is wrong (the caller names the file).
    package static func body(of bytes: [UInt8], magic: String, version: Int, kind: String)
        throws(ChecksummedFileError) -> ArraySlice<UInt8> {
        guard starts(bytes, magic: magic), let firstNewline = bytes.firstIndex(of: 0x0A) else {
            throw ChecksummedFileError("not a Zebra \(kind) (it does not start with \(magic))")
        }
        let versionText = String(decoding: bytes[(magic.utf8.count + 1)..<firstNewline], as: UTF8.self)
        guard let found = Int(versionText) else { throw ChecksummedFileError("the format line is damaged") }
        guard found == version else {
            throw ChecksummedFileError("\(kind) format version \(found); this Zebra reads version \(version)")
        }
        let trailer = trailerLength
        guard bytes.count > firstNewline + 1 + trailer,
              String(decoding: bytes[(bytes.count - trailer)..<(bytes.count - 65)], as: UTF8.self) == "SHA256 " else {
            throw ChecksummedFileError("the file is truncated (no checksum at its end)")
        }
        let framed = bytes[0..<(bytes.count - trailer)]
        let stored = String(decoding: bytes[(bytes.count - 65)..<(bytes.count - 1)], as: UTF8.self)
        guard SHA256.hexDigest(of: framed) == stored else {
            throw ChecksummedFileError("checksum mismatch: the file is corrupted or was modified")
        }
        return bytes[(firstNewline + 1)..<(bytes.count - trailer)]
    }
}

/// What is wrong with a framed file (without its name, which the caller adds).
package struct ChecksummedFileError: Error, Sendable {
    package var message: String
    init(_ message: String) { self.message = message }
}
