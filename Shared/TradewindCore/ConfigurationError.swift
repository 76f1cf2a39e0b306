/// A configuration value that failed validation: which key, which value, and why.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var reason: String

    public init(key: String, value: String, reason: String) {
        self.key = key
        self.value = value
        self.reason = reason
    }

    public var description: String { "invalid configuration \(key)=\"\(NumberError.clip(value))\": \(reason)" }
}
