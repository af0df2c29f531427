import CommandLineParsing
import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import ZebraCommands

/// The block-style YAML subset Kubernetes manifests are written in here: mappings, `- ` sequences,
/// flow sequences of quoted strings, folded `>-` scalars, comments. Enough to check a manifest's
/// structure without a YAML library; anything else fails the test.
indirect enum YAMLValue: Equatable {
    case scalar(String)
    case list([YAMLValue])
    case map([String: YAMLValue])

    subscript(key: String) -> YAMLValue? { if case .map(let m) = self { m[key] } else { nil } }
    subscript(index: Int) -> YAMLValue? { if case .list(let l) = self, l.indices.contains(index) { l[index] } else { nil } }
    var text: String? { if case .scalar(let s) = self { s } else { nil } }
    var items: [YAMLValue] { if case .list(let l) = self { l } else { [] } }

    static func parse(_ source: String) throws -> YAMLValue {
        var reader = YAMLReader(source)
        return try reader.block(indent: 0)
    }
}

/// Reads YAMLValue from lines of (indent, is a `- ` item, content).
struct YAMLReader {
    var lines: [(indent: Int, item: Bool, text: String)] = []
    var i = 0

    init(_ source: String) {
        for raw in source.split(separator: "\n") {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let indent = raw.prefix { $0 == " " }.count
            if text.hasPrefix("- ") {
                lines.append((indent, true, String(text.dropFirst(2))))
            } else {
                lines.append((indent, false, text))
            }
        }
    }

    mutating func block(indent: Int) throws -> YAMLValue {
        guard i < lines.count else { return .scalar("") }
        if lines[i].item && lines[i].indent == indent {
            var items: [YAMLValue] = []
            while i < lines.count, lines[i].item, lines[i].indent == indent {
                if isKeyValue(lines[i].text) {
                    // "- key: value" opens a mapping whose keys sit two columns further in.
                    lines[i] = (indent + 2, false, lines[i].text)
                    items.append(try block(indent: indent + 2))
                } else if lines[i].text == ">-" {
                    i += 1
                    items.append(folded(deeperThan: indent))
                } else {
                    let text = lines[i].text
                    i += 1
                    items.append(try scalarOrFlow(text))
                }
            }
            return .list(items)
        }
        var map: [String: YAMLValue] = [:]
        while i < lines.count, !lines[i].item || lines[i].indent > indent, lines[i].indent == indent {
            let line = lines[i].text
            guard let colon = line.firstIndex(of: ":") else { throw YAMLError("no key in \(line)") }
            let key = String(line[..<colon])
            let rest = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            i += 1
            if rest.isEmpty {
                let inner = i < lines.count ? lines[i].indent : 0
                map[key] = inner > indent || (i < lines.count && lines[i].item && inner == indent)
                    ? try block(indent: inner) : .scalar("")
            } else if rest == ">-" {
                map[key] = folded(deeperThan: indent)
            } else {
                map[key] = try scalarOrFlow(rest)
            }
        }
        return .map(map)
    }

    /// A folded scalar: the following lines further in than `indent`, joined by spaces.
    private mutating func folded(deeperThan indent: Int) -> YAMLValue {
        var parts: [String] = []
        while i < lines.count, lines[i].indent > indent { parts.append(lines[i].text); i += 1 }
        return .scalar(parts.joined(separator: " "))
    }

    private func isKeyValue(_ text: String) -> Bool {
        guard !text.hasPrefix("\""), !text.hasPrefix("["), let colon = text.firstIndex(of: ":") else { return false }
        return !text[..<colon].contains(" ")
    }

    /// A scalar (quotes removed) or a flow sequence `[…]`, which may continue on further lines.
    private mutating func scalarOrFlow(_ text: String) throws -> YAMLValue {
        guard text.hasPrefix("[") else {
            return .scalar(text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text)
        }
        var flow = text
        while !flow.hasSuffix("]"), i < lines.count { flow += " " + lines[i].text; i += 1 }
        guard let items = try JSONParser.parse(flow).arrayValue else { throw YAMLError("not a flow sequence: \(flow)") }
        return .list(items.map { .scalar($0.stringValue ?? "") })
    }
}

