import Logging
import Metrics
import TradewindBus

/// Metrics every daemon's host records around its core machine.
public enum PipelineMetrics {
    /// Time a message spends inside a daemon, from receipt to the last output published.
    public static func stage(_ name: String) -> Metrics.Timer {
        Metrics.Timer(label: "tradewind_stage_latency_seconds", dimensions: [("stage", name)])
    }

    /// A well-framed message whose payload the core cannot accept (e.g. a bad decimal): dropped,
    /// counted with the bus's other drops, and logged once with what was wrong.
    public static func dropInvalidPayload(_ message: BusMessage, error: any Error, logger: Logger) {
        Counter(label: "tradewind_bus_messages_dropped_total", dimensions: [("reason", "invalid_payload")]).increment()
        logger.warning("dropped invalid payload", metadata: [
            "topic": "\(message.topic)",
            "publisher": "\(message.envelope.publisher)",
            "sequence": "\(message.envelope.sequence)",
            "error": "\(error)",
        ])
    }

    /// Nanoseconds since `startNs` recorded on `timer` (skips clock steps backwards).
    public static func record(_ timer: Metrics.Timer, sinceNs startNs: Int64, nowNs: Int64) {
        if nowNs >= startNs { timer.recordNanoseconds(nowNs - startNs) }
    }
}
