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
        feedKind = try section.oneOf("feed", as: Feed.self)
        replay = Replay(
            dataset: try section.string("replay_dataset"), speed: try section.int("replay_speed", range: 0...1_000_000),
            lockstep: try section.bool("replay_lockstep"))
        if feedKind == .replay, replay.dataset.isEmpty {
            throw .invalidValue(path: section.keyPath("replay_dataset"), value: "\"\"", reason: "the replay feed needs a dataset directory")
        }
        let synthetic = try SyntheticFeedSettings(configuration)
        feed = try section.validate("start_prices") { try SyntheticFeed(configuration: synthetic.configuration) }
        let barInterval = synthetic.barIntervalSeconds
        bars = try section.validate("bar_interval_seconds") { try BarAggregator(intervalSeconds: barInterval) }
        ticksPerSecond = synthetic.ticksPerSecond
    }
}
