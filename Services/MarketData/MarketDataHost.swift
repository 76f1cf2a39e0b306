import Logging
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindWire

/// Hosts the synthetic feed and the bar aggregator on the bus thread: each tick steps the feed as
/// many times as `ticks_per_second` says are due by now (the loop's timer has millisecond
/// resolution, so fast rates take several steps per tick, each with its own event time),
/// publishing quotes, trades and bars, and enqueueing every closed bar for the database.
final class MarketDataHost: BusHandler {
    private var feed: SyntheticFeed
    private var bars: BarAggregator
    private var pacer: FeedPacer
    private let store: DaemonStore
    private let view: StateSnapshot<MarketView>
    private var latest: [InstrumentId: Quote] = [:]

    /// The timer cadence for a rate: one step per tick up to 1000/s, then 1 ms ticks.
    static func tickInterval(ticksPerSecond: Int) -> Duration {
        .nanoseconds(max(1_000_000, 1_000_000_000 / Int64(ticksPerSecond)))
    }

    init(settings: MarketDataSettings, store: DaemonStore, view: StateSnapshot<MarketView>) {
        feed = settings.feed
        bars = settings.bars
        pacer = FeedPacer(stepsPerSecond: settings.ticksPerSecond)
        self.store = store
        self.view = view
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        let times = pacer.due(nowNs: nowNs)
        guard !times.isEmpty else { return }
        for timeNs in times { step(timeNs: timeNs, context: context) }
        let quotes = latest
        view.update { view in
            for (instrument, quote) in quotes { view.quotes[instrument.description] = QuoteView(quote) }
            view.ticks += times.count
        }
    }

    private func step(timeNs: Int64, context: BusLoopContext) {
        for event in feed.step(timeNs: timeNs) + bars.flush(upTo: timeNs).map(MarketEvent.bar) {
            publish(event, context: context)
            switch event {
            case .quote(let quote): latest[quote.instrument] = quote
            case .trade(let trade): bars.apply(trade).forEach { publish(.bar($0), context: context) }
            case .book, .bar: break
            }
        }
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {}

    private func publish(_ event: MarketEvent, context: BusLoopContext) {
        switch event {
        case .quote(let quote):
            context.publish(topic: BusTopic.quote(quote.instrument.description), payload: .quote(.init(quote)), eventTimeNs: quote.timeNs)
        case .trade(let trade):
            context.publish(topic: BusTopic.trade(trade.instrument.description), payload: .trade(.init(trade)), eventTimeNs: trade.timeNs)
        case .bar(let bar):
            store.enqueue(MarketDataRecords.bar(bar))
            context.publish(topic: BusTopic.bar(bar.instrument.description), payload: .bar(.init(bar)), eventTimeNs: bar.endTimeNs)
        case .book(let book):
            context.publish(topic: BusTopic.book(book.instrument.description), payload: .book(.init(book)), eventTimeNs: book.timeNs)
        }
    }
}

/// `GET /v1/market`: the latest quote per instrument.
struct MarketView: Encodable, Sendable {
    var ticks = 0
    var quotes: [String: QuoteView] = [:]
}

struct QuoteView: Encodable, Sendable {
    var bid: Price
    var bidSize: Quantity
    var ask: Price
    var askSize: Quantity
    var timeNs: Int64

    init(_ quote: Quote) {
        bid = quote.bid
        bidSize = quote.bidSize
        ask = quote.ask
        askSize = quote.askSize
        timeNs = quote.timeNs
    }

    enum CodingKeys: String, CodingKey {
        case bid, ask
        case bidSize = "bid_size"
        case askSize = "ask_size"
        case timeNs = "time_ns"
    }
}
