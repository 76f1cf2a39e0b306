import Logging
import Metrics
import TradewindBus

/// Metrics every daemon's host records around its core machine.
public enum PipelineMetrics {
    /// Time a message spends inside a daemon, from receipt to the last output published.
    public static func stage(_ name: String) -> Metrics.Timer {
        Metrics.Timer(label: "tradewind_stage_latency_seconds", dimensions: [("stage", name)])
    }

    private static let invalidPayloads = Counter(label: "tradewind_bus_messages_dropped_total", dimensions: [("reason", "invalid_payload")])
    private static let unexpectedPayloads = Counter(label: "tradewind_bus_messages_dropped_total", dimensions: [("reason", "unexpected_payload")])

    /// A well-framed message whose payload the core cannot accept (e.g. a bad decimal): dropped,
    /// counted with the bus's other drops, and logged with what was wrong.
    public static func dropInvalidPayload(_ message: BusMessage, error: any Error, logger: Logger) {
        invalidPayloads.increment()
        logger.warning("dropped invalid payload", metadata: [
            "topic": "\(message.topic)",
            "publisher": "\(message.envelope.publisher)",
            "sequence": "\(message.envelope.sequence)",
            "error": "\(error)",
        ])
    }

    /// A valid message of a kind this daemon does not consume on that subscription (a publisher that
    /// sends more than its topics promise): dropped, counted and logged.
    public static func dropUnexpectedPayload(_ message: BusMessage, logger: Logger) {
        unexpectedPayloads.increment()
        logger.warning("dropped unexpected payload", metadata: [
            "topic": "\(message.topic)",
            "publisher": "\(message.envelope.publisher)",
            "payload": "\(message.payload.map(BusTopic.payloadName) ?? "none")",
        ])
    }

    /// Nanoseconds since `startNs` recorded on `timer` (skips clock steps backwards).
    public static func record(_ timer: Metrics.Timer, sinceNs startNs: Int64, nowNs: Int64) {
        if nowNs >= startNs { timer.recordNanoseconds(nowNs - startNs) }
    }
}
