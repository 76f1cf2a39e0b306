/// A configuration failure, naming the key path (e.g. `risk_manager.max_order_notional`) it concerns.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key that the suite defaults do not define (a typo, usually); from the environment the path names the variable.
    case unknownKey(path: String)
    /// A required key that is absent.
    case missingKey(path: String)
    /// A value of the wrong JSON type; `expected` names the wanted type, `found` describes what was there.
    case wrongType(path: String, expected: String, found: String)
    /// A value of the right type that fails validation (range, format, allowed set).
    case invalidValue(path: String, value: String, reason: String)
    /// A configuration file that cannot be read.
    case unreadableFile(path: String, reason: String)
    /// Text that is not valid JSON.
    case malformedJSON(reason: String)

    /// The key path (or file path) the error names.
    public var path: String {
        switch self {
        case .unknownKey(let path), .missingKey(let path), .wrongType(let path, _, _),
            .invalidValue(let path, _, _), .unreadableFile(let path, _):
            path
        case .malformedJSON:
            ""
        }
    }

    /// One line naming the key, suitable for `tradewind-<daemon>: config error: <description>`.
    public var description: String {
        switch self {
        case .unknownKey(let path):
            "\(path): unknown key"
        case .missingKey(let path):
            "\(path): missing required key"
        case .wrongType(let path, let expected, let found):
            "\(path): expected \(expected), found \(found)\(ConfigError.quoteHint(expected: expected, found: found))"
        case .invalidValue(let path, let value, let reason) where value.isEmpty:
            "\(path): \(reason)"
        case .invalidValue(let path, let value, let reason):
            "\(path): invalid value \(value): \(reason)"
        case .unreadableFile(let path, let reason):
            "cannot read config file \(path): \(reason)"
        case .malformedJSON(let reason):
            "malformed JSON: \(reason)"
        }
    }

    /// Exact decimals travel as JSON strings; say so when a number sits where a string belongs.
    private static func quoteHint(expected: String, found: String) -> String {
        guard expected.contains("string"), found.hasPrefix("number ") else { return "" }
        let text = found.dropFirst("number ".count)
        return "; quote exact decimals as JSON strings, e.g. \"\(text)\""
    }

    /// Names `source` (e.g. the config file) in a malformed-JSON error; other errors already name their key.
    func within(source: String) -> ConfigError {
        switch self {
        case .malformedJSON(let reason): .malformedJSON(reason: "\(source): \(reason)")
        default: self
        }
    }
}
