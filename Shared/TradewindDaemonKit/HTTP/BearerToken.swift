import Foundation

/// The bearer token that guards mutating control routes, read from a file or the environment.
public enum BearerToken {
    /// Reads the token from the file named by `TRADEWIND_API_TOKEN_FILE`, else from `TRADEWIND_API_TOKEN`;
    /// nil when neither is set. Surrounding whitespace is trimmed.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> String? {
        if let file = environment["TRADEWIND_API_TOKEN_FILE"], !file.isEmpty {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw .unreadableFile(path: file, reason: "cannot read API token file (TRADEWIND_API_TOKEN_FILE)")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw .invalidValue(path: "TRADEWIND_API_TOKEN_FILE", value: file, reason: "the token file is empty")
            }
            return token
        }
        let token = environment["TRADEWIND_API_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        return token?.isEmpty == false ? token : nil
    }

    /// nil when `header` is `Bearer <expected>`; otherwise the 401/403 response to send.
    static func check(_ header: String?, expected: String?) -> DaemonHTTPResponse? {
        guard let expected else { return .error("control disabled: no API token configured", status: 403) }
        guard let header, header.hasPrefix("Bearer ") else { return .error("missing bearer token", status: 401) }
        return matches(String(header.dropFirst("Bearer ".count)), expected: expected) ? nil : .error("invalid bearer token", status: 401)
    }

    /// Whether `given` equals `expected`, in time independent of where they differ.
    public static func matches(_ given: String, expected: String) -> Bool {
        let given = Array(given.utf8)
        let wanted = Array(expected.utf8)
        var difference = UInt8(given.count == wanted.count ? 0 : 1)
        for index in 0..<min(given.count, wanted.count) { difference |= given[index] ^ wanted[index] }
        return difference == 0
    }
}
