import Foundation
import TradewindCore
import TradewindStore

/// Rows for the execution engine's tables, built from the OMS's outputs.
enum ExecutionRecords {
    static func order(_ order: Order) -> PersistedRecord {
        PersistedRecord(
            table: "execution_engine.orders",
            columns: [
                "client_order_id", "intent_id", "strategy", "instrument", "side", "order_type", "time_in_force",
                "quantity", "limit_price", "status", "filled_quantity", "average_price", "fees", "venue_order_id",
                "reason_code", "reason_detail", "event_count", "created_time_ns", "updated_time_ns", "state",
            ],
            values: [
                .text(order.clientOrderId), .text(order.intentId), .text(order.strategy), .text(order.instrument.description),
                .text(order.side.rawValue), .text(order.orderType.rawValue), .text(order.timeInForce.rawValue),
                .numeric(order.quantity.description), order.limitPrice.map { .numeric($0.description) },
                .text(order.status.rawValue), .numeric(order.filledQuantity.description),
                order.averagePrice.map { .numeric($0.description) }, .numeric(order.fees.description),
                order.venueOrderId.map(PGValue.text), order.reason.map { .text($0.code.rawValue) },
                order.reason.map { .text($0.detail) }, .int(Int64(order.eventCount)),
                .int(order.createdTimeNs), .int(order.updatedTimeNs), .text(stateJSON(order)),
            ],
            conflict: .update(key: ["client_order_id"]))
    }

    static func fill(_ report: ExecutionReport) -> PersistedRecord {
        PersistedRecord(
            table: "execution_engine.fills",
            columns: [
                "client_order_id", "trade_id", "intent_id", "instrument", "side", "quantity", "price", "fee",
                "fee_currency", "liquidity", "time_ns", "commission", "commission_asset",
            ],
            values: [
                .text(report.clientOrderId), .text(report.tradeId), .text(report.intentId), .text(report.instrument.description),
                .text(report.side.rawValue), .numeric(report.lastQuantity.description), .numeric(report.lastPrice.description),
                .numeric(report.fee.description), .text(report.feeCurrency), .text(report.liquidity.rawValue), .int(report.timeNs),
                report.commission.map { .numeric($0.amount.description) }, report.commission.map { .text($0.asset) },
            ],
            conflict: .ignore(key: ["client_order_id", "trade_id"]))
    }

    /// The order's exact state as JSON (FixedPoint values are decimal strings), restored at start-up.
    static func stateJSON(_ order: Order) -> String {
        (try? String(decoding: JSONEncoder().encode(order), as: UTF8.self)) ?? "{}"
    }
}
