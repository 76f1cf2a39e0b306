import Foundation

/// Connection strings as they may appear in errors and logs: with any password replaced.
public enum ConnectionURL {
    /// `url` with the password of `scheme://user:password@host` and any `password=` value
    /// (URI query or key/value form) replaced by `***`.
    public static func redacted(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let authorityEnd = text[scheme.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? text.endIndex
            let authority = text[scheme.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        var result = ""
        var rest = Substring(text)
        while let found = rest.range(of: "password=") {
            result += rest[..<found.upperBound] + "***"
            rest = rest[found.upperBound...]
            rest = rest[(rest.firstIndex(where: { $0 == "&" || $0 == " " }) ?? rest.endIndex)...]
        }
        return result + rest
    }
}
