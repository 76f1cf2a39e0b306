/// A venue's full-depth snapshot (Binance REST `GET /api/v3/depth`): every level up to the
/// requested limit as of update id `lastUpdateId`.
public struct DepthSnapshot: Sendable, Hashable, Codable {
    /// The update id the snapshot reflects (Binance `lastUpdateId`).
    public var lastUpdateId: UInt64
    public var bids: [BookLevel]
    public var asks: [BookLevel]
    /// When the snapshot was received, nanoseconds since the Unix epoch (the REST answer has no
    /// event time).
    public var timeNs: Int64

    public init(lastUpdateId: UInt64, bids: [BookLevel], asks: [BookLevel], timeNs: Int64) {
        self.lastUpdateId = lastUpdateId
        self.bids = bids
        self.asks = asks
        self.timeNs = timeNs
    }
}
