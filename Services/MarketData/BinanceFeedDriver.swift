import Logging
import Metrics
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindData
import TradewindVenues
import TradewindWire

/// Wires Binance Spot's market streams to the core's `LiveMarketFeed` on the bus thread: drains
/// what the socket tasks received, decodes it, feeds it (and the time) to the machine, and does what
/// it says: open or close the connection, fetch depth snapshots, publish quotes, trades, book
/// snapshots and deltas and feed-state changes, count everything.
final class BinanceFeedDriver {
    private var feed: LiveMarketFeed
    private let stream: BinanceMarketStream
    private let input: BinanceFeedInput
    private let venue = "BINANCE"
    private var connection = 0
    private var started = false
    private var inbox: [BinanceMarketStream.Event] = []
    private var loggedRefusals: Set<String> = []
    private var lastViewNs: Int64 = 0
    private let metrics: FeedMetrics
    /// Records every frame, snapshot and connection change as received (`record_raw`).
    private let recorder: RawRecordWriter?
    private var recorderFailed = false
    let view: StateSnapshot<[String: BookView]>
    /// The `feed` readiness check: connected, receiving, every book in step.
    let readiness = StateSnapshot((ok: false, detail: "not connected yet"))
    private var readinessDetail = ""

    init(settings: MarketDataSettings.BinanceFeed, logger: Logger) throws(ConfigurationError) {
        feed = try LiveMarketFeed(
            instruments: settings.instruments, connection: settings.connection, books: settings.books, seed: settings.seed)
        input = BinanceFeedInput(instruments: settings.instruments)
        stream = BinanceMarketStream(
            endpoints: .init(
                streamURL: settings.streamURL, restURL: settings.restURL, snapshotLimit: settings.snapshotLimit,
                maxFrameBytes: settings.maxFrameBytes, requestTimeoutMs: settings.requestTimeoutMs),
            logger: logger)
        metrics = FeedMetrics(instruments: settings.instruments)
        view = StateSnapshot([:])
        // flushed at least every 200 ms: a crash loses at most that much of the recording
        recorder = settings.rawDirectory.map { RawRecordWriter(directory: $0, flushIntervalNs: 200_000_000) }
    }

    /// One pass on the bus thread: what arrived, then the time.
    func tick(nowNs: Int64, context: BusLoopContext, publish: (MarketEvent) -> Void) {
        if !started {
            started = true
            act(feed.apply(.start(timeNs: nowNs)), nowNs: nowNs, context: context, publish: publish)
        }
        let dropped = stream.drain(into: &inbox)
        if dropped > 0 { metrics.inboxDropped.increment(by: Int64(dropped)) }
        for event in inbox {
            if isCurrent(event) { record(event, context: context) }
            guard let input = translate(event, context: context) else { continue }
            act(feed.apply(input), nowNs: nowNs, context: context, publish: publish)
        }
        act(feed.apply(.clock(timeNs: nowNs)), nowNs: nowNs, context: context, publish: publish)
        updateReadiness()
        if let recorder, !recorderFailed { try? recorder.flush(ifDueAt: nowNs) }
        if nowNs - lastViewNs >= 50_000_000 || !inbox.isEmpty && nowNs - lastViewNs >= 10_000_000 { updateView(nowNs: nowNs) }
    }

    /// A subscriber asked for `instrument`'s whole book: published on `md.book` if the book is live.
    /// Returns the book's state.
    func requestSnapshot(_ instrument: InstrumentId, nowNs: Int64, context: BusLoopContext) -> String? {
        guard let book = feed.books[instrument] else { return nil }
        act(feed.apply(.bookRequested(instrument, timeNs: nowNs)), nowNs: nowNs, context: context, publish: { _ in })
        return book.state.rawValue
    }

    func stop() {
        stream.disconnect()
        try? recorder?.finish()
    }

    /// Whether the event belongs to the connection the machine last opened (older ones' stragglers
    /// are neither used nor recorded).
    private func isCurrent(_ event: BinanceMarketStream.Event) -> Bool {
        switch event {
        case .opened(let number, _), .closed(let number, _, _), .frame(let number, _, _): number == connection
        case .snapshot, .snapshotFailed: true
        }
    }

    private func record(_ event: BinanceMarketStream.Event, context: BusLoopContext) {
        guard let recorder, !recorderFailed else { return }
        let record: RawRecord
        switch event {
        case .opened(let number, let time): record = RawRecord(receivedNs: time, kind: .open, tag: "\(number)", payload: [])
        case .closed(let number, let reason, let time):
            record = RawRecord(receivedNs: time, kind: .close, tag: "\(number)", payload: Array(reason.utf8))
        case .frame(let number, let bytes, let time): record = RawRecord(receivedNs: time, kind: .frame, tag: "\(number)", payload: bytes)
        case .snapshot(let instrument, let body, let time):
            record = RawRecord(receivedNs: time, kind: .snapshot, tag: instrument.description, payload: body)
        case .snapshotFailed: return
        }
        do {
            try recorder.append(record)
        } catch {
            // a full disk must not stop the feed: stop recording, say so once
            recorderFailed = true
            metrics.refused("raw_recording")
            context.logger.error("raw recording stopped", metadata: ["error": "\(error)"])
        }
    }

