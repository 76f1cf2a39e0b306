/// Risk configuration: tradable instruments, per-order, portfolio, loss and flow limits.
public struct RiskLimits: Sendable, Hashable, Codable {
    /// Instruments intents may trade.
    public var allowedInstruments: Set<InstrumentId>
    /// Trading rules (tick, lot, minimum) of every allowed instrument.
    public var instruments: [InstrumentId: Instrument]
    /// Largest notional of a single order.
    public var maxOrderNotional: Money
    /// Largest quantity of a single order, per instrument (every allowed instrument has one).
    public var maxOrderQuantity: [InstrumentId: Quantity]
    /// Largest absolute position per instrument.
    public var maxPosition: [InstrumentId: Quantity]
    /// Largest absolute position for instruments without an entry in `maxPosition`.
    public var defaultMaxPosition: Quantity
    /// Cap on Σ |worst-case position| × reference price over all instruments.
    public var maxGrossExposure: Money
    /// A limit price must lie within this many basis points of the quote mid.
    public var priceCollarBps: Int
    /// Orders need a quote no older than this (relative to the intent's time).
    public var maxQuoteAgeNs: Int64
    /// Order rate per strategy.
    public var strategyRateLimit: RateLimit
    /// Order rate over all strategies.
    public var globalRateLimit: RateLimit
    /// Most approved orders pending at once.
    public var maxOpenOrders: Int
    /// Loss limit: breached when the UTC day's realized PnL (net of fees) is ≤ -maxDailyLoss.
    public var maxDailyLoss: Money
    /// Breached when equity has fallen this far below its peak.
    public var maxDrawdown: Money
    /// The state a loss or drawdown breach moves trading to: `.reducing` or `.halted`.
    public var breachAction: TradingState
    /// Per-venue circuit breaker settings.
    public var circuitBreaker: CircuitBreakerConfiguration
    /// How long an approved order may go without any execution report before its exposure is
    /// released (it was lost before reaching execution).
    public var unacknowledgedOrderTimeoutNs: Int64

    public init(
        allowedInstruments: Set<InstrumentId>, instruments: [InstrumentId: Instrument],
        maxOrderNotional: Money, maxOrderQuantity: [InstrumentId: Quantity],
        maxPosition: [InstrumentId: Quantity], defaultMaxPosition: Quantity,
        maxGrossExposure: Money, priceCollarBps: Int, maxQuoteAgeNs: Int64,
        strategyRateLimit: RateLimit, globalRateLimit: RateLimit, maxOpenOrders: Int,
        maxDailyLoss: Money, maxDrawdown: Money, breachAction: TradingState,
        circuitBreaker: CircuitBreakerConfiguration, unacknowledgedOrderTimeoutNs: Int64 = 5_000_000_000
    ) {
        self.allowedInstruments = allowedInstruments
        self.instruments = instruments
        self.maxOrderNotional = maxOrderNotional
        self.maxOrderQuantity = maxOrderQuantity
        self.maxPosition = maxPosition
        self.defaultMaxPosition = defaultMaxPosition
        self.maxGrossExposure = maxGrossExposure
        self.priceCollarBps = priceCollarBps
        self.maxQuoteAgeNs = maxQuoteAgeNs
        self.strategyRateLimit = strategyRateLimit
        self.globalRateLimit = globalRateLimit
        self.maxOpenOrders = maxOpenOrders
        self.maxDailyLoss = maxDailyLoss
        self.maxDrawdown = maxDrawdown
        self.breachAction = breachAction
        self.circuitBreaker = circuitBreaker
        self.unacknowledgedOrderTimeoutNs = unacknowledgedOrderTimeoutNs
    }

    /// The absolute position limit of `instrument`.
    public func positionLimit(for instrument: InstrumentId) -> Quantity {
        maxPosition[instrument] ?? defaultMaxPosition
    }

    /// Checks ranges and cross-field rules, naming the offending key.
    public func validate() throws(ConfigurationError) {
        for id in allowedInstruments.sorted() {
            guard let instrument = instruments[id] else {
                throw ConfigurationError(key: "allowedInstruments", value: "\(id)", reason: "no instrument definition")
            }
            do {
                try instrument.validate()
            } catch {
                throw ConfigurationError(key: "instruments[\(id)]", value: "\(id)", reason: error.description)
            }
            guard maxOrderQuantity[id] != nil else {
                throw ConfigurationError(key: "maxOrderQuantity", value: "\(id)", reason: "every allowed instrument needs an entry")
            }
        }
        for (id, limit) in maxOrderQuantity.sorted(by: { $0.key < $1.key }) where limit <= .zero {
            throw ConfigurationError(key: "maxOrderQuantity[\(id)]", value: "\(limit)", reason: "must be > 0")
        }
        try Self.positive(maxOrderNotional, "maxOrderNotional")
        guard defaultMaxPosition >= .zero else {
            throw ConfigurationError(key: "defaultMaxPosition", value: "\(defaultMaxPosition)", reason: "must be >= 0")
        }
        for (id, limit) in maxPosition.sorted(by: { $0.key < $1.key }) where limit < .zero {
            throw ConfigurationError(key: "maxPosition[\(id)]", value: "\(limit)", reason: "must be >= 0")
        }
        try Self.positive(maxGrossExposure, "maxGrossExposure")
        guard (1...10_000).contains(priceCollarBps) else {
            throw ConfigurationError(key: "priceCollarBps", value: "\(priceCollarBps)", reason: "must be in 1...10000")
        }
        guard maxQuoteAgeNs > 0 else {
            throw ConfigurationError(key: "maxQuoteAgeNs", value: "\(maxQuoteAgeNs)", reason: "must be > 0")
        }
        try strategyRateLimit.validate(key: "strategyRateLimit")
        try globalRateLimit.validate(key: "globalRateLimit")
        guard maxOpenOrders > 0 else {
            throw ConfigurationError(key: "maxOpenOrders", value: "\(maxOpenOrders)", reason: "must be > 0")
        }
        try Self.positive(maxDailyLoss, "maxDailyLoss")
        try Self.positive(maxDrawdown, "maxDrawdown")
        switch breachAction {
        case .reducing, .halted:
            break
        case .active:
            throw ConfigurationError(key: "breachAction", value: "\(breachAction)", reason: "must be reducing or halted")
        }
        try circuitBreaker.validate()
        guard unacknowledgedOrderTimeoutNs > 0 else {
            throw ConfigurationError(
                key: "unacknowledgedOrderTimeoutNs", value: "\(unacknowledgedOrderTimeoutNs)", reason: "must be > 0")
        }
    }

    private static func positive(_ value: Money, _ key: String) throws(ConfigurationError) {
        guard value > .zero else { throw ConfigurationError(key: key, value: "\(value)", reason: "must be > 0") }
    }
}
