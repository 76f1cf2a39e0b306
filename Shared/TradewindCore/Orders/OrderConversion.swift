/// How the OMS changed an order before sending it: a MARKET order the slippage guard sent as an
/// IOC LIMIT at its collar price. The `Order` keeps the approved terms; this records what the
/// venue was asked to do instead, and why.
public struct OrderConversion: Sendable, Hashable, Codable {
    /// Order type sent to the venue.
    public var orderType: OrderType
    /// Time in force sent to the venue.
    public var timeInForce: TimeInForce
    /// Limit price sent to the venue.
    public var limitPrice: Price
    /// Market price the conversion was computed from (the quote's mid).
    public var referencePrice: Price
    /// Why, e.g. SLIPPAGE_GUARD_CONVERTED with "price=100.5 mid=100 collar_bps=50".
    public var reason: OrderReason

    public init(orderType: OrderType, timeInForce: TimeInForce, limitPrice: Price, referencePrice: Price, reason: OrderReason) {
        self.orderType = orderType
        self.timeInForce = timeInForce
        self.limitPrice = limitPrice
        self.referencePrice = referencePrice
        self.reason = reason
    }

    /// `approved` with these terms: what the venue command carries.
    public func applied(to approved: ApprovedOrder) -> ApprovedOrder {
        var sent = approved
        sent.orderType = orderType
        sent.timeInForce = timeInForce
        sent.limitPrice = limitPrice
        return sent
    }
}
