import DiseaseModeling
import Foundation
import NeuralNetworks
import Serialization

/// A problem with a checkpoint file: names the file and what is wrong.
package struct CheckpointError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// What a checkpoint says about itself, before its parameters.
package struct CheckpointHeader: Sendable, Codable, Equatable {
    package var formatVersion: Int
    package var templateID: String
    package var templateVersion: String
    /// The template's digest (`DiseaseTemplate.digest`: what the simulator and model read, prose excluded).
    package var templateDigest: String
    package var schema: SequenceSchema
    package var configuration: ModelConfiguration
    package var parameterCount: Int
    package var training: TrainingRecord
    /// The Gaussian that generation draws the latent code from.
    package var latentPrior: LatentPrior
    /// Per measure, the calibration factor of the decoder's residual SD.
    package var residualScale: [Double]
    /// The differential-privacy guarantee of training, when trained with DP-SGD.
    package var privacy: PrivacyRecord?
}

/// How a model was trained (kept in the checkpoint for provenance).
package struct TrainingRecord: Sendable, Codable, Equatable {
    package var seedRecords: String
    package var sequences: Int
    package var validationSequences: Int
    package var epochs: Int
    package var bestEpoch: Int
    package var bestValidationLoss: Double?
    package var seed: UInt64
    package var pretrainedOn: String?
    /// A 64-bit digest of each seed record trained on (validation records included), sorted; nil
    /// when the model was written without them (`zebra train --omit-record-digests`).
    package var recordDigests: [String]?
}

/// The (ε, δ) guarantee of DP-SGD training.
package struct PrivacyRecord: Sendable, Codable, Equatable {
    package var epsilon: Double
    package var delta: Double
    package var noiseMultiplier: Double
    package var clipNorm: Double
    package var sampleRate: Double
    package var steps: Int
}

