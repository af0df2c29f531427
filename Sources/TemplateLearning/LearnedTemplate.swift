import DiseaseModeling
import Foundation
import Serialization

/// A problem with a learned-template file: names the file and what is wrong.
package struct LearnedTemplateError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// How a learned template was made (kept in the file for provenance).
package struct LearningRecord: Sendable, Codable, Equatable {
    package var seedRecords: String
    package var patients: Int
    package var rounds: Int
    package var twinsPerPatient: Int
    package var seed: UInt64
    /// A 64-bit digest of each seed record learned from, sorted; nil when written without them.
    package var recordDigests: [String]?

    package init(seedRecords: String, patients: Int, rounds: Int, twinsPerPatient: Int, seed: UInt64,
                 recordDigests: [String]? = nil) {
        self.seedRecords = seedRecords
        self.patients = patients
        self.rounds = rounds
        self.twinsPerPatient = twinsPerPatient
        self.seed = seed
        self.recordDigests = recordDigests
    }
}

/// A template learned from seed records: the base template's identity and the adjustments that
/// make it the posterior. The file is readable JSON between a magic line and a checksum line.
package struct LearnedTemplate: Sendable, Codable, Equatable {
    package static let magic = "ZEBRA-LEARNED-TEMPLATE"
    package static let formatVersion = 1

    package var templateID: String
    package var templateVersion: String
    package var templateDigest: String
    package var learning: LearningRecord
    package var adjustments: [TemplateAdjustment]

    package init(template: DiseaseTemplate, learning: LearningRecord, adjustments: [TemplateAdjustment]) {
        templateID = template.id
        templateVersion = template.version
        templateDigest = template.digest
        self.learning = learning
        self.adjustments = adjustments
    }

    /// The base template with the learned adjustments applied.
    package func apply(to template: DiseaseTemplate) throws(LearnedTemplateError) -> DiseaseTemplate {
        do { return try template.adjusted(by: adjustments) } catch {
            throw LearnedTemplateError("the learned template does not fit template '\(template.id)': \(error.message)")
        }
    }

    /// The file's bytes.
    package func encoded() throws(LearnedTemplateError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let json: Data
        do { json = try encoder.encode(self) } catch {
            throw LearnedTemplateError("cannot encode the learned template: \(error)")
        }
        var bytes = Array("\(Self.magic) \(Self.formatVersion)\n".utf8) + [UInt8](json) + [0x0A]
        bytes += Array("SHA256 \(SHA256.hexDigest(of: bytes))\n".utf8)
        return bytes
    }

    /// Writes the file atomically.
    package func write(to path: String) throws(LearnedTemplateError) {
        do { try writeFileAtomically(try encoded(), to: path) } catch let error as OutputError {
            throw LearnedTemplateError(error.message)
        } catch { throw error as! LearnedTemplateError }
    }

    /// Whether the bytes start as a learned-template file.
    package static func isLearnedTemplate(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array("\(magic) ".utf8))
    }

    /// Reads and verifies a learned template; with a template, refuses one learned for another.
    package static func decode(_ bytes: [UInt8], file: String, template: DiseaseTemplate? = nil)
        throws(LearnedTemplateError) -> LearnedTemplate {
        func fail(_ message: String) -> LearnedTemplateError { LearnedTemplateError("\(file): \(message)") }
        guard isLearnedTemplate(bytes), let firstNewline = bytes.firstIndex(of: 0x0A) else {
            throw fail("not a Zebra learned template (it does not start with \(magic))")
        }
        let versionText = String(decoding: bytes[(magic.utf8.count + 1)..<firstNewline], as: UTF8.self)
        guard let version = Int(versionText) else { throw fail("the format line is damaged") }
        guard version == formatVersion else {
            throw fail("learned-template format version \(version); this Zebra reads version \(formatVersion)")
        }
        // Trailer: "SHA256 <64 hex>\n" = 72 bytes.
        let trailer = 72
        guard bytes.count > firstNewline + 1 + trailer,
              String(decoding: bytes[(bytes.count - trailer)..<(bytes.count - 65)], as: UTF8.self) == "SHA256 " else {
            throw fail("the file is truncated (no checksum at its end)")
        }
        let body = bytes[0..<(bytes.count - trailer)]
        let stored = String(decoding: bytes[(bytes.count - 65)..<(bytes.count - 1)], as: UTF8.self)
        guard SHA256.hexDigest(of: body) == stored else {
            throw fail("checksum mismatch: the file is corrupted or was modified")
        }
        let learned: LearnedTemplate
        do {
            learned = try JSONDecoder().decode(LearnedTemplate.self, from: Data(body[(firstNewline + 1)...]))
        } catch { throw fail("the learned template cannot be read: \(error)") }
        if let template {
            guard learned.templateID == template.id else {
                throw fail("it was learned for template \"\(learned.templateID)\", not \"\(template.id)\"")
            }
            guard learned.templateDigest == template.digest else {
                throw fail("it was learned from another version of template \"\(template.id)\" (version "
                    + "\(learned.templateVersion), digest \(learned.templateDigest.prefix(12))…; loaded: version "
                    + "\(template.version), digest \(template.digest.prefix(12))…). Learn it again with 'zebra "
                    + "train --disease \(template.id) --seed-records PATH', or generate without it: --template-only")
            }
        }
        return learned
    }
}
