/// A strategy's wish to trade, before risk checks.
public struct OrderIntent: Sendable, Hashable, Codable {
    /// Unique, deterministic id; the client order id derives from it.
    public var intentId: String
    public var strategy: String
    public var instrument: InstrumentId
    public var side: Side
    public var orderType: OrderType
    public var timeInForce: TimeInForce
    /// Positive quantity.
    public var quantity: Quantity
    /// Required for limit orders.
    public var limitPrice: Price?
    public var timeNs: Int64

    public init(
        intentId: String, strategy: String, instrument: InstrumentId, side: Side, orderType: OrderType,
        timeInForce: TimeInForce, quantity: Quantity, limitPrice: Price?, timeNs: Int64
    ) {
        self.intentId = intentId
        self.strategy = strategy
        self.instrument = instrument
        self.side = side
        self.orderType = orderType
        self.timeInForce = timeInForce
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.timeNs = timeNs
    }
}
