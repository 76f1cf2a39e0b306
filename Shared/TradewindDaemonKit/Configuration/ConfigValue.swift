/// A JSON value from the suite configuration; numbers keep their source text so nothing is rounded.
public enum ConfigValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A JSON number, kept as written (e.g. `"9103"`, `"0.5"`, `"1e3"`).
    case number(String)
    case string(String)
    case array([ConfigValue])
    case object([String: ConfigValue])

    /// The JSON kind, as named in error messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A short description for error messages: the kind, then the value when it is a scalar.
    public var summary: String {
        switch self {
        case .null: "null"
        case .bool(let value): "boolean \(value)"
        case .number(let text): "number \(text)"
        case .string(let text): "string \(ConfigValue.string(text).jsonText())"
        case .array(let items): "array of \(items.count)"
        case .object: "object"
        }
    }

    /// Whether `self` and `other` have the same JSON kind.
    func sameKind(as other: ConfigValue) -> Bool {
        kind == other.kind
    }

    /// An object whose keys are configuration keys (checked, deep-merged), as opposed to a data map
    /// keyed by values such as instrument ids (replaced whole). Only non-empty snake_case objects qualify.
    var isSchemaObject: Bool {
        guard case .object(let members) = self, !members.isEmpty else { return false }
        return members.keys.allSatisfy(ConfigValue.isConfigKey)
    }

    /// A configuration key: lower-case snake_case (`[a-z][a-z0-9_]*`).
    static func isConfigKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }
}
