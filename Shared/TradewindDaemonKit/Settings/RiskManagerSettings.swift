import TradewindCore

/// The `risk_manager` section: the limits in force and the trading state at start.
public struct RiskManagerSettings: Sendable {
    public var engine: RiskEngine

    /// Trading states as written in the configuration.
    public enum InitialState: String, CaseIterable, Sendable {
        case ACTIVE, REDUCING, HALTED

        public var state: TradingState {
            switch self {
            case .ACTIVE: .active
            case .REDUCING: .reducing
            case .HALTED: .halted
            }
        }
    }

    public init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("risk_manager")
        let catalog = try InstrumentCatalog(configuration)
        var allowed: Set<InstrumentId> = []
        for text in try section.stringList("allowed_instruments") {
            let id = try section.validate("allowed_instruments") { try InstrumentId(parsing: text) }
            guard catalog.instruments[id] != nil else {
                throw .invalidValue(path: section.keyPath("allowed_instruments"), value: "\"\(text)\"", reason: "not in the instruments list")
            }
            allowed.insert(id)
        }
        let maxPosition = try catalog.map(section, "max_position") { text in
            let quantity = try Quantity(parsing: text)
            guard quantity >= .zero else { throw ConfigurationError(key: "max_position", value: text, reason: "must not be negative") }
            return quantity
        }
        let maxOrderNotional = try Self.positiveMoney(section, "max_order_notional")
        let maxOrderQuantity = try catalog.map(section, "max_order_quantity") { text in
            let quantity = try Quantity(parsing: text)
            guard quantity > .zero else { throw ConfigurationError(key: "max_order_quantity", value: text, reason: "must be greater than 0") }
            return quantity
        }
        for id in allowed.sorted() where maxOrderQuantity[id] == nil {
            throw .invalidValue(path: section.keyPath("max_order_quantity"), value: "{}", reason: "needs an entry for \(id)")
        }
        let limits = RiskLimits(
            allowedInstruments: allowed, instruments: catalog.instruments, maxOrderNotional: maxOrderNotional,
            maxOrderQuantity: maxOrderQuantity, maxPosition: maxPosition, defaultMaxPosition: .zero,
            maxGrossExposure: try Self.positiveMoney(section, "max_gross_exposure"),
            priceCollarBps: try section.int("price_collar_bps", range: 1...10_000),
            maxQuoteAgeNs: Int64(try section.int("max_quote_age_ms", range: 1...3_600_000)) * 1_000_000,
            strategyRateLimit: RateLimit(
                burst: try section.int("strategy_rate_burst", range: 1...RateLimit.maximum),
                perSecond: try section.int("strategy_rate_per_second", range: 1...RateLimit.maximum)),
            globalRateLimit: RateLimit(
                burst: try section.int("global_rate_burst", range: 1...RateLimit.maximum),
                perSecond: try section.int("global_rate_per_second", range: 1...RateLimit.maximum)),
            maxOpenOrders: try section.int("max_open_orders", range: 1...1_000_000),
            maxDailyLoss: try Self.positiveMoney(section, "max_daily_loss"),
            maxDrawdown: try Self.positiveMoney(section, "max_drawdown"),
            breachAction: try section.oneOf("breach_action", as: BreachAction.self).state,
            circuitBreaker: CircuitBreakerConfiguration(
                failureThreshold: try section.int("circuit_failure_threshold", range: 1...CircuitBreakerConfiguration.maximumFailureThreshold),
                windowNs: Int64(try section.int("circuit_window_ms", range: 1...3_600_000)) * 1_000_000,
                openDurationNs: Int64(try section.int("circuit_open_ms", range: 1...3_600_000)) * 1_000_000),
            unacknowledgedOrderTimeoutNs: Int64(try section.int("unacknowledged_order_timeout_ms", range: 100...600_000)) * 1_000_000)
        let state = try section.oneOf("initial_trading_state", as: InitialState.self).state
        engine = try section.validate("max_position") { try RiskEngine(limits: limits, tradingState: state) }
        // the control ingress binds it (BusDaemon); checked here so a bad value stops start-up first
        _ = try section.busEndpoint("control_endpoint")
    }

    /// What a daily-loss or drawdown breach switches trading to.
    public enum BreachAction: String, CaseIterable, Sendable {
        case HALTED, REDUCING

        public var state: TradingState {
            switch self {
            case .HALTED: .halted
            case .REDUCING: .reducing
            }
        }
    }

    private static func positiveMoney(_ section: ConfigSection, _ key: String) throws(ConfigError) -> Money {
        try section.decimal(key) { text in
            let money = try Money(parsing: text)
            guard money > .zero else { throw ConfigurationError(key: key, value: text, reason: "must be greater than 0") }
            return money
        }
    }
}
