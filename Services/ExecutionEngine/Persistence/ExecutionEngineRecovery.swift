import Foundation
import TradewindCore
import TradewindStore

/// What the execution engine restores from its tables before it reports ready.
struct ExecutionEngineRecovery {
    var openOrders: [Order] = []
    var seenTradeIds: Set<String> = []
    var finishedOrderIds: [String] = []
    var audit = AuditChain()
    /// Start of the last reconciliation that reached the venue.
    var lastReconciliationNs: Int64?
    /// Net filled quantity per instrument over every fill (what REDUCING protects).
    var netFilled: [InstrumentId: Quantity] = [:]

    static let openStatuses = "('new', 'submitted', 'accepted', 'partially_filled', 'pending_cancel')"

    static func load(_ connection: PGConnection) throws -> ExecutionEngineRecovery {
        var recovery = ExecutionEngineRecovery()
        let decoder = JSONDecoder()
        let open = try connection.execute(
            "SELECT state FROM execution_engine.orders WHERE status IN \(openStatuses) ORDER BY created_time_ns, client_order_id")
        for row in 0..<open.rowCount {
            guard let state = try open.string(row, "state") else { continue }
            recovery.openOrders.append(try decoder.decode(Order.self, from: Data(state.utf8)))
        }
        let fills = try connection.execute("""
            SELECT f.client_order_id, f.trade_id FROM execution_engine.fills f
            JOIN execution_engine.orders o USING (client_order_id) WHERE o.status IN \(openStatuses)
            """)
        for row in 0..<fills.rowCount {
            if let order = try fills.string(row, "client_order_id"), let trade = try fills.string(row, "trade_id") {
                recovery.seenTradeIds.insert("\(order)|\(trade)")
            }
        }
        let finished = try connection.execute(
            "SELECT client_order_id FROM execution_engine.orders WHERE status NOT IN \(openStatuses) ORDER BY created_time_ns DESC LIMIT $1",
            [.int(Int64(DedupeMemory.capacity))])
        for row in (0..<finished.rowCount).reversed() {
            if let id = try finished.string(row, "client_order_id") { recovery.finishedOrderIds.append(id) }
        }
        let head = try connection.execute(
            "SELECT sequence, hash FROM execution_engine.order_audit_trail ORDER BY sequence DESC LIMIT 1")
        if head.rowCount == 1, let sequence = try head.int64(0, "sequence"), let hash = try head.bytes(0, "hash") {
            recovery.audit = AuditChain(sequence: sequence, lastHash: hash)
        }
        let net = try connection.execute("""
            SELECT instrument, sum(CASE side WHEN 'buy' THEN quantity ELSE -quantity END) AS net
            FROM execution_engine.fills GROUP BY instrument
            """)
        for row in 0..<net.rowCount {
            if let id = try net.string(row, "instrument").flatMap(InstrumentId.init),
               let quantity = try net.numeric(row, "net").flatMap({ Quantity($0) }) {
                recovery.netFilled[id] = quantity
            }
        }
        let reconciled = try connection.execute(
            "SELECT max(started_ns) AS last FROM execution_engine.reconciliations WHERE status <> 'failed'")
        if reconciled.rowCount == 1 { recovery.lastReconciliationNs = try reconciled.int64(0, "last") }
        return recovery
    }
}
