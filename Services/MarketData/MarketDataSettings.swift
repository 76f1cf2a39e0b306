import TradewindCore
import TradewindDaemonKit

/// The `market_data` section: which feed, and the synthetic feed's walk and rate.
struct MarketDataSettings: Sendable {
    var feed: SyntheticFeed
    var bars: BarAggregator
    var ticksPerSecond: Int

    /// The feeds this build can run; live venue feeds join this list with their adapters.
    enum Feed: String, CaseIterable { case synthetic }

    init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("market_data")
        let catalog = try InstrumentCatalog(configuration)
        _ = try section.oneOf("feed", as: Feed.self)
        let ticksPerSecond = try section.int("ticks_per_second", range: 1...1_000_000)
        let startPrices = try catalog.completeMap(section, "start_prices") { try Price(parsing: $0) }
        let quoteSizes = try catalog.completeMap(section, "quote_size") { try Quantity(parsing: $0) }
        let volatility = try section.int("volatility_bps", range: 0...10_000)
        let spread = try section.int("spread_bps", range: 0...10_000)
        let feedConfiguration = SyntheticFeedConfiguration(
            seed: UInt64(try section.int("seed", range: 0...Int.max)),
            instruments: catalog.ids.map { id in
                SyntheticInstrument(
                    instrument: catalog.instruments[id]!, startPrice: startPrices[id]!,
                    volatilityBps: volatility, spreadBps: spread, quoteSize: quoteSizes[id]!)
            },
            tradeProbabilityPercent: try section.int("trade_probability_percent", range: 0...100)
        )
        feed = try section.validate("start_prices") { try SyntheticFeed(configuration: feedConfiguration) }
        let barInterval = try section.int("bar_interval_seconds", range: 1...86_400)
        bars = try section.validate("bar_interval_seconds") { try BarAggregator(intervalSeconds: barInterval) }
        self.ticksPerSecond = ticksPerSecond
    }
}
