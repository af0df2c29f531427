import DiseaseModeling
import Foundation
import NeuralNetworks
import Serialization

/// A problem with a checkpoint file: names the file and what is wrong.
public struct CheckpointError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a checkpoint says about itself, before its parameters.
public struct CheckpointHeader: Sendable, Codable, Equatable {
    public var formatVersion: Int
    public var templateID: String
    public var templateVersion: String
    /// The template's digest (`DiseaseTemplate.digest`: what the simulator and model read, prose excluded).
    public var templateDigest: String
    public var schema: SequenceSchema
    public var configuration: ModelConfiguration
    public var parameterCount: Int
    public var training: TrainingRecord
    /// The Gaussian that generation draws the latent code from.
    public var latentPrior: LatentPrior
    /// Per measure, the calibration factor of the decoder's residual SD.
    public var residualScale: [Double]
    /// The differential-privacy guarantee of training, when trained with DP-SGD.
    public var privacy: PrivacyRecord?
}

/// How a model was trained (kept in the checkpoint for provenance).
public struct TrainingRecord: Sendable, Codable, Equatable {
    public var seedRecords: String
    public var sequences: Int
    public var validationSequences: Int
    public var epochs: Int
    public var bestEpoch: Int
    public var bestValidationLoss: Double?
    public var seed: UInt64
    public var pretrainedOn: String?
    /// A 64-bit digest of each seed record trained on (validation records included), sorted; nil
    /// when the model was written without them (`zebra train --omit-record-digests`).
    public var recordDigests: [String]?
}

/// The (ε, δ) guarantee of DP-SGD training.
public struct PrivacyRecord: Sendable, Codable, Equatable {
    public var epsilon: Double
    public var delta: Double
    public var noiseMultiplier: Double
    public var clipNorm: Double
    public var sampleRate: Double
    public var steps: Int
}

/// A trained sequence model with its identity, stored as: a magic line, a JSON header line, the
/// parameters as little-endian float32, and a SHA-256 of everything before it.
public struct ModelCheckpoint: Sendable {
    public static let magic = "ZEBRA-SEQUENCE-VAE"
    public static let formatVersion = 1

    public var header: CheckpointHeader
    public var parameters: [Float]

    public init(header: CheckpointHeader, parameters: [Float]) {
        self.header = header
        self.parameters = parameters
    }

    /// The file's bytes.
    public func encoded() throws(CheckpointError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: Data
        do { json = try encoder.encode(header) } catch { throw CheckpointError("cannot encode the checkpoint header: \(error)") }
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
    public func write(to path: String) throws(CheckpointError) {
        do { try writeFileAtomically(try encoded(), to: path) } catch let error as OutputError {
            throw CheckpointError(error.message)
        } catch { throw error as! CheckpointError }
    }

    /// Reads and verifies a checkpoint; with a template, refuses one trained for another template.
    public static func read(from path: String, template: DiseaseTemplate? = nil) throws(CheckpointError) -> ModelCheckpoint {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path) } catch { throw CheckpointError(error.message) }
        return try decode(bytes, file: path, template: template)
    }

    public static func decode(_ bytes: [UInt8], file: String, template: DiseaseTemplate? = nil) throws(CheckpointError) -> ModelCheckpoint {
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
              String(decoding: bytes[(bytes.count - trailerLength)..<(bytes.count - 65)], as: UTF8.self) == "\nSHA256 " else {
            throw fail("the file is truncated (no checksum at its end)")
        }
        let body = bytes[0..<(bytes.count - trailerLength)]
        let stored = String(decoding: bytes[(bytes.count - 65)..<(bytes.count - 1)], as: UTF8.self)
        guard SHA256.hexDigest(of: body) == stored else {
            throw fail("checksum mismatch: the file is corrupted or was modified")
        }
        guard let headerEnd = body[(firstNewline + 1)...].firstIndex(of: 0x0A) else { throw fail("the header is damaged") }
        let header: CheckpointHeader
        do {
            header = try JSONDecoder().decode(CheckpointHeader.self, from: Data(body[(firstNewline + 1)..<headerEnd]))
        } catch {
            throw fail("the header cannot be read: \(error)")
        }
        let payload = body[(headerEnd + 1)...]
        guard payload.count == header.parameterCount * 4 else {
            throw fail("expected \(header.parameterCount) parameters (\(header.parameterCount * 4) bytes), found \(payload.count) bytes")
        }
        var parameters = [Float](repeating: 0, count: header.parameterCount)
        var i = payload.startIndex
        for k in 0..<header.parameterCount {
            let bits = UInt32(payload[i]) | UInt32(payload[i + 1]) << 8 | UInt32(payload[i + 2]) << 16 | UInt32(payload[i + 3]) << 24
            parameters[k] = Float(bitPattern: bits)
            i += 4
        }
        if let template {
            guard header.templateID == template.id else {
                throw fail("the model was trained for template \"\(header.templateID)\", not \"\(template.id)\"")
            }
            guard header.templateDigest == template.digest else {
                throw fail("the model was trained with another version of template \"\(template.id)\" "
                    + "(version \(header.templateVersion), digest \(header.templateDigest.prefix(12))…; loaded: version "
                    + "\(template.version), digest \(template.digest.prefix(12))…): what the model learned from no longer "
                    + "matches the template (edits to descriptions, sources and notes do not count). Retrain it with "
                    + "'zebra train --disease \(template.id) --seed-records PATH', or generate without it: --template-only")
            }
        }
        return ModelCheckpoint(header: header, parameters: parameters)
    }

    /// The model this checkpoint holds.
    public func model() throws(CheckpointError) -> SequenceVAE {
        var model = SequenceVAE(schema: header.schema, configuration: header.configuration, seed: 0)
        guard model.parameterCount == parameters.count else {
            throw CheckpointError("the checkpoint's \(parameters.count) parameters do not fit a model of its configuration (\(model.parameterCount))")
        }
        model.store.values = parameters
        guard header.latentPrior.mean.count == header.configuration.latent else {
            throw CheckpointError("the checkpoint's latent prior has \(header.latentPrior.mean.count) dimensions, not \(header.configuration.latent)")
        }
        model.latentPrior = header.latentPrior
        guard header.residualScale.count == header.schema.measures * SequenceVAE.calibrationBuckets else {
            throw CheckpointError("the checkpoint's residual calibration has \(header.residualScale.count) entries, not \(header.schema.measures * SequenceVAE.calibrationBuckets)")
        }
        model.residualScale = header.residualScale
        return model
    }
}
