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
    /// For a model trained across sites (`zebra federated`): the sites, rounds and aggregation.
    package var federation: FederationRecord?

    package init(template: DiseaseTemplate, learning: LearningRecord, adjustments: [TemplateAdjustment],
                 federation: FederationRecord? = nil) {
        templateID = template.id
        templateVersion = template.version
        templateDigest = template.digest
        self.learning = learning
        self.adjustments = adjustments
        self.federation = federation
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
        return ChecksummedFile.frame([UInt8](json), magic: Self.magic, version: Self.formatVersion)
    }

    /// Writes the file atomically.
    package func write(to path: String) throws(LearnedTemplateError) {
        do { try writeFileAtomically(try encoded(), to: path) } catch let error as OutputError {
            throw LearnedTemplateError(error.message)
        } catch { throw error as! LearnedTemplateError }
    }

    /// Whether the bytes start as a learned-template file.
    package static func isLearnedTemplate(_ bytes: [UInt8]) -> Bool {
        ChecksummedFile.starts(bytes, magic: magic)
    }

    /// Reads and verifies a learned template; with a template, refuses one learned for another.
    package static func decode(_ bytes: [UInt8], file: String, template: DiseaseTemplate? = nil)
        throws(LearnedTemplateError) -> LearnedTemplate {
        func fail(_ message: String) -> LearnedTemplateError { LearnedTemplateError("\(file): \(message)") }
        let body: ArraySlice<UInt8>
        do { body = try ChecksummedFile.body(of: bytes, magic: magic, version: formatVersion, kind: "learned template") }
        catch { throw fail(error.message) }
        let learned: LearnedTemplate
        do {
            learned = try JSONDecoder().decode(LearnedTemplate.self, from: Data(body.dropLast()))
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
