import TradewindCore

/// `GET /v1/risk`: the trading state, the limits in force and the exposure the checks see.
struct RiskView: Encodable, Sendable {
    var tradingState: String
    var killSwitch: Bool
    var maxOrderNotional: Money
    var maxPosition: [String: Quantity]
    var allowedInstruments: [String]
    var positions: [String: Quantity]
    var pendingOrders: Int

    init(_ engine: RiskEngine, killSwitch: Bool) {
        tradingState = engine.tradingState.rawValue.uppercased()
        self.killSwitch = killSwitch
        maxOrderNotional = engine.limits.maxOrderNotional
        maxPosition = Dictionary(uniqueKeysWithValues: engine.limits.maxPosition.map { ($0.key.description, $0.value) })
        allowedInstruments = engine.limits.allowedInstruments.map(\.description).sorted()
        positions = Dictionary(uniqueKeysWithValues: engine.positions.map { ($0.key.description, $0.value) })
        pendingOrders = engine.pendingOrders.count
    }

    enum CodingKeys: String, CodingKey {
        case positions
        case tradingState = "trading_state"
        case killSwitch = "kill_switch"
        case maxOrderNotional = "max_order_notional"
        case maxPosition = "max_position"
        case allowedInstruments = "allowed_instruments"
        case pendingOrders = "pending_orders"
    }
}
