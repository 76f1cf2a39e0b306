import TradewindCore

/// The `market_data` section: which feed, and that feed's settings (only the chosen feed's keys
/// are checked against the instrument catalog).
public struct MarketDataSettings: Sendable {
    public var feedKind: Feed
    public var source: Source
    public var bars: BarAggregator

    /// The feeds this build can run.
    public enum Feed: String, CaseIterable, Sendable { case synthetic, replay, binance }

    public enum Source: Sendable {
        /// The seeded random walk, `ticksPerSecond` steps a second.
        case synthetic(SyntheticFeed, ticksPerSecond: Int)
        case replay(Replay)
        case binance(BinanceFeed)
    }

    /// The `replay` feed: a canonical dataset published again.
    public struct Replay: Sendable {
        /// The dataset's directory.
        public var dataset: String
        /// A multiple of real time (event-time gaps divided by it); 0 publishes as fast as possible.
        public var speed: Int
        /// Publish the next event only when every downstream daemon finished with the previous one.
        public var lockstep: Bool
    }

    /// The `binance` feed: Binance Spot's public market streams for every catalog instrument of
    /// venue BINANCE.
    public struct BinanceFeed: Sendable {
        public var instruments: [InstrumentId]
        /// Combined-stream base, e.g. `wss://stream.binance.com:9443`.
        public var streamURL: String
        /// REST base for depth snapshots, e.g. `https://api.binance.com`.
        public var restURL: String
        public var snapshotLimit: Int
        public var maxFrameBytes: Int
        public var requestTimeoutMs: Int
        public var connection: FeedConnection.Configuration
        public var books: DepthSynchronizerConfiguration
        /// Seeds the reconnect jitter.
        public var seed: UInt64
        /// Where every raw frame and snapshot is recorded as received (`<data root>/raw/binance`),
        /// or nil when `record_raw` is false.
        public var rawDirectory: String?
    }

    public init(_ configuration: SuiteConfiguration) throws(ConfigError) {
        let section = try configuration.section("market_data")
        feedKind = try section.oneOf("feed", as: Feed.self)
        let barInterval = try section.int("bar_interval_seconds", range: 1...86_400)
        bars = try section.validate("bar_interval_seconds") { try BarAggregator(intervalSeconds: barInterval) }
        switch feedKind {
        case .synthetic:
            let synthetic = try SyntheticFeedSettings(configuration)
            let feed = try section.validate("start_prices") { try SyntheticFeed(configuration: synthetic.configuration) }
            source = .synthetic(feed, ticksPerSecond: synthetic.ticksPerSecond)
        case .replay:
            let replay = Replay(
                dataset: try section.string("replay_dataset"), speed: try section.int("replay_speed", range: 0...1_000_000),
                lockstep: try section.bool("replay_lockstep"))
            if replay.dataset.isEmpty {
                throw .invalidValue(path: section.keyPath("replay_dataset"), value: "\"\"", reason: "the replay feed needs a dataset directory")
            }
            source = .replay(replay)
        case .binance:
            source = .binance(try Self.binanceFeed(configuration))
        }
    }

    /// The replay settings, when the feed is `replay`.
    public var replay: Replay? {
        if case .replay(let replay) = source { return replay }
        return nil
    }

    /// The `binance` feed's settings, whatever `feed` says (`tradewind data normalize` replays a
    /// recording with them).
    public static func binanceFeed(_ configuration: SuiteConfiguration) throws(ConfigError) -> BinanceFeed {
        let section = try configuration.section("market_data")
        var binance = try binance(section, catalog: try InstrumentCatalog(configuration))
        if try section.bool("record_raw") {
            binance.rawDirectory = try DataSettings(configuration).root.path(of: .raw, "binance")
        }
        return binance
    }

    private static func binance(_ section: ConfigSection, catalog: InstrumentCatalog) throws(ConfigError) -> BinanceFeed {
        let instruments = catalog.ids.filter { $0.venue == "BINANCE" }
        guard !instruments.isEmpty else {
            throw .invalidValue(
                path: "instruments", value: catalog.ids.map(\.description).joined(separator: ","),
                reason: "the binance feed needs at least one instrument of venue BINANCE (e.g. BINANCE:BTCUSDT)")
        }
        let ms: Int64 = 1_000_000
        let streamURL = try section.string("binance_stream_url")
        guard streamURL.hasPrefix("wss://") || streamURL.hasPrefix("ws://") else {
            throw .invalidValue(path: section.keyPath("binance_stream_url"), value: "\"\(streamURL)\"", reason: "must be a ws:// or wss:// URL")
        }
        let restURL = try section.string("binance_rest_url")
        guard restURL.hasPrefix("https://") || restURL.hasPrefix("http://") else {
            throw .invalidValue(path: section.keyPath("binance_rest_url"), value: "\"\(restURL)\"", reason: "must be an http:// or https:// URL")
        }
        let initial = Int64(try section.int("reconnect_initial_ms", range: 10...600_000)) * ms
        let maximum = Int64(try section.int("reconnect_max_ms", range: 10...3_600_000)) * ms
        guard maximum >= initial else {
            throw .invalidValue(path: section.keyPath("reconnect_max_ms"), value: "\(maximum / ms)", reason: "must be at least reconnect_initial_ms")
        }
        return BinanceFeed(
            instruments: instruments, streamURL: streamURL, restURL: restURL,
            snapshotLimit: try section.int("binance_snapshot_limit", range: 1...5_000),
            maxFrameBytes: try section.int("binance_max_frame_bytes", range: 16_384...268_435_456),
            requestTimeoutMs: try section.int("binance_timeout_ms", range: 100...120_000),
            connection: FeedConnection.Configuration(
                staleAfterNs: Int64(try section.int("stale_after_ms", range: 100...3_600_000)) * ms,
                connectTimeoutNs: Int64(try section.int("connect_timeout_ms", range: 100...600_000)) * ms,
                initialBackoffNs: initial, maxBackoffNs: maximum,
                rotateAfterNs: Int64(try section.int("rotate_after_minutes", range: 1...1_439)) * 60_000 * ms),
            books: DepthSynchronizerConfiguration(
                maxBufferedDiffs: try section.int("book_max_buffered_diffs", range: 1...1_000_000),
                maxBufferedLevels: try section.int("book_max_buffered_levels", range: 1...100_000_000)),
            seed: UInt64(try section.int("seed", range: 0...Int.max)), rawDirectory: nil)
    }
}
