/// A parsed JSON document that remembers where each value came from.
///
/// Templates, trial specifications and seed records are read through this type rather than
/// `JSONSerialization` so that every error can name the line of the offending value, and so that
/// object keys keep their order (a template is read as its author wrote it).
package indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([JSONMember])

    /// A short name of the value's JSON type, for error messages.
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON value with the 1-based line on which it starts.
package struct JSONNode: Sendable, Equatable {
    package var value: JSONValue
    package var line: Int

    package init(_ value: JSONValue, line: Int) {
        self.value = value
        self.line = line
    }

    /// The member with the given key, when this node is an object.
    package subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.node
    }

    package var stringValue: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    package var numberValue: Double? {
        if case .number(let d) = value { return d }
        return nil
    }

    package var boolValue: Bool? {
        if case .bool(let b) = value { return b }
        return nil
    }

    package var arrayValue: [JSONNode]? {
        if case .array(let a) = value { return a }
        return nil
    }

    package var objectValue: [JSONMember]? {
        if case .object(let m) = value { return m }
        return nil
    }
}

/// One key–value pair of a JSON object.
package struct JSONMember: Sendable, Equatable {
    package var key: String
    package var node: JSONNode

    package init(key: String, node: JSONNode) {
        self.key = key
        self.node = node
    }
}

/// A syntax error in a JSON text, with its line and column.
package struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    package var line: Int
    package var column: Int
    package var message: String

    package var description: String { "line \(line), column \(column): \(message)" }
}