struct YAMLError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// deploy/kubernetes: the Indexed Job's completion index is the shard, its options are simulate's,
/// and the merge Job joins exactly those shards on the same volume.
@Suite struct DeploymentManifestTests {
    func manifest(_ name: String) throws -> YAMLValue {
        try YAMLValue.parse(String(contentsOfFile: TestSupport.repositoryRoot + "/deploy/kubernetes/" + name,
                                   encoding: .utf8))
    }

    @Test func theIndexedJobWritesOneShardPerCompletionIndex() throws {
        let job = try manifest("zebra-shards.yaml")
        #expect(job["apiVersion"]?.text == "batch/v1" && job["kind"]?.text == "Job")
        let spec = try #require(job["spec"])
        #expect(spec["completionMode"]?.text == "Indexed")
        let completions = try #require(spec["completions"]?.text.flatMap { Int($0) })
        #expect(spec["parallelism"]?.text == String(completions))
        let pod = try #require(spec["template"]?["spec"])
        #expect(pod["restartPolicy"]?.text == "Never")
        let container = try #require(pod["containers"]?[0])
        let script = try #require(container["args"]?[0]?.text)
        #expect(script.contains("--shard \"$((JOB_COMPLETION_INDEX + 1))/\(completions)\""))
        // The options are simulate's own: they parse, with each index's shard and folder put in.
        let mount = try #require(container["volumeMounts"]?[0]?["mountPath"]?.text)
        for index in 0..<completions {
            let shell = script.replacingOccurrences(of: "$((JOB_COMPLETION_INDEX + 1))", with: String(index + 1))
            var words = shell.split(separator: " ").map { $0.replacingOccurrences(of: "\"", with: "") }
            try #require(words.prefix(3) == ["exec", "zebra", "simulate"])
            words.removeFirst(3)
            let parsed = try ParsedArguments(words, specification: SimulateCommand.specification, toolName: "zebra")
            #expect(parsed[Shard.option] == Shard("\(index + 1)/\(completions)"))
            let out = try #require(parsed[SimulateCommand.out])
            #expect(out.hasPrefix(mount + "/") && out.hasSuffix("shard-\(index + 1)"))
        }
        let claim = try #require(pod["volumes"]?[0]?["persistentVolumeClaim"]?["claimName"]?.text)
        let volume = try manifest("zebra-volume.yaml")
        #expect(volume["kind"]?.text == "PersistentVolumeClaim" && volume["metadata"]?["name"]?.text == claim)
        #expect(volume["spec"]?["accessModes"]?.items.contains(.scalar("ReadWriteMany")) == true)
    }

    @Test func theMergeJobJoinsEveryShardOnTheSameVolume() throws {
        let shards = try manifest("zebra-shards.yaml"), merge = try manifest("zebra-merge.yaml")
        let completions = try #require(shards["spec"]?["completions"]?.text.flatMap { Int($0) })
        let container = try #require(merge["spec"]?["template"]?["spec"]?["containers"]?[0])
        let command = container["command"]?.items.compactMap(\.text) ?? []
        try #require(command.prefix(2) == ["zebra", "merge"])
        let parsed = try ParsedArguments(Array(command.dropFirst(2)), specification: MergeCommand.specification,
                                         toolName: "zebra")
        let folders = parsed[MergeCommand.shards].split(separator: ",").map(String.init)
        try #require(folders.count == completions)
        for (k, folder) in folders.enumerated() { #expect(folder.hasSuffix("/shard-\(k + 1)")) }
        let claim = { (job: YAMLValue) in job["spec"]?["template"]?["spec"]?["volumes"]?[0]?["persistentVolumeClaim"]?["claimName"]?.text }
        #expect(claim(merge) != nil && claim(merge) == claim(shards))
    }
}
