import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Small helpers for looking inside generated SVG without a full DOM.
enum SVGInspection {
    /// Every start tag of element `name`, as its raw text up to `>`.
    static func tags(_ name: String, in svg: String) -> [String] {
        var result: [String] = []
        var rest = svg[...]
        while let start = rest.range(of: "<\(name) ") {
            let after = rest[start.lowerBound...]
            guard let end = after.firstIndex(of: ">") else { break }
            result.append(String(after[...end]))
            rest = rest[after.index(after: end)...]
        }
        return result
    }

    /// The value of attribute `name` in a start tag.
    static func attribute(_ name: String, in tag: String) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        let rest = tag[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// The (command, x, y) triples of a path made only of M and L commands.
    static func moveLineCommands(_ d: String) -> [(String, Double, Double)] {
        let parts = d.split(separator: " ")
        var out: [(String, Double, Double)] = []
        var i = 0
        while i + 1 < parts.count {
            let head = parts[i]
            let command = String(head.prefix(1))
            guard let x = Double(head.dropFirst()), let y = Double(parts[i + 1]) else { break }
            out.append((command, x, y))
            i += 2
        }
        return out
    }

    /// Parses with Foundation's XMLParser; returns the error description, or nil when well formed.
    static func xmlParserError(_ svg: String) -> String? {
        let parser = XMLParser(data: Data(svg.utf8))
        let delegate = ElementCounter()
        parser.delegate = delegate
        if parser.parse(), delegate.elements > 0 { return nil }
        return parser.parserError.map { "\($0)" } ?? "no elements"
    }

    /// A dependency-free well-formedness check: tags nest, attributes are quoted, and every
    /// ampersand starts one of the five predefined entities.
    static func tagStructureError(_ svg: String) -> String? {
        var stack: [String] = []
        var rest = svg[...]
        while let open = rest.firstIndex(of: "<") {
            let text = rest[..<open]
            if let problem = checkAmpersands(text) { return problem }
            guard let close = rest[open...].firstIndex(of: ">") else { return "unclosed tag" }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("?") || tag.hasPrefix("!") { continue }
            if tag.hasPrefix("/") {
                guard stack.popLast() == String(tag.dropFirst()) else { return "mismatched </\(tag.dropFirst())>" }
                continue
            }
            if tag.contains("<") { return "'<' inside a tag" }
            if tag.filter({ $0 == "\"" }).count % 2 != 0 { return "unbalanced quotes in <\(tag)>" }
            if let problem = checkAmpersands(tag) { return problem }
            if !tag.hasSuffix("/") {
                stack.append(String(tag.prefix { $0 != " " }))
            }
        }
        return stack.isEmpty ? nil : "unclosed elements \(stack)"
    }

    private static func checkAmpersands(_ text: Substring) -> String? {
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            let tail = rest[amp...]
            let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains { tail.hasPrefix($0) }
            if !ok { return "bare ampersand" }
            rest = rest[rest.index(after: amp)...]
        }
        return nil
    }
}

private final class ElementCounter: NSObject, XMLParserDelegate {
    var elements = 0
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements += 1
    }
}
