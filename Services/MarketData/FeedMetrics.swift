import Metrics
import TradewindCore

/// The live feed's metrics: messages in per stream, bytes, refusals by kind, reconnects,
/// disconnects by reason, resyncs by reason, feed latency (exchange event time → local receive),
/// book depth, whether the feed is stale and how long the venue has been silent. Handles are made
/// once per label set.
final class FeedMetrics {
    let bytes = Counter(label: "tradewind_feed_bytes_total")
    let reconnects = Counter(label: "tradewind_feed_reconnects_total")
    let snapshotFailures = Counter(label: "tradewind_feed_snapshot_failures_total")
    let inboxDropped = Counter(label: "tradewind_feed_inbox_dropped_total")
    let crossed = Counter(label: "tradewind_feed_crossed_books_total")
    let stale = Gauge(label: "tradewind_feed_stale")
    /// Seconds since the venue last sent anything, across reconnects (updated every 50 ms).
    let silence = Gauge(label: "tradewind_feed_silence_seconds")
    private var messageCounters: [String: Counter] = [:]
    private var refusals: [String: Counter] = [:]
    private var disconnectCounters: [String: Counter] = [:]
    private var resyncCounters: [String: Counter] = [:]
    private var latencies: [InstrumentId: Metrics.Timer] = [:]
    private var depths: [InstrumentId: (bids: Gauge, asks: Gauge)] = [:]

    init(instruments: [InstrumentId]) {
        for instrument in instruments {
            let name = instrument.description
            latencies[instrument] = Metrics.Timer(label: "tradewind_feed_latency_seconds", dimensions: [("instrument", name)])
            depths[instrument] = (
                Gauge(label: "tradewind_book_levels", dimensions: [("instrument", name), ("side", "bid")]),
                Gauge(label: "tradewind_book_levels", dimensions: [("instrument", name), ("side", "ask")])
            )
        }
    }

    func messages(_ instrument: InstrumentId, _ stream: String) {
        counter(&messageCounters, "tradewind_feed_messages_total", [("instrument", instrument.description), ("stream", stream)]).increment()
    }

    func refused(_ kind: String) { counter(&refusals, "tradewind_feed_refused_total", [("kind", kind)]).increment() }

    func disconnects(_ reason: String) { counter(&disconnectCounters, "tradewind_feed_disconnects_total", [("reason", reason)]).increment() }

    func resyncs(_ instrument: InstrumentId, _ reason: String) {
        counter(&resyncCounters, "tradewind_feed_resyncs_total", [("instrument", instrument.description), ("reason", reason)]).increment()
    }

    func latency(_ instrument: InstrumentId, _ nanoseconds: Int64) {
        latencies[instrument]?.recordNanoseconds(max(nanoseconds, 0))
    }

    func depth(_ instrument: InstrumentId, bids: Int, asks: Int) {
        depths[instrument]?.bids.record(bids)
        depths[instrument]?.asks.record(asks)
    }

    private func counter(_ cache: inout [String: Counter], _ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = dimensions.map(\.1).joined(separator: "|")
        if let counter = cache[key] { return counter }
        let counter = Counter(label: label, dimensions: dimensions)
        cache[key] = counter
        return counter
    }
}
