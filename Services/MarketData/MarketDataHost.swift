import Logging
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindWire

/// Hosts the synthetic feed and the bar aggregator on the bus thread: every tick steps the feed at
/// the wall-clock time and publishes its quotes and trades, and bars as their minute closes.
final class MarketDataHost: BusHandler {
    private var feed: SyntheticFeed
    private var bars: BarAggregator
    private let view: StateSnapshot<MarketView>

    init(settings: MarketDataSettings, view: StateSnapshot<MarketView>) {
        feed = settings.feed
        bars = settings.bars
        self.view = view
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        var quotes: [Quote] = []
        for event in feed.step(timeNs: nowNs) + bars.flush(upTo: nowNs).map(MarketEvent.bar) {
            publish(event, context: context)
            switch event {
            case .quote(let quote): quotes.append(quote)
            case .trade(let trade): bars.apply(trade).forEach { publish(.bar($0), context: context) }
            case .book, .bar: break
            }
        }
        if !quotes.isEmpty {
            view.update { view in
                for quote in quotes { view.quotes[quote.instrument.description] = QuoteView(quote) }
                view.ticks += 1
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
