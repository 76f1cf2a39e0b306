import TradewindCore

/// The `execution_engine` section: the OMS policy, which venue, and how the engine talks to it.
public struct ExecutionEngineSettings: Sendable {
    public var instruments: [InstrumentId: Instrument]
    public var venue: Venue
    public var policy: ExecutionPolicy
    public var simulated: SimulatedVenueConfiguration
    /// Market-data and order-entry latency between the engine and the simulated venue, in event time.
    public var latency: SimulatedVenueLink.Latency
    public var binance: BinanceSettings
    public var reconciliationInterval: Duration
    public var reconciliationPolicy: ReconciliationPolicy
    public var pollInterval: Duration
    public var retry: RetrySettings

    /// The venues this build trades on.
    public enum Venue: String, CaseIterable, Sendable { case simulated, binance }

    /// How the slippage guard treats market orders.
    public enum SlippageMode: String, CaseIterable, Sendable { case off, reject, convert }

    public struct BinanceSettings: Sendable {
        public var baseURL: String
        public var recvWindowMs: Int
        public var timeoutMs: Int
    }

    public struct RetrySettings: Sendable {
        public var maxAttempts: Int
        public var initialDelay: Duration
        public var maxDelay: Duration
    }

    /// `session` makes the simulated venue's order and trade ids unique across restarts.
    public init(_ configuration: SuiteConfiguration, session: String) throws(ConfigError) {
        let section = try configuration.section("execution_engine")
        let catalog = try InstrumentCatalog(configuration)
        instruments = catalog.instruments
        venue = try section.oneOf("venue", as: Venue.self)
        let guardAction: SlippageGuard.Action?
        switch try section.oneOf("slippage_guard", as: SlippageMode.self) {
        case .off: guardAction = nil
        case .reject: guardAction = .reject
        case .convert: guardAction = .convertToLimit
        }
        let collar = try section.int("slippage_collar_bps", range: 1...9_999)
        let inFlight = Int64(try section.int("in_flight_timeout_ms", range: 1...3_600_000)) * 1_000_000
        let quoteAge = Int64(try section.int("max_quote_age_ms", range: 0...3_600_000)) * 1_000_000
        policy = try section.validate("slippage_guard") {
            try ExecutionPolicy(
                inFlightTimeoutNs: inFlight, maxQuoteAgeNs: quoteAge,
                slippageGuard: try guardAction.map { try SlippageGuard(collarBps: collar, action: $0) })
        }
        var balances: [String: Quantity] = [:]
        for (asset, text) in try section.decimalStringMap("initial_balances") {
            balances[asset] = try ConfigError.validate(section.keyPath("initial_balances") + ".\(asset)", value: "\"\(text)\"") {
                try Quantity(parsing: text)
            }
        }
        simulated = SimulatedVenueConfiguration(
            takerFeeBps: try section.int("taker_fee_bps", range: -10_000...10_000),
            makerFeeBps: try section.int("maker_fee_bps", range: -10_000...10_000),
            seed: UInt64(try section.int("seed", range: 0...Int.max)),
            venueName: "SIM-\(session)",
            latencyNs: 0, latencyJitterNs: 0,
            initialBalances: balances,
            instruments: catalog.instruments)
        latency = SimulatedVenueLink.Latency(
            marketDataNs: Int64(try section.int("market_data_latency_us", range: 0...60_000_000)) * 1_000,
            orderEntryNs: Int64(try section.int("latency_us", range: 0...60_000_000)) * 1_000,
            jitterNs: Int64(try section.int("latency_jitter_us", range: 0...60_000_000)) * 1_000)
        let simulated = simulated
        _ = try section.validate("taker_fee_bps") { try SimulatedVenue(configuration: simulated) }
        binance = BinanceSettings(
            baseURL: try section.nonEmptyString("binance_base_url"),
            recvWindowMs: try section.int("binance_recv_window_ms", range: 1...60_000),
            timeoutMs: try section.int("binance_timeout_ms", range: 100...120_000))
        reconciliationInterval = try section.durationMilliseconds("reconciliation_interval_ms", range: 1_000...86_400_000)
        reconciliationPolicy = ReconciliationPolicy(cancelUnknownOwnOrders: try section.bool("cancel_unknown_own_orders"))
        pollInterval = try section.durationMilliseconds("poll_interval_ms", range: 10...60_000)
        retry = RetrySettings(
            maxAttempts: try section.int("retry_max_attempts", range: 1...20),
            initialDelay: try section.durationMilliseconds("retry_initial_ms", range: 1...60_000),
            maxDelay: try section.durationMilliseconds("retry_max_ms", range: 1...600_000))
        guard retry.maxDelay >= retry.initialDelay else {
            throw .invalidValue(
                path: section.keyPath("retry_max_ms"), value: "\(retry.maxDelay)", reason: "must be >= retry_initial_ms")
        }
        let venueName = venue == .binance ? "BINANCE" : nil
        if let venueName {
            for id in catalog.ids where id.venue != venueName {
                throw .invalidValue(
                    path: "instruments", value: "\"\(id)\"",
                    reason: "execution_engine.venue is \(venue.rawValue): every instrument must be \(venueName):<symbol>")
            }
        }
    }
}
