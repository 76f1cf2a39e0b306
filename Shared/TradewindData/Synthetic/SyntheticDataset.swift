import TradewindCore

/// Writes a dataset from the seeded synthetic feed, with event times spaced by a fixed rate from a
/// fixed epoch: the same arguments give a byte-identical dataset (segments and manifest) and so
/// the same content hash. For tests, benchmarks and `tradewind data synth`.
public struct SyntheticDataset: Sendable {
    /// 2024-01-01T00:00:00Z, the default first event time.
    public static let defaultStartNs: Int64 = 1_704_067_200_000_000_000

    public var feed: SyntheticFeed
    /// Quotes and trades to write (bars, when `bars` is set, come on top).
    public var events: Int
    /// Feed steps per second of event time: step k is at `startNs + k·10⁹/ticksPerSecond`.
    public var ticksPerSecond: Int
    public var startNs: Int64
    /// Builds bars from the trades, as the market-data daemon does, and writes them in the stream.
    public var bars: BarAggregator?
    public var segmentBytes: Int

    public init(
        feed: SyntheticFeed, events: Int, ticksPerSecond: Int, startNs: Int64 = SyntheticDataset.defaultStartNs,
        bars: BarAggregator? = nil, segmentBytes: Int = DatasetFormat.defaultSegmentBytes
    ) {
        self.feed = feed
        self.events = events
        self.ticksPerSecond = ticksPerSecond
        self.startNs = startNs
        self.bars = bars
        self.segmentBytes = segmentBytes
    }

    /// The manifest's `source`: everything that determines the events.
    public var source: [String: DatasetJSON] {
        let configuration = feed.configuration
        var source: [String: DatasetJSON] = [
            "kind": "synthetic", "seed": Int64(exactly: configuration.seed).map(DatasetJSON.integer) ?? .string("\(configuration.seed)"), "events": .integer(Int64(events)),
            "ticks_per_second": .integer(Int64(ticksPerSecond)), "start_ns": .integer(startNs),
            "trade_probability_percent": .integer(Int64(configuration.tradeProbabilityPercent)),
            "instruments": .array(configuration.instruments.map { spec in
                [
                    "id": .string(spec.instrument.id.description), "start_price": .string(spec.startPrice.description),
                    "volatility_bps": .integer(Int64(spec.volatilityBps)), "spread_bps": .integer(Int64(spec.spreadBps)),
                    "quote_size": .string(spec.quoteSize.description),
                ]
            }),
        ]
        if let bars { source["bar_interval_seconds"] = .integer(Int64(bars.intervalSeconds)) }
        return source
    }

    /// Writes the dataset into `directory` (created; it must not hold a dataset) and finishes it.
    @discardableResult
    public func write(to directory: String) throws(DatasetError) -> DatasetManifest {
        guard events >= 0, (1...1_000_000_000).contains(ticksPerSecond) else {
            throw .valueOutOfRange(field: "events / ticks per second", value: "\(events) / \(ticksPerSecond)")
        }
        let writer = try DatasetWriter(
            directory: directory, instruments: feed.configuration.instruments.map(\.instrument), source: source,
            segmentBytes: segmentBytes, createdNs: startNs)
        var feed = self.feed
        var bars = self.bars
        var written = 0
        var step: Int64 = 0
        while written < events {
            let timeNs = startNs + Int64(Int128(step) * 1_000_000_000 / Int128(ticksPerSecond))
            step += 1
            // as the market-data daemon publishes: the step's events, then the bars it closed
            let stepEvents = feed.step(timeNs: timeNs)
            let closed = bars?.flush(upTo: timeNs) ?? []
            for event in stepEvents where written < events {
                try writer.append(event)
                written += 1
                if case .trade(let trade) = event, bars != nil {
                    for bar in bars!.apply(trade) { try writer.append(.bar(bar)) }
                }
            }
            for bar in closed { try writer.append(.bar(bar)) }
        }
        return try writer.finish()
    }
}
