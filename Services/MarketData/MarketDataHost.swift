import Logging
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindWire

/// Hosts the market-data slice on the bus thread over its feed: the seeded synthetic feed (each
/// tick steps it as many times as `ticks_per_second` says are due by now, each step with its own
/// event time) or a dataset replayed at a multiple of real time, as fast as possible, or in
/// lockstep with the daemons downstream (the next event goes out once every one of them announced
/// it finished the previous). Quotes, trades and bars are published; closed bars are persisted.
final class MarketDataHost: BusHandler, @unchecked Sendable {  // touched only on the bus thread (handlers, BusLoop.perform)
    private var slice: MarketDataSlice
    private var source: MarketDataSource
    private let store: DaemonStore
    private let view: StateSnapshot<MarketView>
    private var latest: [InstrumentId: Quote] = [:]
    private var gate: LockstepGate?
    private var steps = 0
    /// The live Binance feed, when `feed` is `binance` (the source is then idle).
    private let live: BinanceFeedDriver?

    /// The timer cadence: one synthetic step per tick up to 1000/s, then 1 ms ticks; 1 ms for a replay.
    static func tickInterval(_ settings: MarketDataSettings) -> Duration {
        switch settings.source {
        case .synthetic(_, let ticksPerSecond): .nanoseconds(max(1_000_000, 1_000_000_000 / Int64(ticksPerSecond)))
        case .replay, .binance: .milliseconds(1)
        }
    }

    init(
        slice: MarketDataSlice, source: MarketDataSource, live: BinanceFeedDriver? = nil, lockstep: Bool, store: DaemonStore,
        view: StateSnapshot<MarketView>
    ) {
        self.slice = slice
        self.source = source
        self.live = live
        gate = lockstep ? LockstepGate() : nil
        self.store = store
        self.view = view
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        if gate != nil { return publishLockstep(context: context) }
        if let live {
            var published = 0
            live.tick(nowNs: nowNs, context: context) { event in
                publish(slice.apply(event), context: context)
                published += 1
            }
            steps += published
            if published > 0 { updateView(context: context) }
            return
        }
        var published = 0
        while published < Self.maxEventsPerTick, let event = source.next(nowNs: nowNs, logger: context.logger) {
            publish(slice.apply(event), context: context)
            published += 1
        }
        guard published > 0 else { return }
        steps += published
        updateView(context: context)
    }

    /// `POST /v1/book/snapshot?instrument=`: publishes the live book whole (nil: no such book).
    func requestBookSnapshot(_ instrument: InstrumentId, context: BusLoopContext) -> String? {
        live?.requestSnapshot(instrument, nowNs: context.nowNs, context: context)
    }

    /// Closes the live feed's connection and finishes its raw recording.
    func stopped(context: BusLoopContext) { live?.stop() }

    /// Bounds a tick's burst so the loop keeps serving its sockets (a fast replay, a stalled process).
    static let maxEventsPerTick = 10_000

    /// In lockstep, watermarks from downstream let the next event out.
    func handle(_ message: BusMessage, context: BusLoopContext) {
        guard case .watermark(let watermark)? = message.payload, gate != nil else { return }
        gate?.acknowledge(service: message.envelope.publisher, phase: watermark.phase, step: watermark.step)
        publishLockstep(context: context)
        updateView(context: context)
    }

    private func publishLockstep(context: BusLoopContext) {
        guard var gate, gate.canPublish else { return }
        guard let event = source.next(nowNs: context.nowNs, logger: context.logger) else { return }
        let step = gate.publishNext()
        self.gate = gate
        publish(slice.apply(event), context: context)
        LockstepDriver.announce(phase: .marketData, step: step, timeNs: event.timeNs, context: context)
        steps += 1
        updateView(context: context)
    }

    private func updateView(context: BusLoopContext) {
        let (quotes, steps, finished) = (latest, steps, source.isFinished)
        let (published, acknowledged) = (gate?.published, gate?.acknowledged)
        view.update { view in
            for (instrument, quote) in quotes { view.quotes[instrument.description] = QuoteView(quote) }
            view.ticks = steps
            view.replayFinished = finished
            view.lockstepStep = published
            view.lockstepAcknowledged = acknowledged
        }
    }

    private func publish(_ events: [MarketEvent], context: BusLoopContext) {
        for event in events {
            switch event {
            case .quote(let quote):
                latest[quote.instrument] = quote
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
}

/// `GET /v1/market`: the latest quote per instrument, and how far a replay got.
struct MarketView: Encodable, Sendable {
    var ticks = 0
    var quotes: [String: QuoteView] = [:]
    var replayFinished = false
    /// In lockstep: the last step published, and the last one every downstream daemon finished.
    var lockstepStep: UInt64?
    var lockstepAcknowledged: UInt64?

    enum CodingKeys: String, CodingKey {
        case ticks, quotes
        case replayFinished = "replay_finished"
        case lockstepStep = "lockstep_step"
        case lockstepAcknowledged = "lockstep_acknowledged"
    }
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
