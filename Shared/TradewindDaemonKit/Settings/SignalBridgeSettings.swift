import TradewindCore

/// The `signal_bridge` section: the strategy and its parameters.
public struct SignalBridgeSettings: Sendable {
    public var strategy: EMACrossoverConfiguration

    /// The strategies this build hosts.
    public enum Kind: String, CaseIterable, Sendable { case ema_cross }

    /// `session` (`RuntimeSettings.sessionId`) makes intent ids unique across restarts or reproducible.
    public init(_ configuration: SuiteConfiguration, session: String) throws(ConfigError) {
        let section = try configuration.section("signal_bridge")
        let catalog = try InstrumentCatalog(configuration)
        _ = try section.oneOf("strategy", as: Kind.self)
        // the intent ingress binds it (BusDaemon); checked here so a bad value stops start-up first
        _ = try section.busEndpoint("intent_endpoint")
        let name = try section.nonEmptyString("strategy_name")
        guard !name.contains("."), !name.contains(" ") else {
            throw .invalidValue(path: section.keyPath("strategy_name"), value: "\"\(name)\"", reason: "must not contain '.' or spaces (it is a topic segment)")
        }
        strategy = EMACrossoverConfiguration(
            name: name,
            fastPeriod: try section.int("fast_period", range: 1...100_000),
            slowPeriod: try section.int("slow_period", range: 2...100_000),
            orderQuantity: try catalog.map(section, "order_quantity") { try Quantity(parsing: $0) },
            idPrefix: "\(name)-\(session)"
        )
        let strategy = self.strategy
        try section.validate("slow_period") { try strategy.validate() }
    }
}
