import Crypto

/// Signs Binance SIGNED requests: lowercase hex HMAC-SHA256 of the total params string
/// (query string followed by the request body, exactly as sent) keyed by the API secret.
public struct BinanceSigner: Sendable, CustomStringConvertible {
    private let key: SymmetricKey

    public init(secret: String) {
        key = SymmetricKey(data: Array(secret.utf8))
    }

    /// The `signature` parameter for `totalParams`.
    public func signature(for totalParams: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(totalParams.utf8), using: key)
        return mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    public var description: String { "BinanceSigner(secret: <redacted>)" }
}
