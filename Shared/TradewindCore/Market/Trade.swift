/// A public trade print.
public struct Trade: Sendable, Hashable, Codable {
    public var instrument: InstrumentId
    public var price: Price
    public var size: Quantity
    /// The side that crossed the spread.
    public var aggressor: Side
    public var tradeId: String
    /// Event time, nanoseconds since the Unix epoch: the local receive time of a live feed.
    public var timeNs: Int64
    /// The venue's trade time (Binance `T`), where known.
    public var exchangeTimeNs: Int64?

    public init(
        instrument: InstrumentId, price: Price, size: Quantity, aggressor: Side, tradeId: String, timeNs: Int64,
        exchangeTimeNs: Int64? = nil
    ) {
        self.instrument = instrument
        self.price = price
        self.size = size
        self.aggressor = aggressor
        self.tradeId = tradeId
        self.timeNs = timeNs
        self.exchangeTimeNs = exchangeTimeNs
    }
}
