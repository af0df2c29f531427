import Foundation
import Serialization

/// The folder of disease templates (`DiseaseModels/`) and the templates in it.
package struct TemplateLibrary: Sendable {
    package let directory: String

    package init(directory: String) { self.directory = directory }

    /// Finds the templates folder: an explicit path, `$ZEBRA_DISEASE_MODELS`, `./DiseaseModels`,
    /// or a `DiseaseModels` folder above the running executable (a clone's `.build/release/zebra`).
    package static func locate(explicit: String?) -> TemplateLibrary? {
        let fm = FileManager.default
        func isDirectory(_ path: String) -> Bool {
            var flag: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
        }
        if let explicit { return TemplateLibrary(directory: explicit) }
        if let env = ProcessInfo.processInfo.environment["ZEBRA_DISEASE_MODELS"], isDirectory(env) {
            return TemplateLibrary(directory: env)
        }
        if isDirectory("DiseaseModels") { return TemplateLibrary(directory: "DiseaseModels") }
        var dir = (CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
            ?? "") as NSString
        for _ in 0..<6 {
            dir = dir.deletingLastPathComponent as NSString
            let candidate = dir.appendingPathComponent("DiseaseModels")
            if isDirectory(candidate) { return TemplateLibrary(directory: candidate) }
        }
        return nil
    }

    /// Template files (`*.json`, schema excluded), sorted by name.
    package func templateFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// The template with the given id (file `<id>.json`, or any file whose id matches).
    package func template(id: String) throws(TemplateError) -> DiseaseTemplate {
        let direct = (directory as NSString).appendingPathComponent("\(id).json")
        if FileManager.default.fileExists(atPath: direct) { return try DiseaseTemplate.load(from: direct) }
        for file in templateFiles() {
            if let t = try? DiseaseTemplate.load(from: file), t.id == id { return t }
        }
        let known = templateFiles().map { OutputPaths.baseName($0) }
        throw TemplateError(file: directory, problems: [TemplateProblem(
            file: directory, path: "$", line: 0,
            message: "no template with id \"\(id)\"; available: \(known.joined(separator: ", "))")])
    }
}
