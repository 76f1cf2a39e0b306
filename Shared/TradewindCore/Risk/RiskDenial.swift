/// Stable codes for why risk denied an intent (wire, database and metric labels).
/// Stable codes for why risk denied an intent (wire, database and metric labels), in check order.
public enum RiskDenialReason: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The intent lacks an id or strategy name.
    case invalidIntent = "INVALID_INTENT"
    /// The operator's kill switch is engaged.
    case killSwitch = "KILL_SWITCH"
    case tradingHalted = "TRADING_HALTED"
    /// The intent id was already used by an order that has finished.
    case duplicateIntent = "DUPLICATE_INTENT"
    /// The instrument is not on the whitelist.
    case instrumentNotAllowed = "INSTRUMENT_NOT_ALLOWED"
    /// Zero, negative, below minimum or not a lot multiple.
    case invalidQuantity = "INVALID_QUANTITY"
    case maxOrderQuantity = "MAX_ORDER_QUANTITY"
    /// Limit order without a positive on-tick price.
    case invalidPrice = "INVALID_PRICE"
    /// Too many approved orders are pending.
    case maxOpenOrders = "MAX_OPEN_ORDERS"
    /// The instrument's venue circuit is open (or half-open with its probe in flight).
    case circuitOpen = "CIRCUIT_OPEN"
    /// Trading is reducing and the order would not shrink a position.
    case tradingReducing = "TRADING_REDUCING"
    /// The day's realized loss reached its limit; only reducing orders pass.
    case dailyLossLimit = "DAILY_LOSS_LIMIT"
    /// Equity fell too far below its peak; only reducing orders pass.
    case maxDrawdown = "MAX_DRAWDOWN"
    /// No usable (two-sided) quote for the instrument.
    case noMarketPrice = "NO_MARKET_PRICE"
    /// The latest quote is older than `maxQuoteAgeNs`.
    case staleQuote = "STALE_QUOTE"
    /// The limit price is too far from the quote mid.
    case priceCollar = "PRICE_COLLAR"
    case maxOrderNotional = "MAX_ORDER_NOTIONAL"
    case maxPosition = "MAX_POSITION"
    case maxGrossExposure = "MAX_GROSS_EXPOSURE"
    /// The strategy's token bucket is empty.
    case rateLimitStrategy = "RATE_LIMIT_STRATEGY"
    /// The suite-wide token bucket is empty.
    case rateLimitGlobal = "RATE_LIMIT_GLOBAL"

    /// The stable code.
    public var code: String { rawValue }

    /// The code in lower case, for metric labels (`max_order_notional`).
    public var metricLabel: String { rawValue.lowercased() }

    public var description: String { rawValue }
}

/// A denied intent, with the failed check, a readable detail and the limit vs observed values.
public struct RiskDenial: Sendable, Hashable, Codable {
    public var intentId: String
    public var strategy: String
    public var instrument: InstrumentId
    public var reason: RiskDenialReason
    public var detail: String
    /// The limit that was exceeded, as decimal text (e.g. "1000"), if any.
    public var limit: String?
    /// The observed value, as decimal text, if any.
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
