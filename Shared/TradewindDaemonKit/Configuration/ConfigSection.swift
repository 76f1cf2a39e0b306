/// One object of the configuration (a daemon's section, a nested object, a list element) with typed
/// getters; every getter names the full key path in its errors.
public struct ConfigSection: Sendable, Equatable {
    /// The key path of this object (`risk_manager`, `instruments[0]`, or empty for the root).
    public let path: String
    /// The object's members.
    public let members: [String: ConfigValue]

    /// Wraps `members` found at `path`.
    public init(path: String, members: [String: ConfigValue]) {
        self.path = path
        self.members = members
    }

    /// The member keys, sorted.
    public var keys: [String] { members.keys.sorted() }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { members[key] != nil }

    /// The full path of `key` in this section, e.g. `risk_manager.max_order_notional`.
    public func keyPath(_ key: String) -> String {
        ConfigMerger.join(path, key)
    }

    /// The raw value at `key`.
    public func value(_ key: String) throws(ConfigError) -> ConfigValue {
        guard let value = members[key] else { throw .missingKey(path: keyPath(key)) }
        return value
    }

    /// A string value.
    public func string(_ key: String) throws(ConfigError) -> String {
        let value = try value(key)
        guard case .string(let text) = value else {
            throw .wrongType(path: keyPath(key), expected: "string", found: value.summary)
        }
        return text
    }

    /// A non-empty string value.
    public func nonEmptyString(_ key: String) throws(ConfigError) -> String {
        let text = try string(key)
        guard !text.isEmpty else { throw .invalidValue(path: keyPath(key), value: "\"\"", reason: "must not be empty") }
        return text
    }

    /// A whole-number value, optionally limited to `range`.
    public func int(_ key: String, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        try ConfigSection.integer(try value(key), path: keyPath(key), range: range)
    }

    /// A boolean value.
    public func bool(_ key: String) throws(ConfigError) -> Bool {
        let value = try value(key)
        guard case .bool(let flag) = value else {
            throw .wrongType(path: keyPath(key), expected: "boolean", found: value.summary)
        }
        return flag
    }

    /// A whole number of milliseconds (optionally limited to `range`, in milliseconds) as a `Duration`.
    public func durationMilliseconds(_ key: String, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Duration {
        .milliseconds(try int(key, range: range))
    }

    /// An exact decimal written as a JSON string (`"0.01"`); a JSON number is refused, since it may not be exact.
    public func decimalString(_ key: String) throws(ConfigError) -> String {
        try ConfigSection.decimal(try value(key), path: keyPath(key))
    }

    /// A string that must be the raw value of one of `T`'s cases; the error lists the allowed values.
    public func oneOf<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type = T.self) throws(ConfigError) -> T
    where T.RawValue == String {
        let text = try string(key)
        guard let result = T(rawValue: text) else {
            let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw .invalidValue(path: keyPath(key), value: "\"\(text)\"", reason: "must be one of \(allowed)")
        }
        return result
    }

    static func integer(_ value: ConfigValue, path: String, range: ClosedRange<Int>?) throws(ConfigError) -> Int {
        guard case .number(let text) = value, text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (48...57).contains($0) }) else {
            throw .wrongType(path: path, expected: "integer", found: value.summary)
        }
        guard let number = Int(text) else {
            throw .invalidValue(path: path, value: text, reason: "does not fit in a 64-bit integer")
        }
        if let range, !range.contains(number) {
            throw .invalidValue(path: path, value: text, reason: "must be in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    static func decimal(_ value: ConfigValue, path: String) throws(ConfigError) -> String {
        guard case .string(let text) = value else {
            throw .wrongType(path: path, expected: "decimal string", found: value.summary)
        }
        guard isDecimalLiteral(text) else {
            throw .invalidValue(
                path: path,
                value: JSONEscaping.quoted(text),
                reason: "not a decimal number (digits with an optional '.' fraction, e.g. \"0.01\")"
            )
        }
        return text
    }

    /// `-?digits(.digits)?`
    private static func isDecimalLiteral(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits: (Substring.UTF8View.SubSequence) -> Bool = { !$0.isEmpty && $0.allSatisfy { (48...57).contains($0) } }
        return parts.count <= 2 && parts.allSatisfy(isDigits)
    }
}
