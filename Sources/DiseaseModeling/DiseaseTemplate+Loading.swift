import Foundation
import Serialization

extension DiseaseTemplate {
    /// Loads and validates a template file; every problem found is in the thrown error.
    package static func load(from path: String) throws(TemplateError) -> DiseaseTemplate {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path) } catch {
            throw TemplateError(file: path,
                                problems: [TemplateProblem(file: path, path: "$", line: 0, message: error.message)])
        }
        return try decode(bytes, file: path)
    }

    /// Decodes and validates a template from its JSON bytes; `file` names it in messages.
    package static func decode(_ bytes: [UInt8], file: String) throws(TemplateError) -> DiseaseTemplate {
        let root: JSONNode
        do { root = try JSONParser.parse(bytes) } catch {
            throw TemplateError(file: file, problems: [
                TemplateProblem(file: file, path: "$", line: error.line,
                                message: "not valid JSON: \(error.message) (column \(error.column))"),
            ])
        }
        let decoder = TemplateDecoder(file: file)
        guard var template = decoder.decode(root), decoder.reader.problems.isEmpty else {
            throw TemplateError(file: file, problems: decoder.reader.problems)
        }
        template.digest = TemplateDigest.of(root)
        return template
    }
}
