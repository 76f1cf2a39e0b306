import Foundation
import TradewindCore
import TradewindStore

/// Rows for the risk manager's tables.
enum RiskRecords {
    static func approved(_ order: ApprovedOrder) -> PersistedRecord {
        decision(
            intentId: order.intentId, decision: "approved", reason: nil, limit: nil, observed: nil, detail: "",
            strategy: order.strategy, instrument: order.instrument, clientOrderId: order.clientOrderId, timeNs: order.timeNs)
    }

    static func denied(_ denial: RiskDenial) -> PersistedRecord {
        decision(
            intentId: denial.intentId, decision: "denied", reason: denial.reason.code, limit: denial.limit,
            observed: denial.observed, detail: denial.detail, strategy: denial.strategy, instrument: denial.instrument,
            clientOrderId: nil, timeNs: denial.timeNs)
    }

    private static func decision(
        intentId: String, decision: String, reason: String?, limit: String?, observed: String?, detail: String,
        strategy: String, instrument: InstrumentId, clientOrderId: String?, timeNs: Int64
    ) -> PersistedRecord {
        PersistedRecord(
            table: "risk_manager.decisions",
            columns: [
                "intent_id", "outcome", "decision", "reason_code", "limit_value", "observed_value", "detail", "strategy",
                "instrument", "client_order_id", "time_ns",
            ],
            values: [
                .text(intentId), .text(reason ?? "APPROVED"), .text(decision), reason.map(PGValue.text), limit.map(PGValue.text),
                observed.map(PGValue.text), .text(detail), .text(strategy), .text(instrument.description),
                clientOrderId.map(PGValue.text), .int(timeNs),
            ],
            conflict: .ignore(key: ["intent_id", "outcome"]))
    }

    static func state(_ state: TradingState, killSwitch: Bool, reason: String, limits: RiskLimits, timeNs: Int64) -> PersistedRecord {
        PersistedRecord(
            table: "risk_manager.risk_state",
            columns: ["id", "trading_state", "kill_switch", "reason", "limits", "updated_time_ns"],
            values: [.int(1), .text(state.rawValue), .bool(killSwitch), .text(reason), .text(json(limits)), .int(timeNs)],
            conflict: .update(key: ["id"]))
    }

    static func position(_ instrument: InstrumentId, _ quantity: Quantity, timeNs: Int64) -> PersistedRecord {
        PersistedRecord(
            table: "risk_manager.positions",
            columns: ["instrument", "quantity", "updated_time_ns"],
            values: [.text(instrument.description), .numeric(quantity.description), .int(timeNs)],
            conflict: .update(key: ["instrument"]))
    }

    /// The pending order's current state; `nil` marks it no longer open.
    static func pending(_ clientOrderId: String, _ pending: PendingOrder?, last: PendingOrder?, timeNs: Int64) -> PersistedRecord {
        PersistedRecord(
            table: "risk_manager.pending_orders",
            columns: ["client_order_id", "open", "state", "updated_time_ns"],
            values: [.text(clientOrderId), .bool(pending != nil), .text((pending ?? last).map(json) ?? "{}"), .int(timeNs)],
            conflict: .update(key: ["client_order_id"]))
    }

    /// The engine's whole restorable state (positions with cost, today's PnL, equity peak,
    /// breach latches, circuit breakers), replaced on every change that matters.
    /// Built from `RiskEngine.snapshot(includingPendingOrders: false, includingDedupeMemory: false)`,
    /// since it is written on every fill: pending orders and dedupe keys have their own tables
    /// (restored over the snapshot).
    static func snapshot(_ snapshot: RiskEngine.Snapshot, timeNs: Int64) -> PersistedRecord {
        PersistedRecord(
            table: "risk_manager.engine_snapshot",
            columns: ["id", "snapshot", "updated_time_ns"],
            values: [.int(1), .text(json(snapshot)), .int(timeNs)],
            conflict: .update(key: ["id"]))
    }

    /// A dedupe key the engine started to remember, kept so that a restored engine refuses the same
    /// duplicates (`RiskManagerRecovery` reloads the latest of each kind).
    static func dedupeKey(_ key: RiskDedupeKey) -> PersistedRecord {
        PersistedRecord(
            table: "risk_manager.dedupe_keys",
            columns: ["kind", "key", "seq", "time_ns"],
            values: [.text(key.kind.rawValue), .text(key.key), .int(key.sequence), .int(key.timeNs)],
            conflict: .update(key: ["kind", "key"]))
    }

    /// One refused or accepted control command (HTTP or bus), for the record.
    static func control(action: String, accepted: Bool, source: String, issuedBy: String, reason: String, timeNs: Int64) -> PersistedRecord {
        PersistedRecord(
            table: "risk_manager.control_log",
            columns: ["time_ns", "action", "accepted", "source", "issued_by", "reason"],
            values: [.int(timeNs), .text(action), .bool(accepted), .text(source), .text(issuedBy), .text(reason)],
            conflict: .ignore(key: ["time_ns", "action", "source"]))
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}
