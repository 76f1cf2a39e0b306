/// An intent that passed risk checks and is ready for the execution engine.
public struct ApprovedOrder: Sendable, Hashable, Codable {
    public var intentId: String
    public var clientOrderId: String
    public var strategy: String
    public var instrument: InstrumentId
    public var side: Side
    public var orderType: OrderType
    public var timeInForce: TimeInForce
    /// Positive quantity.
    public var quantity: Quantity
    /// Required for limit orders, nil for market orders.
    public var limitPrice: Price?
    /// Time of the approval, nanoseconds since the Unix epoch.
    public var timeNs: Int64

    public init(
        intentId: String, clientOrderId: String, strategy: String, instrument: InstrumentId, side: Side,
        orderType: OrderType, timeInForce: TimeInForce, quantity: Quantity, limitPrice: Price?, timeNs: Int64
    ) {
        self.intentId = intentId
        self.clientOrderId = clientOrderId
        self.strategy = strategy
        self.instrument = instrument
        self.side = side
        self.orderType = orderType
        self.timeInForce = timeInForce
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.timeNs = timeNs
    }

    /// Approves `intent` as is, deriving the client order id from its intent id.
    public init(intent: OrderIntent, timeNs: Int64) {
        self.init(
            intentId: intent.intentId, clientOrderId: ClientOrderId.from(intentId: intent.intentId),
            strategy: intent.strategy, instrument: intent.instrument, side: intent.side,
            orderType: intent.orderType, timeInForce: intent.timeInForce, quantity: intent.quantity,
            limitPrice: intent.limitPrice, timeNs: timeNs)
    }
}