/// A trained sequence model with its identity, stored as: a magic line, a JSON header line, the
/// parameters as little-endian float32, and a SHA-256 of everything before it.
package struct ModelCheckpoint: Sendable {
    package static let magic = "ZEBRA-SEQUENCE-VAE"
    package static let formatVersion = 1

    package var header: CheckpointHeader
    package var parameters: [Float]

    package init(header: CheckpointHeader, parameters: [Float]) {
        self.header = header
        self.parameters = parameters
    }

    /// The file's bytes.
    package func encoded() throws(CheckpointError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: Data
        do {
            json = try encoder.encode(header)
        } catch {
            throw CheckpointError("cannot encode the checkpoint header: \(error)")
        }
        var bytes = Array("\(Self.magic) \(Self.formatVersion)\n".utf8) + [UInt8](json) + [0x0A]
        bytes.reserveCapacity(bytes.count + parameters.count * 4 + 80)
        for p in parameters {
            let bits = p.bitPattern
            bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
        }
        bytes += Array("\nSHA256 \(SHA256.hexDigest(of: bytes))\n".utf8)
        return bytes
    }

    /// Writes the checkpoint atomically.
    package func write(to path: String) throws(CheckpointError) {
        do { try writeFileAtomically(try encoded(), to: path) } catch let error as OutputError {
            throw CheckpointError(error.message)
        } catch { throw error as! CheckpointError }
    }

    /// Reads and verifies a checkpoint; with a template, refuses one trained for another template.
    package static func read(from path: String, template: DiseaseTemplate? = nil) throws(CheckpointError)
        -> ModelCheckpoint {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path) } catch { throw CheckpointError(error.message) }
        return try decode(bytes, file: path, template: template)
    }

    package static func decode(_ bytes: [UInt8], file: String, template: DiseaseTemplate? = nil) throws(CheckpointError)
        -> ModelCheckpoint {
        func fail(_ message: String) -> CheckpointError { CheckpointError("\(file): \(message)") }
        let magicLine = Array("\(magic) ".utf8)
        guard bytes.count > magicLine.count, Array(bytes[0..<magicLine.count]) == magicLine else {
            throw fail("not a Zebra model checkpoint (it does not start with \(magic))")
        }
        guard let firstNewline = bytes.firstIndex(of: 0x0A),
              let version = Int(String(decoding: bytes[magicLine.count..<firstNewline], as: UTF8.self)) else {
            throw fail("the format line is damaged")
        }
        guard version == formatVersion else {
            throw fail("checkpoint format version \(version); this Zebra reads version \(formatVersion)")
        }
        // Trailer: "\nSHA256 <64 hex>\n" = 73 bytes.
        let trailerLength = 73
        guard bytes.count > firstNewline + 1 + trailerLength,
              String(decoding: bytes[(bytes.count - trailerLength)..<(bytes.count - 65)], as: UTF8.self)
                  == "\nSHA256 " else {
            throw fail("the file is truncated (no checksum at its end)")
        }
        let body = bytes[0..<(bytes.count - trailerLength)]
        let stored = String(decoding: bytes[(bytes.count - 65)..<(bytes.count - 1)], as: UTF8.self)
        guard SHA256.hexDigest(of: body) == stored else {
            throw fail("checksum mismatch: the file is corrupted or was modified")
        }
        guard let headerEnd = body[(firstNewline + 1)...].firstIndex(of: 0x0A) else {
            throw fail("the header is damaged")
        }
        let header: CheckpointHeader
        do {
            header = try JSONDecoder().decode(CheckpointHeader.self, from: Data(body[(firstNewline + 1)..<headerEnd]))
        } catch {
            throw fail("the header cannot be read: \(error)")
        }
        let payload = body[(headerEnd + 1)...]
        guard payload.count == header.parameterCount * 4 else {
            throw fail("expected \(header.parameterCount) parameters "
                + "(\(header.parameterCount * 4) bytes), found \(payload.count) bytes")
        }
        var parameters = [Float](repeating: 0, count: header.parameterCount)
        var i = payload.startIndex
        for k in 0..<header.parameterCount {
            let bits = UInt32(payload[i]) | UInt32(payload[i + 1]) << 8 | UInt32(payload[i + 2]) << 16
                | UInt32(payload[i + 3]) << 24
            parameters[k] = Float(bitPattern: bits)
            i += 4
        }
        if let template {
            guard header.templateID == template.id else {
                throw fail("the model was trained for template \"\(header.templateID)\", not \"\(template.id)\"")
            }
            guard header.templateDigest == template.digest else {
                throw fail("the model was trained with another version of template \"\(template.id)\" (version "
                    + "\(header.templateVersion), digest \(header.templateDigest.prefix(12))…; loaded: version "
                    + "\(template.version), digest \(template.digest.prefix(12))…): what the model learned from no "
                    + "longer matches the template (edits to descriptions, sources and notes do not count). Retrain it "
                    + "with 'zebra train --disease \(template.id) --seed-records PATH', or generate without it: "
                    + "--template-only")
            }
        }
        return ModelCheckpoint(header: header, parameters: parameters)
    }

    /// The model this checkpoint holds.
    package func model() throws(CheckpointError) -> SequenceVAE {
        var model = SequenceVAE(schema: header.schema, configuration: header.configuration, seed: 0)
        guard model.parameterCount == parameters.count else {
            throw CheckpointError("the checkpoint's \(parameters.count) parameters do not "
                + "fit a model of its configuration (\(model.parameterCount))")
        }
        model.store.values = parameters
        guard header.latentPrior.mean.count == header.configuration.latent else {
            throw CheckpointError("the checkpoint's latent prior has \(header.latentPrior.mean.count) "
                + "dimensions, not \(header.configuration.latent)")
        }
        model.latentPrior = header.latentPrior
        guard header.residualScale.count == header.schema.measures * SequenceVAE.calibrationBuckets else {
            throw CheckpointError("the checkpoint's residual calibration has \(header.residualScale.count) entries, "
                + "not \(header.schema.measures * SequenceVAE.calibrationBuckets)")
        }
        model.residualScale = header.residualScale
        return model
    }
}
