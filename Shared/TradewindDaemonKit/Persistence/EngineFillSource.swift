import Foundation
import TradewindCore
import TradewindStore

/// Reads the execution engine's persisted fills: the source of truth the position tracker and the
/// risk manager re-sync from when they may have missed reports on the bus (they were down, the
/// engine restarted, or a sequence gap).
public enum EngineFillSource {
    /// How far before the last fill a daemon counted a re-sync looks (covers reports in flight).
    public static let marginNs: Int64 = 10_000_000_000

    /// Fills the engine persisted at or after `sinceNs`, oldest first, as fill reports. Empty when
    /// the engine's schema does not exist yet (a fresh database where the tracker started first).
    public static func fills(since sinceNs: Int64, _ connection: PGConnection) throws -> [ExecutionReport] {
        let exists = try connection.execute("SELECT to_regclass('execution_engine.fills') IS NOT NULL AS present")
        guard try exists.bool(0, "present") == true else { return [] }
        let rows = try connection.execute("""
            SELECT client_order_id, trade_id, intent_id, instrument, side, quantity, price, fee, fee_currency, liquidity, time_ns
            FROM execution_engine.fills WHERE time_ns >= $1 ORDER BY time_ns, client_order_id, trade_id
            """, [.int(sinceNs)])
        var reports: [ExecutionReport] = []
        for row in 0..<rows.rowCount {
            guard let instrument = try rows.string(row, "instrument").flatMap(InstrumentId.init),
                  let side = try rows.string(row, "side").flatMap(Side.init(rawValue:)),
                  let quantity = try rows.numeric(row, "quantity").flatMap({ Quantity($0) }),
                  let price = try rows.numeric(row, "price").flatMap({ Price($0) }),
                  let fee = try rows.numeric(row, "fee").flatMap({ Money($0) }),
                  let timeNs = try rows.int64(row, "time_ns")
            else { continue }
            reports.append(ExecutionReport(
                clientOrderId: try rows.string(row, "client_order_id") ?? "", venueOrderId: "",
                intentId: try rows.string(row, "intent_id") ?? "", strategy: "", instrument: instrument, side: side,
                execType: .fill, orderStatus: .filled, lastQuantity: quantity, lastPrice: price,
                cumulativeQuantity: quantity, leavesQuantity: .zero, averagePrice: price, fee: fee,
                feeCurrency: try rows.string(row, "fee_currency") ?? "",
                liquidity: (try rows.string(row, "liquidity")).flatMap(Liquidity.init(rawValue:)) ?? .none,
                tradeId: try rows.string(row, "trade_id") ?? "", eventNumber: 0, timeNs: timeNs))
        }
        return reports
    }

    /// The event time of the newest fill the tracker applied, or nil if none.
    public static func lastAppliedTime(_ connection: PGConnection) throws -> Int64? {
        let result = try connection.execute("SELECT max(event_time_ns) AS last FROM position_tracker.fills_applied")
        return try result.int64(0, "last")
    }
}