    private func translate(_ event: BinanceMarketStream.Event, context: BusLoopContext) -> LiveMarketFeed.Event? {
        switch event {
        case .opened(let number, let time):
            guard number == connection else { return nil }
            context.logger.info("binance stream connected", metadata: ["connection": "\(number)"])
            return .opened(timeNs: time)
        case .closed(let number, let reason, let time):
            guard number == connection else { return nil }
            context.logger.notice("binance stream closed", metadata: ["connection": "\(number)", "reason": "\(reason)"])
            return .closed(timeNs: time)
        case .frame(let number, let bytes, let time):
            guard number == connection else { return nil }
            metrics.bytes.increment(by: Int64(bytes.count))
            switch input.frame(bytes, receivedNs: time) {
            case .success(let decoded):
                if let instrument = decoded.instrument, let stream = decoded.stream { metrics.messages(instrument, stream) }
                if let instrument = decoded.instrument, let latency = decoded.exchangeLatencyNs { metrics.latency(instrument, latency) }
                return decoded.event
            case .failure(let error):
                metrics.refused(error.kind)
                if loggedRefusals.insert(error.kind).inserted {
                    context.logger.warning("binance frame refused (logged once per kind)", metadata: [
                        "kind": "\(error.kind)", "error": "\(error)", "bytes": "\(bytes.count)",
                    ])
                }
                return .unusableFrame(timeNs: time)
            }
        case .snapshot(let instrument, let body, let time):
            switch input.snapshot(instrument, body: body, receivedNs: time) {
            case .success(let event): return event
            case .failure(let error):
                metrics.refused("snapshot_" + error.kind)
                context.logger.warning("binance depth snapshot refused", metadata: ["instrument": "\(instrument)", "error": "\(error)"])
                return .snapshotFailed(instrument, timeNs: time)
            }
        case .snapshotFailed(let instrument, let reason, let time):
            metrics.snapshotFailures.increment()
            context.logger.warning("binance depth snapshot failed", metadata: ["instrument": "\(instrument)", "reason": "\(reason)"])
            return .snapshotFailed(instrument, timeNs: time)
        }
    }

    private func act(_ outputs: [LiveMarketFeed.Output], nowNs: Int64, context: BusLoopContext, publish: (MarketEvent) -> Void) {
        for output in outputs {
            switch output {
            case .connect(let attempt):
                connection += 1
                if attempt > 0 { metrics.reconnects.increment() }
                context.logger.info("binance stream connecting", metadata: [
                    "url": "\(stream.url(streams: input.decoder.streamNames))", "attempt": "\(attempt)",
                ])
                stream.connect(streams: input.decoder.streamNames, connection: connection)
            case .disconnect(let reason):
                context.logger.notice("binance stream dropped here", metadata: ["reason": "\(reason.rawValue)"])
                metrics.disconnects(reason.rawValue)
                stream.disconnect()
            case .requestSnapshot(let instrument, let reason):
                metrics.resyncs(instrument, reason.rawValue)
                stream.requestSnapshot(instrument)
            case .quote(let quote): publish(.quote(quote))
            case .trade(let trade): publish(.trade(trade))
            case .book(let message):
                var wire = Tradewind_V1_BookUpdate(message.update)
                wire.sequence = message.sequence
                wire.venueUpdateID = message.venueUpdateId
                context.publish(topic: BusTopic.book(message.instrument.description), payload: .book(wire), eventTimeNs: message.update.timeNs)
            case .feedState(let instrument, let state, let reason):
                var wire = Tradewind_V1_FeedState()
                wire.venue = venue
                wire.instrument = instrument?.description ?? ""
                wire.state = state
                wire.reason = reason
                context.publish(topic: BusTopic.feed, payload: .feedState(wire), eventTimeNs: nowNs)
                context.logger.notice("feed state", metadata: [
                    "instrument": "\(instrument?.description ?? "-")", "state": "\(state)", "reason": "\(reason)",
                ])
                metrics.stale.record(state == FeedConnection.FeedState.stale.rawValue ? 1 : 0)
            case .gap(let instrument, let expected, let got):
                context.logger.warning("binance depth gap", metadata: ["instrument": "\(instrument)", "expected": "\(expected)", "got": "\(got)"])
            case .crossed(let instrument, let cross):
                metrics.crossed.increment()
                context.logger.warning("binance book crossed", metadata: ["instrument": "\(instrument)", "cross": "\(cross)"])
            case .rejected(let instrument, let error):
                metrics.refused("depth_level")
                context.logger.warning("binance depth refused", metadata: ["instrument": "\(instrument)", "error": "\(error)"])
            }
        }
    }

    private func updateReadiness() {
        let detail = feed.readinessDetail
        guard detail != readinessDetail else { return }
        readinessDetail = detail
        readiness.publish((feed.isReady, detail))
    }

    private func updateView(nowNs: Int64) {
        lastViewNs = nowNs
        if let silence = feed.silenceNs(at: nowNs) { metrics.silence.record(Double(silence) / 1e9) }
        var books: [String: BookView] = [:]
        for (instrument, synchronizer) in feed.books {
            books[instrument.description] = BookView(synchronizer)
            metrics.depth(instrument, bids: synchronizer.book.depth(.bid), asks: synchronizer.book.depth(.ask))
        }
        view.publish(books)
    }
}

/// `GET /v1/book`: each instrument's local book, whole. The bus thread stores the book value (its
/// arrays are shared, not copied); the levels are formatted on the HTTP thread when asked for.
struct BookView: Encodable, Sendable {
    var state: String
    var sequence: UInt64
    var book: OrderBook

    init(_ synchronizer: DepthSynchronizer) {
        state = synchronizer.state.rawValue
        sequence = synchronizer.sequence
        book = synchronizer.book
    }

    enum CodingKeys: String, CodingKey {
        case state, sequence, bids, asks
        case venueUpdateId = "venue_update_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(book.updateId, forKey: .venueUpdateId)
        try container.encode(book.levels(.bid).map { [$0.price.description, $0.size.description] }, forKey: .bids)
        try container.encode(book.levels(.ask).map { [$0.price.description, $0.size.description] }, forKey: .asks)
    }
}
