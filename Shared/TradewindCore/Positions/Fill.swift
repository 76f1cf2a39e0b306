/// One execution against a position: side, positive quantity, price and fee.
public struct Fill: Sendable, Hashable, Codable {
    public var instrument: InstrumentId
    public var side: Side
    /// Positive quantity.
    public var quantity: Quantity
    public var price: Price
    /// Fee paid (negative for a rebate).
    public var fee: Money
    public var tradeId: String
    public var timeNs: Int64

    public init(instrument: InstrumentId, side: Side, quantity: Quantity, price: Price, fee: Money, tradeId: String, timeNs: Int64) {
        self.instrument = instrument
        self.side = side
        self.quantity = quantity
        self.price = price
        self.fee = fee
        self.tradeId = tradeId
        self.timeNs = timeNs
    }
}
