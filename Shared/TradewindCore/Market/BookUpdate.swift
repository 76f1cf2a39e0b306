/// One price level of an order book.
public struct BookLevel: Sendable, Hashable, Codable {
    public var price: Price
    /// Total size at the level; zero in a delta means the level was removed.
    public var size: Quantity

    public init(price: Price, size: Quantity) {
        self.price = price
        self.size = size
    }
}

/// An L2 book snapshot (`snapshot == true`) or a delta of changed levels.
public struct BookUpdate: Sendable, Hashable, Codable {
    public var instrument: InstrumentId
    public var snapshot: Bool
    /// Bids, best (highest) first.
    public var bids: [BookLevel]
    /// Asks, best (lowest) first.
    public var asks: [BookLevel]
    /// Event time, nanoseconds since the Unix epoch.
    public var timeNs: Int64
    /// The venue's event time for the update (Binance depth `E`), where known; a REST snapshot has none.
    public var exchangeTimeNs: Int64?

    public init(
        instrument: InstrumentId, snapshot: Bool, bids: [BookLevel], asks: [BookLevel], timeNs: Int64,
        exchangeTimeNs: Int64? = nil
    ) {
        self.instrument = instrument
        self.snapshot = snapshot
        self.bids = bids
        self.asks = asks
        self.timeNs = timeNs
        self.exchangeTimeNs = exchangeTimeNs
    }
}
