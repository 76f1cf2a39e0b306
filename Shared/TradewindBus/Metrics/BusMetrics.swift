import Metrics

/// The bus's swift-metrics instruments, created once per label value and cached. Used only on
/// the loop thread that owns it.
final class BusMetrics {
    static let published = "tradewind_bus_messages_published_total"
    static let received = "tradewind_bus_messages_received_total"
    static let filtered = "tradewind_bus_messages_filtered_total"
    static let dropped = "tradewind_bus_messages_dropped_total"
    static let sendErrors = "tradewind_bus_send_errors_total"
    static let sequenceGaps = "tradewind_bus_sequence_gaps_total"
    static let duplicates = "tradewind_bus_sequence_duplicates_total"
    static let restarts = "tradewind_bus_publisher_restarts_total"
    static let transit = "tradewind_bus_transit_seconds"
    static let heartbeatStale = "tradewind_bus_heartbeat_stale"
    /// Counted by `BusLoop.submit` itself (any thread), not by this loop-thread cache.
    static let submissionsRefused = "tradewind_bus_submissions_refused_total"

    /// Publisher names come from peers; past this many, further names share the label "other".
    static let maxPublisherLabels = 64

    private lazy var filteredCounter = Counter(label: Self.filtered)
    private var publishedByFamily: [TopicFamily: Counter] = [:]
    private var receivedByFamily: [TopicFamily: Counter] = [:]
    private var droppedByReason: [BusDropReason: Counter] = [:]
    private var sendErrorsByFamily: [TopicFamily: Counter] = [:]
    private var gapsByPublisher: [String: Counter] = [:]
    private var duplicatesByPublisher: [String: Counter] = [:]
    private var restartsByPublisher: [String: Counter] = [:]
    private var transitByPublisher: [String: Metrics.Timer] = [:]
    private var staleByUpstream: [String: Gauge] = [:]

    func countPublished(_ family: TopicFamily) {
        cached(&publishedByFamily, family) { Counter(label: Self.published, dimensions: [("family", $0.rawValue)]) }
            .increment()
    }

    func countSendError(_ family: TopicFamily) {
        cached(&sendErrorsByFamily, family) { Counter(label: Self.sendErrors, dimensions: [("family", $0.rawValue)]) }
            .increment()
    }

    func countReceived(_ family: TopicFamily) {
        cached(&receivedByFamily, family) { Counter(label: Self.received, dimensions: [("family", $0.rawValue)]) }
            .increment()
    }

    func countFiltered() {
        filteredCounter.increment()
    }

    func countDropped(_ reason: BusDropReason) {
        cached(&droppedByReason, reason) { Counter(label: Self.dropped, dimensions: [("reason", $0.rawValue)]) }
            .increment()
    }

    func countGap(publisher: String, missing: UInt64) {
        cached(&gapsByPublisher, label(publisher, in: gapsByPublisher)) { Counter(label: Self.sequenceGaps, dimensions: [("publisher", $0)]) }
            .increment(by: Int64(clamping: missing))
    }

    func countDuplicate(publisher: String) {
        cached(&duplicatesByPublisher, label(publisher, in: duplicatesByPublisher)) { Counter(label: Self.duplicates, dimensions: [("publisher", $0)]) }
            .increment()
    }

    func countRestart(publisher: String) {
        cached(&restartsByPublisher, label(publisher, in: restartsByPublisher)) { Counter(label: Self.restarts, dimensions: [("publisher", $0)]) }
            .increment()
    }

    func recordTransit(publisher: String, nanoseconds: Int64) {
        cached(&transitByPublisher, label(publisher, in: transitByPublisher)) { Metrics.Timer(label: Self.transit, dimensions: [("publisher", $0)]) }
            .recordNanoseconds(max(0, nanoseconds))
    }

    func recordStale(upstream: String, stale: Bool) {
        cached(&staleByUpstream, upstream) { Gauge(label: Self.heartbeatStale, dimensions: [("upstream", $0)]) }
            .record(stale ? 1 : 0)
    }

    private func label<Instrument>(_ publisher: String, in cache: [String: Instrument]) -> String {
        cache[publisher] != nil || cache.count < Self.maxPublisherLabels ? publisher : "other"
    }

    private func cached<Key: Hashable, Instrument>(
        _ cache: inout [Key: Instrument], _ key: Key, make: (Key) -> Instrument
    ) -> Instrument {
        if let instrument = cache[key] { return instrument }
        let instrument = make(key)
        cache[key] = instrument
        return instrument
    }
}
