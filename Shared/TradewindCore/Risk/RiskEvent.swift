/// Input of the risk engine.
public enum RiskEvent: Sendable, Hashable, Codable {
    case intent(OrderIntent)
    /// Fills update positions; terminal reports release pending exposure.
    case executionReport(ExecutionReport)
    /// Prices market orders (far touch).
    case quote(Quote)
    case command(TradingStateCommand)
    /// The passage of time: approved orders that no execution report ever acknowledged within
    /// `RiskLimits.unacknowledgedOrderTimeoutNs` stop counting as pending exposure.
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
