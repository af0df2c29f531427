import CommandLineParsing
import DiseaseModeling
import Foundation
import Serialization

struct DiseasesCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "diseases", abstract: "List the disease templates found, with a one-line description each.",
        options: [Shared.templates, sources])

    static let sources = Flag("sources", help: "Also print every published source each template cites, in full.")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let library = try templateLibrary(arguments)
        let files = library.templateFiles()
        if files.isEmpty {
            throw CommandError("no templates (*.json) in \(library.directory)")
        }
        var failures = 0
        for file in files {
            do {
                let t = try DiseaseTemplate.load(from: file)
                let id = t.id + String(repeating: " ", count: max(2, 20 - t.id.count))
                console.print("\(id)\(t.name) (v\(t.version)): \(t.description)")
                for v in t.population.variants {
                    console.print("    --population \(v.id): \(v.text) (\(describe(v, in: t)); \(v.source))")
                }
                if arguments[sources] {
                    // Sorted by key so that the listing is the same on every run.
                    for key in t.sources.keys.sorted() { console.print("    \(key): \(t.sources[key]!)") }
                } else {
                    console.print("    \(t.sources.count) sources (zebra diseases --sources lists them)")
                }
            } catch {
                failures += 1
                let name = OutputPaths.baseName(file)
                console.print("\(name)  INVALID: \(error.problems.count) "
                    + "problem(s); run 'zebra validate-template \(file)'")
            }
        }
        return failures == 0 ? 0 : 1
    }

    /// `men 57 %, subtype msa-p 33 % msa-c 67 %`.
    static func describe(_ v: PopulationVariant, in t: DiseaseTemplate) -> String {
        func percent(_ x: Double) -> String { "\(Int((x * 100).rounded())) %" }
        var parts = v.maleProbability.map { ["men \(percent($0))"] } ?? []
        for mix in v.mixes {
            let attribute = t.attributes[mix.attribute]
            parts.append(attribute.id + " " + zip(attribute.categoryValues, mix.shares)
                .map { "\($0) \(percent($1))" }.joined(separator: " "))
        }
        return parts.joined(separator: ", ")
    }
}

struct ValidateTemplateCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "validate-template", abstract: "Check a disease template and explain every problem found.",
        arguments: [ArgumentSpecification("path", help: "The template JSON file.")])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let path = arguments.positional(0)!
        do {
            let t = try DiseaseTemplate.load(from: path)
            console.print("\(path): valid template \"\(t.id)\" v\(t.version): \(t.attributes.count) attributes, "
                + "\(t.measures.count) measures, \(t.events.count) events, \(t.treatments.count) treatments, "
                + "\(t.randomEffects.count) random effects")
            return 0
        } catch {
            console.error(error.description)
            return 1
        }
    }
}
