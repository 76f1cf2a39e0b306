/// One venue diff-depth event (Binance `<symbol>@depth`, `e` = "depthUpdate"), normalized: the
/// absolute new size of every level that changed between update ids `firstUpdateId` and
/// `finalUpdateId` inclusive; a size of 0 removes the level.
public struct DepthDiff: Sendable, Hashable, Codable {
    /// First update id in the event (Binance `U`).
    public var firstUpdateId: UInt64
    /// Final update id in the event (Binance `u`).
    public var finalUpdateId: UInt64
    /// Changed bid levels (Binance `b`).
    public var bids: [BookLevel]
    /// Changed ask levels (Binance `a`).
    public var asks: [BookLevel]
    /// Event time, nanoseconds since the Unix epoch (the host chooses exchange or receive time).
    public var timeNs: Int64
    /// The venue's event time (Binance `E`), carried into the book update the diff becomes.
    public var exchangeTimeNs: Int64?

    public init(
        firstUpdateId: UInt64, finalUpdateId: UInt64, bids: [BookLevel], asks: [BookLevel], timeNs: Int64,
        exchangeTimeNs: Int64? = nil
    ) {
        self.firstUpdateId = firstUpdateId
        self.finalUpdateId = finalUpdateId
        self.bids = bids
        self.asks = asks
        self.timeNs = timeNs
        self.exchangeTimeNs = exchangeTimeNs
    }

    /// Number of levels the event changes.
    public var levelCount: Int { bids.count + asks.count }
}
