import Foundation
import TradewindCore
import TradewindStore

/// What the risk manager restores before it reports ready: the trading state and kill switch as
/// they were, net positions and the orders still pending (their exposure still counts).
struct RiskManagerRecovery {
    var tradingState: TradingState?
    var killSwitch = false
    var reason = ""
    var positions: [InstrumentId: Quantity] = [:]
    var pendingOrders: [PendingOrder] = []
    var snapshot: RiskEngine.Snapshot?

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
        return recovery
    }
}
