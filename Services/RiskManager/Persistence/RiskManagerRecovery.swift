import Foundation
import TradewindCore
import TradewindStore

/// What the risk manager restores before it reports ready: the trading state and kill switch as
/// they were, net positions, the orders still pending (their exposure still counts) and the dedupe
/// keys (finished orders, counted fills) that make a resent intent or fill a duplicate.
struct RiskManagerRecovery {
    var tradingState: TradingState?
    var killSwitch = false
    var reason = ""
    var positions: [InstrumentId: Quantity] = [:]
    var pendingOrders: [PendingOrder] = []
    var snapshot: RiskEngine.Snapshot?
    /// The latest `DedupeMemory.capacity` keys of each kind, oldest first.
    var finishedOrderIds: [String] = []
    var seenFillKeys: [String] = []
    /// The highest dedupe key sequence kept: a restored engine numbers its keys on from there.
    var dedupeSequence: Int64 = 0

    /// The same, as the risk engine's restore takes it.
    var saved: RiskEngine.Saved {
        RiskEngine.Saved(
            snapshot: snapshot, tradingState: tradingState, killSwitch: killSwitch, reason: reason, positions: positions,
            pendingOrders: pendingOrders, finishedOrderIds: finishedOrderIds, seenFillKeys: seenFillKeys,
            dedupeSequence: dedupeSequence)
    }

    static func load(_ connection: PGConnection) throws -> RiskManagerRecovery {
        var recovery = RiskManagerRecovery()
        let state = try connection.execute("SELECT trading_state, kill_switch, reason FROM risk_manager.risk_state WHERE id = 1")
        if state.rowCount == 1 {
            recovery.tradingState = (try state.string(0, "trading_state")).flatMap(TradingState.init(rawValue:))
            recovery.killSwitch = try state.bool(0, "kill_switch") ?? false
            recovery.reason = try state.string(0, "reason") ?? ""
        }
        let positions = try connection.execute("SELECT instrument, quantity FROM risk_manager.positions")
        for row in 0..<positions.rowCount {
            guard let text = try positions.string(row, "instrument"), let id = InstrumentId(text),
                  let quantity = (try positions.numeric(row, "quantity")).flatMap({ Quantity($0) }) else { continue }
            recovery.positions[id] = quantity
        }
        let pending = try connection.execute("SELECT state FROM risk_manager.pending_orders WHERE open")
        let decoder = JSONDecoder()
        for row in 0..<pending.rowCount {
            guard let text = try pending.string(row, "state") else { continue }
            recovery.pendingOrders.append(try decoder.decode(PendingOrder.self, from: Data(text.utf8)))
        }
        let snapshot = try connection.execute("SELECT snapshot FROM risk_manager.engine_snapshot WHERE id = 1")
        if snapshot.rowCount == 1, let text = try snapshot.string(0, "snapshot") {
            recovery.snapshot = try decoder.decode(RiskEngine.Snapshot.self, from: Data(text.utf8))
        }
        try recovery.loadDedupeKeys(connection)
        return recovery
    }

    /// A fill key remembered after the snapshot was taken (a crash came before the snapshot's own
    /// append) belongs to a fill the snapshot does not hold: it is forgotten, so that fill counts
    /// when it comes again. Without a snapshot, positions come from the table written in the same
    /// append as the keys, so every key holds. Keys older than the latest capacity are pruned.
    private mutating func loadDedupeKeys(_ connection: PGConnection) throws {
        if let snapshot {
            _ = try connection.execute(
                "DELETE FROM risk_manager.dedupe_keys WHERE kind = $1 AND seq > $2",
                [.text(RiskDedupeKey.Kind.fill.rawValue), .int(snapshot.dedupeSequence ?? 0)])
        }
        for kind in RiskDedupeKey.Kind.allCases {
            _ = try connection.execute("""
                DELETE FROM risk_manager.dedupe_keys WHERE kind = $1 AND seq < (
                    SELECT min(seq) FROM (
                        SELECT seq FROM risk_manager.dedupe_keys WHERE kind = $1 ORDER BY seq DESC LIMIT $2) latest)
                """, [.text(kind.rawValue), .int(Int64(DedupeMemory.capacity))])
            let rows = try connection.execute(
                "SELECT key FROM risk_manager.dedupe_keys WHERE kind = $1 ORDER BY seq", [.text(kind.rawValue)])
            var keys: [String] = []
            keys.reserveCapacity(rows.rowCount)
            for row in 0..<rows.rowCount {
                if let key = try rows.string(row, "key") { keys.append(key) }
            }
            switch kind {
            case .finishedOrder: finishedOrderIds = keys
            case .fill: seenFillKeys = keys
            }
        }
        let highest = try connection.execute("SELECT coalesce(max(seq), 0) AS seq FROM risk_manager.dedupe_keys")
        dedupeSequence = try highest.int64(0, "seq") ?? 0
    }
}
