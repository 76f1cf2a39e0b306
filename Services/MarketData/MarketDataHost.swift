import Logging
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindWire

/// Hosts the synthetic feed and the bar aggregator on the bus thread: each tick steps the feed as
/// many times as `ticks_per_second` says are due by now (the loop's timer has millisecond
/// resolution, so fast rates take several steps per tick), publishing quotes, trades and bars.
final class MarketDataHost: BusHandler {
    private var feed: SyntheticFeed
    private var bars: BarAggregator
    private let view: StateSnapshot<MarketView>
    private let ticksPerSecond: Int64
    private var firstTickNs: Int64?
    private var stepsTaken: Int64 = 0
    private var latest: [InstrumentId: Quote] = [:]

    /// Steps per tick at most, so a stalled process does not answer with an unbounded burst.
    static let maxStepsPerTick: Int64 = 10_000

    /// The timer cadence for a rate: one step per tick up to 1000/s, then 1 ms ticks.
    static func tickInterval(ticksPerSecond: Int) -> Duration {
        .nanoseconds(max(1_000_000, 1_000_000_000 / Int64(ticksPerSecond)))
    }

    init(settings: MarketDataSettings, view: StateSnapshot<MarketView>) {
        feed = settings.feed
        bars = settings.bars
        ticksPerSecond = Int64(settings.ticksPerSecond)
        self.view = view
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        let start = firstTickNs ?? nowNs
        firstTickNs = start
        let due = Int64((Int128(nowNs - start) * Int128(ticksPerSecond)) / 1_000_000_000) + 1
        let steps = min(max(due - stepsTaken, 0), Self.maxStepsPerTick)
        stepsTaken = max(stepsTaken + steps, due - Self.maxStepsPerTick)
        guard steps > 0 else { return }
        for _ in 0..<steps { step(nowNs: nowNs, context: context) }
        let quotes = latest
        view.update { view in
            for (instrument, quote) in quotes { view.quotes[instrument.description] = QuoteView(quote) }
            view.ticks += Int(steps)
        }
    }

    private func step(nowNs: Int64, context: BusLoopContext) {
        for event in feed.step(timeNs: nowNs) + bars.flush(upTo: nowNs).map(MarketEvent.bar) {
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
