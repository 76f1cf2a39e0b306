import Metrics

/// The writer's swift-metrics instruments, labelled with the store name.
struct WriteBehindMetrics: Sendable {
    static let queueDepth = "tradewind_db_queue_depth"
    static let spoolBytes = "tradewind_db_spool_bytes"
    static let writeSeconds = "tradewind_db_write_seconds"
    static let writeErrors = "tradewind_db_write_errors_total"
    static let recordsWritten = "tradewind_db_records_written_total"
    static let recordsRejected = "tradewind_db_records_rejected_total"
    static let reachable = "tradewind_db_reachable"

    /// Records awaiting a commit (the in-memory queue plus the journal backlog).
    let queueDepth: Gauge
    /// Journal bytes after the checkpoint.
    let spoolBytes: Gauge
    let writeSeconds: Metrics.Timer
    let writeErrors: Counter
    let recordsWritten: Counter
    let recordsRejected: Counter
    let reachable: Gauge

    init(store: String) {
        let dimensions = [("store", store)]
        queueDepth = Gauge(label: Self.queueDepth, dimensions: dimensions)
        spoolBytes = Gauge(label: Self.spoolBytes, dimensions: dimensions)
        writeSeconds = Metrics.Timer(label: Self.writeSeconds, dimensions: dimensions)
        writeErrors = Counter(label: Self.writeErrors, dimensions: dimensions)
        recordsWritten = Counter(label: Self.recordsWritten, dimensions: dimensions)
        recordsRejected = Counter(label: Self.recordsRejected, dimensions: dimensions)
        reachable = Gauge(label: Self.reachable, dimensions: dimensions)
    }
}
