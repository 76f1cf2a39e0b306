/// Input of the risk engine.
public enum RiskEvent: Sendable, Hashable, Codable {
    case intent(OrderIntent)
    /// Fills update positions; terminal reports release pending exposure.
    case executionReport(ExecutionReport)
    /// Prices market orders (far touch).
    case quote(Quote)
    case command(TradingStateCommand)
}

/// Output of the risk engine.
public enum RiskOutput: Sendable, Hashable, Codable {
    case approved(ApprovedOrder)
    case denied(RiskDenial)
    case tradingStateChanged(from: TradingState, to: TradingState, reason: String)
}

/// An approved order not yet terminal, counted as pending exposure.
public struct PendingOrder: Sendable, Hashable, Codable {
    public var order: ApprovedOrder
    /// Quantity not yet filled.
    public var remaining: Quantity

    public init(order: ApprovedOrder, remaining: Quantity) {
        self.order = order
        self.remaining = remaining
    }
}
