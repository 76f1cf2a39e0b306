import TradewindCore

/// `GET /v1/risk`: the trading state, the limits in force, the exposure and PnL the checks see,
/// and each venue's circuit breaker.
struct RiskView: Encodable, Sendable {
    /// Host-side counts the engine does not keep.
    struct Counters: Sendable {
        var controlCommandsRefused = 0
    }

    struct Circuit: Encodable, Sendable {
        var state: String
        var recentFailures: Int
        var openedAtNs: Int64?

        enum CodingKeys: String, CodingKey {
            case state
            case recentFailures = "recent_failures"
            case openedAtNs = "opened_at_ns"
        }
    }

    var tradingState: String
    var stateReason: String
    var killSwitch: Bool
    var limits: RiskLimits
    var positions: [String: Quantity]
    var pendingOrders: Int
    var circuitBreakers: [String: Circuit]
    var controlCommandsRefused: Int
    /// Time of the last quote per instrument: what the collar, staleness and exposure checks price with.
    var lastQuoteNs: [String: Int64]
    var dailyRealizedPnl: Money
    var equity: Money
    var equityPeak: Money
    var drawdown: Money
    var grossExposure: Money

    init(_ engine: RiskEngine, counters: Counters) {
        tradingState = engine.tradingState.rawValue.uppercased()
        stateReason = engine.tradingStateReason
        killSwitch = engine.killSwitchEngaged
        limits = engine.limits
        positions = Dictionary(uniqueKeysWithValues: engine.positions.map { ($0.key.description, $0.value) })
        pendingOrders = engine.pendingOrders.count
        circuitBreakers = engine.circuitBreakers.mapValues { breaker in
            Circuit(
                state: breaker.state.rawValue, recentFailures: breaker.failureTimesNs.count,
                openedAtNs: breaker.state == .closed ? nil : breaker.openedAtNs)
        }
        controlCommandsRefused = counters.controlCommandsRefused
        lastQuoteNs = Dictionary(uniqueKeysWithValues: engine.lastQuotes.map { ($0.key.description, $0.value.timeNs) })
        dailyRealizedPnl = engine.dailyRealizedPnl
        equity = engine.equity
        equityPeak = engine.equityPeak
        drawdown = engine.drawdown
        grossExposure = engine.grossExposure
    }

    enum CodingKeys: String, CodingKey {
        case positions, limits
        case tradingState = "trading_state"
        case stateReason = "state_reason"
        case killSwitch = "kill_switch"
        case pendingOrders = "pending_orders"
        case circuitBreakers = "circuit_breakers"
        case controlCommandsRefused = "control_commands_refused"
        case lastQuoteNs = "last_quote_ns"
        case dailyRealizedPnl = "daily_realized_pnl"
        case equity
        case equityPeak = "equity_peak"
        case drawdown
        case grossExposure = "gross_exposure"
    }
}
