import TradewindCore

/// The seeded synthetic feed as the `market_data` section and the `instruments` list define it:
/// the walk, the trade probability, the rate and the bar interval. `tradewind data synth` builds
/// its feed from it, so a synthetic dataset and the market-data daemon start from the same values.
public struct SyntheticFeedSettings: Sendable {
    public var configuration: SyntheticFeedConfiguration
    public var ticksPerSecond: Int
    public var barIntervalSeconds: Int

    public init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("market_data")
        let catalog = try InstrumentCatalog(configuration)
        let startPrices = try catalog.completeMap(section, "start_prices") { try Price(parsing: $0) }
        let quoteSizes = try catalog.completeMap(section, "quote_size") { try Quantity(parsing: $0) }
        let volatility = try section.int("volatility_bps", range: 0...10_000)
        let spread = try section.int("spread_bps", range: 0...10_000)
        self.configuration = SyntheticFeedConfiguration(
            seed: UInt64(try section.int("seed", range: 0...Int.max)),
            instruments: catalog.ids.map { id in
                SyntheticInstrument(
                    instrument: catalog.instruments[id]!, startPrice: startPrices[id]!,
                    volatilityBps: volatility, spreadBps: spread, quoteSize: quoteSizes[id]!)
            },
            tradeProbabilityPercent: try section.int("trade_probability_percent", range: 0...100))
        ticksPerSecond = try section.int("ticks_per_second", range: 1...1_000_000)
        barIntervalSeconds = try section.int("bar_interval_seconds", range: 1...86_400)
    }
}
