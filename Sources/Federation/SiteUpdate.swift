import DiseaseModeling
import Foundation
import Serialization
import TemplateLearning

/// What one site sends the coordinator after a round: the numbers it learned from its own
/// records, starting at the round's model, each with the count of its patients behind it, and
/// nothing else of the records.
package struct SiteUpdate: Sendable, Codable, Equatable {
    /// One learned number: the site's value of it (relative to the base template, as in a model
    /// file) and the site's patients that informed it, which weight it in the average.
    package struct Number: Sendable, Codable, Equatable {
        package var adjustment: TemplateAdjustment
        package var patients: Int
        /// For a multiplier: what the site's records alone say of its log (relative to the base
        /// template, unshrunk), and the precision of that (the posterior's less the prior's), so
        /// that the coordinator can apply the template's prior once to all sites' evidence.
        package var logEstimate: Double?
        package var precision: Double?
        /// With differential privacy: the noisy release itself, so that the coordinator can weigh
        /// it by its (public) noise.
        package var release: PrivateRelease?
    }

    /// One number's private release: the round's model value and the noisy change, per coordinate
    /// (one for a multiplier, on the log scale, and for P(male); two per value for a category mix:
    /// men's, then women's), and the SD of the Gaussian noise in each.
    package struct PrivateRelease: Sendable, Codable, Equatable {
        package var start: [Double]
        package var change: [Double]
        package var noiseSD: Double
    }

    package static let magic = "ZEBRA-FEDERATED-UPDATE"
    package static let formatVersion = 1

    /// The site's pseudonymous label.
    package var site: String
    package var templateID: String
    package var templateDigest: String
    /// The SHA-256 of the model file the site started from: an update counts only for that round.
    package var modelDigest: String
    /// The round this update is for (the model's round + 1).
    package var round: Int
    /// Seed patients the site learned from.
    package var patients: Int
    package var numbers: [Number]
    /// The local learning's settings.
    package var learnerRounds: Int
    package var twinsPerPatient: Int
    package var seed: UInt64
    /// With differential privacy: the site's guarantee after this round.
    package var privacy: SitePrivacyRecord?

    /// What the update discloses besides the learned numbers.
    package static let disclosure = "learned numbers with the count of patients behind each; no differential privacy"

    /// What a private update discloses.
    package static let privateDisclosure =
        "noisy numbers (Gaussian mechanism, RDP-accounted) and the site's patient count"

    /// The file's bytes (readable JSON, framed by a magic line and a checksum).
    package func encoded() throws(FederationError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            return ChecksummedFile.frame([UInt8](try encoder.encode(self)), magic: Self.magic,
                                         version: Self.formatVersion)
        }
        catch { throw FederationError("cannot encode the site update: \(error)") }
    }

    /// Reads and verifies an update file.
    package static func decode(_ bytes: [UInt8], file: String) throws(FederationError) -> SiteUpdate {
        let body: ArraySlice<UInt8>
        do { body = try ChecksummedFile.body(of: bytes, magic: magic, version: formatVersion, kind: "site update") }
        catch { throw FederationError("\(file): \(error.message)") }
        do { return try JSONDecoder().decode(SiteUpdate.self, from: Data(body.dropLast())) } catch {
            throw FederationError("\(file): the site update cannot be read: \(error)")
        }
    }
}

/// A problem in a federated round: names the file or site and what is wrong.
package struct FederationError: Error, Sendable, CustomStringConvertible {
    package var message: String
    /// Whether a site refused the round because it would exceed its privacy budget.
    package var isBudgetRefusal = false
    package init(_ message: String, isBudgetRefusal: Bool = false) {
        self.message = message
        self.isBudgetRefusal = isBudgetRefusal
    }
    package var description: String { message }
}
