import Foundation
import TradewindCore
import TradewindStore

/// Rows for the position tracker's tables. Exact values go to NUMERIC as decimal text, and the
/// Codable state next to them is what recovery decodes.
enum PositionTrackerRecords {
    /// One applied fill, keyed by the engine's fill key; `report` is re-applied at recovery.
    static func fillApplied(
        _ report: ExecutionReport, key: String, appliedSeq: Int64, realizedChange: Money
    ) -> PersistedRecord {
        PersistedRecord(
            table: "position_tracker.fills_applied",
            columns: [
                "fill_key", "applied_seq", "instrument", "side", "quantity", "price", "fee", "realized_pnl", "trade_id",
                "client_order_id", "intent_id", "event_number", "event_time_ns", "day", "report",
            ],
            values: [
                .text(key), .int(appliedSeq), .text(report.instrument.description), .text(report.side.rawValue),
                .numeric(report.lastQuantity.description), .numeric(report.lastPrice.description),
                .numeric(report.fee.description), .numeric(realizedChange.description), .text(report.tradeId),
                .text(report.clientOrderId), .text(report.intentId), .int(Int64(report.eventNumber)),
                .int(report.timeNs), .text(UTCDay(timeNs: report.timeNs).description), .text(json(report)),
            ],
            conflict: .ignore(key: ["fill_key"]))
    }

    /// The current state of one position (upsert).
    static func position(_ position: Position, appliedSeq: Int64) -> PersistedRecord {
        PersistedRecord(
            table: "position_tracker.positions",
            columns: [
                "instrument", "quantity", "average_price", "cost_basis", "realized_pnl", "unrealized_pnl", "fees",
                "fill_count", "mark_price", "updated_time_ns", "applied_seq", "state",
            ],
            values: [
                .text(position.instrument.description), .numeric(position.quantity.description),
                .numeric(position.averagePrice.description), .numeric(position.costBasis.description),
                .numeric(position.realizedPnl.description), .numeric(position.unrealizedPnl.description),
                .numeric(position.fees.description), .int(Int64(position.fillCount)),
                position.markPrice.map { .numeric($0.description) }, .int(position.updatedTimeNs),
                .int(appliedSeq), .text(json(position)),
            ],
            conflict: .update(key: ["instrument"]))
    }

    /// Every position and the portfolio as of `timeNs`, including the fills up to `appliedSeq`.
    static func snapshot(_ engine: PositionEngine, appliedSeq: Int64, timeNs: Int64) -> PersistedRecord {
        PersistedRecord(
            table: "position_tracker.position_snapshots",
            columns: [
                "snapshot_time_ns", "applied_seq", "taken_at", "open_positions", "total_pnl", "peak_total_pnl",
                "positions", "portfolio",
            ],
            values: [
                .int(timeNs), .int(appliedSeq), .timestampNs(timeNs), .int(Int64(engine.portfolio.openPositions)),
                .numeric(engine.portfolio.totalPnl.description), .numeric(engine.portfolio.peakTotalPnl.description),
                .text(json(engine.sortedPositions)), .text(json(engine.portfolio)),
            ],
            conflict: .ignore(key: ["snapshot_time_ns"]))
    }

    /// A UTC day's realized PnL and fees (upsert).
    static func daily(_ totals: DailyPnl, appliedSeq: Int64) -> PersistedRecord {
        PersistedRecord(
            table: "position_tracker.daily_pnl",
            columns: ["day", "realized_pnl", "fees", "fill_count", "applied_seq"],
            values: [
                .text(totals.day.description), .numeric(totals.realizedPnl.description), .numeric(totals.fees.description),
                .int(Int64(totals.fillCount)), .int(appliedSeq),
            ],
            conflict: .update(key: ["day"]))
    }

    /// Why a fill report cannot be stored exactly (a text field PostgreSQL cannot hold), or nil.
    /// Such a fill is refused rather than applied, so memory never holds a fill the database lacks.
    static func unstorableReason(_ report: ExecutionReport, key: String) -> String? {
        let fields = [("fill_key", key), ("trade_id", report.tradeId), ("client_order_id", report.clientOrderId), ("intent_id", report.intentId)]
        for (name, text) in fields {
            do {
                try PGValue.text(text).validate(field: name)
            } catch {
                return error.description
            }
        }
        return nil
    }

    static func json(_ value: some Encodable) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? "{}"
    }
}
