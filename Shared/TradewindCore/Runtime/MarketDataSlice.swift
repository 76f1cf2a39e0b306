/// The market-data daemon's decisions over a stream of market events (from the synthetic feed, a
/// dataset or a venue): the order in which events and the bars built from trades are published.
/// Before an event, bars whose interval ended by its time close (oldest instrument first); then the
/// event; after a trade, the bar it closed, if it started a later interval.
public struct MarketDataSlice: Sendable {
    public private(set) var bars: BarAggregator
    /// Events taken so far.
    public private(set) var eventCount = 0

    public init(bars: BarAggregator) {
        self.bars = bars
    }

    /// The events to publish for `event`, in order. A dataset's own bars pass through unchanged.
    public mutating func apply(_ event: MarketEvent) -> [MarketEvent] {
        var published: [MarketEvent] = []
        apply(event, into: &published)
        return published
    }

    /// Appends the events to publish for `event`, in order.
    public mutating func apply(_ event: MarketEvent, into published: inout [MarketEvent]) {
        eventCount += 1
        for bar in bars.flush(upTo: event.timeNs) { published.append(.bar(bar)) }
        published.append(event)
        if case .trade(let trade) = event {
            for bar in bars.apply(trade) { published.append(.bar(bar)) }
        }
    }

    /// The bars whose interval ended by `timeNs` (a timer while no event comes).
    public mutating func advance(to timeNs: Int64) -> [MarketEvent] {
        bars.flush(upTo: timeNs).map(MarketEvent.bar)
    }
}
