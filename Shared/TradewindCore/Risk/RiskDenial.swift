/// Stable codes for why risk denied an intent (wire, database and metric labels).
public enum RiskDenialReason: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case instrumentNotAllowed = "INSTRUMENT_NOT_ALLOWED"
    case maxOrderNotional = "MAX_ORDER_NOTIONAL"
    case maxPosition = "MAX_POSITION"
    case tradingHalted = "TRADING_HALTED"
    case tradingReducing = "TRADING_REDUCING"
    /// Market order without a usable quote to price it.
    case noMarketPrice = "NO_MARKET_PRICE"
    /// Zero, negative, below minimum or not a lot multiple.
    case invalidQuantity = "INVALID_QUANTITY"
    /// Limit order without a positive on-tick price.
    case invalidPrice = "INVALID_PRICE"
    /// The intent id was already used by an order that has finished.
    case duplicateIntent = "DUPLICATE_INTENT"
    /// The intent lacks an id or strategy name.
    case invalidIntent = "INVALID_INTENT"

    /// The stable code.
    public var code: String { rawValue }

    public var description: String { rawValue }
}

/// A denied intent, with the failed check, a readable detail and the limit vs observed values.
public struct RiskDenial: Sendable, Hashable, Codable {
    public var intentId: String
    public var strategy: String
    public var instrument: InstrumentId
    public var reason: RiskDenialReason
    public var detail: String
    /// The limit that was exceeded, as text (e.g. "1000"), if any.
    public var limit: String?
    /// The observed value, as text, if any.
    public var observed: String?
    public var timeNs: Int64

    public init(
        intentId: String, strategy: String, instrument: InstrumentId, reason: RiskDenialReason,
        detail: String, limit: String?, observed: String?, timeNs: Int64
    ) {
        self.intentId = intentId
        self.strategy = strategy
        self.instrument = instrument
        self.reason = reason
        self.detail = detail
        self.limit = limit
        self.observed = observed
        self.timeNs = timeNs
    }
}
