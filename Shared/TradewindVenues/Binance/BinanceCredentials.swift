import Foundation
import TradewindCore

/// A Binance API key and secret. Printing, dumping or logging it never shows the secret and
/// shows at most the first four characters of the key.
public struct BinanceCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let apiKeyVariable = "TRADEWIND_BINANCE_API_KEY"
    public static let apiKeyFileVariable = "TRADEWIND_BINANCE_API_KEY_FILE"
    public static let secretVariable = "TRADEWIND_BINANCE_API_SECRET"
    public static let secretFileVariable = "TRADEWIND_BINANCE_API_SECRET_FILE"

    /// Sent in the `X-MBX-APIKEY` header.
    public let apiKey: String
    private let secret: String

    public init(apiKey: String, secret: String) {
        self.apiKey = apiKey
        self.secret = secret
    }

    /// Reads the key and secret from `TRADEWIND_BINANCE_API_KEY` / `..._API_KEY_FILE` and
    /// `TRADEWIND_BINANCE_API_SECRET` / `..._API_SECRET_FILE` (a file's trailing newline is
    /// dropped). The error names the missing or conflicting variable, or the unreadable file.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> BinanceCredentials {
        let apiKey = try value(variable: apiKeyVariable, fileVariable: apiKeyFileVariable, in: environment)
        let secret = try value(variable: secretVariable, fileVariable: secretFileVariable, in: environment)
        return BinanceCredentials(apiKey: apiKey, secret: secret)
    }

    /// The signer for this secret.
    public var signer: BinanceSigner { BinanceSigner(secret: secret) }

    public var description: String {
        let shown = apiKey.count > 8 ? String(apiKey.prefix(4)) + "…" : "…"
        return "BinanceCredentials(apiKey: \(shown), secret: <redacted>)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["credentials": description], displayStyle: .struct)
    }

    private static func value(
        variable: String, fileVariable: String, in environment: [String: String]
    ) throws(ConfigurationError) -> String {
        let direct = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        let path = environment[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
        switch (direct, path) {
        case (let value?, nil):
            return value
        case (nil, let path?):
            return try read(path: path, fileVariable: fileVariable)
        case (.some, .some):
            throw ConfigurationError(
                key: "\(variable)/\(fileVariable)", value: "<both set>", reason: "set only one of them")
        case (nil, nil):
            throw ConfigurationError(key: "\(variable) or \(fileVariable)", value: "", reason: "is not set")
        }
    }

    private static func read(path: String, fileVariable: String) throws(ConfigurationError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(key: fileVariable, value: path, reason: "cannot read the file")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(key: fileVariable, value: path, reason: "the file is not UTF-8 text")
        }
        while let last = text.last, last.isNewline {
            text.removeLast()
        }
        guard !text.isEmpty else {
            throw ConfigurationError(key: fileVariable, value: path, reason: "the file is empty")
        }
        return text
    }
}
