import TradewindCore

/// The `market_data` section: which feed, and the synthetic feed's walk and rate.
public struct MarketDataSettings: Sendable {
    public var feedKind: Feed
    public var feed: SyntheticFeed
    public var bars: BarAggregator
    public var ticksPerSecond: Int
    public var replay: Replay

    /// The feeds this build can run; live venue feeds join this list with their adapters.
    public enum Feed: String, CaseIterable, Sendable { case synthetic, replay }

    /// The `replay` feed: a canonical dataset published again.
    public struct Replay: Sendable {
        /// The dataset's directory.
        public var dataset: String
        /// A multiple of real time (event-time gaps divided by it); 0 publishes as fast as possible.
        public var speed: Int
        /// Publish the next event only when every downstream daemon finished with the previous one.
        public var lockstep: Bool
    }

    public init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("market_data")
        let catalog = try InstrumentCatalog(configuration)
        feedKind = try section.oneOf("feed", as: Feed.self)
        replay = Replay(
            dataset: try section.string("replay_dataset"), speed: try section.int("replay_speed", range: 0...1_000_000),
            lockstep: try section.bool("replay_lockstep"))
        if feedKind == .replay, replay.dataset.isEmpty {
            throw .invalidValue(path: section.keyPath("replay_dataset"), value: "\"\"", reason: "the replay feed needs a dataset directory")
        }
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
