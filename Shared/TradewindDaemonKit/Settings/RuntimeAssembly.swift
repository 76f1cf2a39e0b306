import TradewindCore

/// The suite's machines built from one configuration, as the daemons build theirs: what
/// `tradewind backtest` runs in one process (and what a daemon takes its slice from).
public struct RuntimeAssembly: Sendable {
    public let runtime: RuntimeSettings
    public let marketData: MarketDataSettings
    public let signalBridge: SignalBridgeSettings
    public let riskManager: RiskManagerSettings
    public let executionEngine: ExecutionEngineSettings
    public let backtest: BacktestSettings

    /// Decodes every section; a bad key stops here, naming it. Without a configured session the
    /// ids take `defaultSession` (a backtest passes a fixed one, so its outputs are reproducible).
    public init(_ configuration: SuiteConfiguration, defaultSession: String) throws(ConfigError) {
        var runtime = try RuntimeSettings(configuration, startNs: 0)
        if try configuration.section("runtime").string("session_id").isEmpty { runtime.sessionId = defaultSession }
        self.runtime = runtime
        marketData = try MarketDataSettings(configuration)
        signalBridge = try SignalBridgeSettings(configuration, session: runtime.sessionId)
        riskManager = try RiskManagerSettings(configuration)
        executionEngine = try ExecutionEngineSettings(configuration, session: runtime.sessionId)
        backtest = try BacktestSettings(configuration)
    }

    /// The instruments the strategy trades and risk allows: a dataset must carry each of them.
    public var tradedInstruments: Set<InstrumentId> {
        Set(signalBridge.strategy.orderQuantity.keys).union(riskManager.engine.limits.allowedInstruments)
    }

    /// Every machine, fresh, wired to an in-process simulated venue.
    public func makeRuntime() throws(ConfigurationError) -> CoreRuntime {
        let execution = executionEngine
        let venue = try SimulatedVenue(configuration: execution.simulated)
        let link = try SimulatedVenueLink(venue: venue, latency: execution.latency, seed: execution.simulated.seed)
        let core = ExecutionCore(instruments: execution.instruments, policy: execution.policy)
        return CoreRuntime(
            marketData: MarketDataSlice(bars: marketData.bars),
            strategy: try SignalEngine(strategies: [try EMACrossoverStrategy(configuration: signalBridge.strategy)]),
            risk: riskManager.engine,
            execution: ExecutionSlice(core: core, link: link))
    }
}
