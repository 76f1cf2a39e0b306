extension ConfigSection {
    /// Runs a daemon's own parsing of `key` (e.g. a fixed-point decimal), turning any error it throws
    /// into ``ConfigError/invalidValue(path:value:reason:)`` naming the key; a `ConfigError` passes through.
    public func validate<T>(_ key: String, _ body: () throws -> T) throws(ConfigError) -> T {
        try ConfigError.validate(keyPath(key), value: members[key]?.jsonText() ?? "(absent)", body)
    }

    /// Reads the decimal string at `key` and parses it with `parse`, naming the key if parsing fails.
    public func decimal<T>(_ key: String, _ parse: (String) throws -> T) throws(ConfigError) -> T {
        let text = try decimalString(key)
        return try validate(key) { try parse(text) }
    }
}

extension ConfigError {
    /// Runs `body`, mapping any non-`ConfigError` it throws to `invalidValue(path, value, reason)`.
    public static func validate<T>(_ path: String, value: String, _ body: () throws -> T) throws(ConfigError) -> T {
        do {
            return try body()
        } catch let error as ConfigError {
            throw error
        } catch {
            throw .invalidValue(path: path, value: value, reason: String(describing: error))
        }
    }
}
