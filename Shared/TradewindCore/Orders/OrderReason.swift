/// Why an order was rejected, canceled or expired, or a cancel refused: a stable code for machines
/// and a free-text detail for people (the venue's own code and message, the values compared).
public struct OrderReason: Sendable, Hashable, CustomStringConvertible {
    public var code: OrderReasonCode
    /// Free text; may be empty.
    public var detail: String

    public init(_ code: OrderReasonCode, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// A reason as it arrives from the wire or a table: `.unknown` keeps the foreign code in the detail.
    public init(code: String, detail: String) {
        let known = OrderReasonCode(code: code)
        let foreign = known == .unknown && !code.isEmpty && code != OrderReasonCode.unknown.rawValue
        self.init(known, foreign ? Self.joined(code, detail) : detail)
    }

    /// "CODE" or "CODE: detail".
    public var description: String { Self.joined(code.rawValue, detail) }

    private static func joined(_ code: String, _ detail: String) -> String {
        detail.isEmpty ? code : "\(code): \(detail)"
    }
}

extension OrderReason: Codable {
    private enum CodingKeys: String, CodingKey { case code, detail }

    /// Encodes `{"code": …, "detail": …}`; also decodes the free-text reason of older builds.
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.init(legacy: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(OrderReasonCode.self, forKey: .code),
            try container.decodeIfPresent(String.self, forKey: .detail) ?? "")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(detail, forKey: .detail)
    }
}

extension OrderReason {
    /// The reason a build before stable codes wrote as text ("LOCAL:INVALID_PRICE",
    /// "VENUE_UNAVAILABLE: transient: …", "-2010: …", "EXPIRED"); `.unknown` with the text otherwise.
    public init(legacy text: String) {
        var rest = Substring(text)
        if rest.hasPrefix("LOCAL:") { rest = rest.dropFirst("LOCAL:".count) }
        if rest.hasPrefix("SLIPPAGE_GUARD:CONVERTED_TO_IOC_LIMIT") {
            self.init(.slippageGuardConverted, Self.trimmed(rest.dropFirst("SLIPPAGE_GUARD:CONVERTED_TO_IOC_LIMIT".count)))
            return
        }
        let word = rest.prefix { $0.isUppercase || $0 == "_" }
        let detail = Self.trimmed(rest.dropFirst(word.count))
        switch word {
        case "EXPIRED", "EXPIRED_IN_MATCH":
            self.init(.expiredAtVenue, String(word))
        case "REJECTED":
            self.init(.rejectedAtVenue, String(word))
        default:
            if let code = OrderReasonCode(rawValue: String(word)), code != .unknown {
                self.init(code, detail)
            } else {
                self.init(.unknown, text)
            }
        }
    }

    /// `text` without a leading ":" and surrounding spaces.
    private static func trimmed(_ text: Substring) -> String {
        var rest = text.drop { $0 == " " }
        if rest.hasPrefix(":") { rest = rest.dropFirst().drop { $0 == " " } }
        return String(rest)
    }
}
