import Foundation
import TradewindCore
import TradewindStore

/// Rows for the signal bridge's tables.
enum SignalBridgeRecords {
    /// A published signal, keyed like its bus message: this process's session (its start time)
    /// and the envelope's per-publisher sequence number.
    static func signal(_ signal: Signal, sessionNs: Int64, sequence: UInt64) -> PersistedRecord {
        PersistedRecord(
            table: "signal_bridge.signals",
            columns: ["session_ns", "sequence", "strategy", "instrument", "name", "value", "direction", "event_time_ns"],
            values: [
                .int(sessionNs), .int(Int64(truncatingIfNeeded: sequence)), .text(signal.strategy),
                .text(signal.instrument.description), .text(signal.name), .numeric(signal.value.description),
                .int(Int64(signal.direction)), .int(signal.timeNs),
            ],
            conflict: .ignore(key: ["session_ns", "sequence"]))
    }

    /// An intent as produced, keyed by its id (which also names its session); `sequence` is nil
    /// when the bus did not take it (the loop was stopping or the send failed).
    static func intent(_ intent: OrderIntent, sessionNs: Int64, sequence: UInt64?) -> PersistedRecord {
        PersistedRecord(
            table: "signal_bridge.intents",
            columns: [
                "intent_id", "strategy", "instrument", "side", "order_type", "time_in_force", "quantity", "limit_price",
                "correlation_id", "event_time_ns", "session_ns", "sequence", "state",
            ],
            values: [
                .text(intent.intentId), .text(intent.strategy), .text(intent.instrument.description),
                .text(intent.side.rawValue), .text(intent.orderType.rawValue), .text(intent.timeInForce.rawValue),
                .numeric(intent.quantity.description), intent.limitPrice.map { .numeric($0.description) },
                .text(intent.intentId), .int(intent.timeNs), .int(sessionNs),
                sequence.map { .int(Int64(truncatingIfNeeded: $0)) }, .text(json(intent)),
            ],
            conflict: .ignore(key: ["intent_id"]))
    }

    static func json(_ value: some Encodable) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? "{}"
    }
}
