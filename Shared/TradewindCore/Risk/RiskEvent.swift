/// Input of the risk engine.
public enum RiskEvent: Sendable, Hashable, Codable {
    case intent(OrderIntent)
    /// Fills update positions and PnL; terminal reports release pending exposure; venue rejects,
    /// acks and fills drive the venue's circuit breaker.
    case executionReport(ExecutionReport)
    /// A fill the engine persisted that never arrived on the bus (read back from the execution
    /// engine's table after a restart or a sequence gap): counted in positions and PnL unless its
    /// key was already counted; it says nothing of its order's state or of the venue's health.
    case missedFill(ExecutionReport)
    /// Prices orders (mid for collars and exposure, far touch for market notional) and marks PnL.
    case quote(Quote)
    /// An operator's trading-state change; `.resume` and `.reduce` are refused while the kill switch is engaged.
    case command(TradingStateCommand)
    /// Engages (halt and refuse everything until released) or releases the kill switch.
    case killSwitch(engaged: Bool, reason: String, timeNs: Int64)
    /// The passage of time: approved orders that no execution report ever acknowledged within
    /// `RiskLimits.unacknowledgedOrderTimeoutNs` stop counting as pending exposure; open circuits
    /// become half-open; the UTC day may roll.
    case clock(timeNs: Int64)
}

/// Output of the risk engine.
public enum RiskOutput: Sendable, Hashable, Codable {
    case approved(ApprovedOrder)
    case denied(RiskDenial)
    case tradingStateChanged(from: TradingState, to: TradingState, reason: String)
    /// An approved order never acknowledged in time (lost on its way to execution); its exposure
    /// was released. Fills that still arrive for it count as usual.
    case pendingExpired(ApprovedOrder)
    /// The kill switch was engaged or released.
    case killSwitchChanged(engaged: Bool, reason: String)
    /// A command that was not applied (e.g. resume while the kill switch is engaged), with why.
    case commandRefused(event: TradingStateEvent, reason: String)
    /// A venue's circuit breaker changed state.
    case circuitChanged(venue: String, from: CircuitState, to: CircuitState, reason: String)
    /// The engine now remembers `key` (a counted fill, a finished order): persisted with the event
    /// that caused it, it lets a restored engine refuse the same duplicates.
    case remembered(RiskDedupeKey)
}

/// An approved order not yet terminal, counted as pending exposure.
public struct PendingOrder: Sendable, Hashable, Codable {
    public var order: ApprovedOrder
    /// Quantity not yet filled.
    public var remaining: Quantity
    /// True once any execution report for the order arrived.
    public var acknowledged: Bool

    public init(order: ApprovedOrder, remaining: Quantity, acknowledged: Bool = false) {
        self.order = order
        self.remaining = remaining
        self.acknowledged = acknowledged
    }
}
