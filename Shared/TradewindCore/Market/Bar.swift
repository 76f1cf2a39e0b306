/// An OHLCV bar over `[startTimeNs, startTimeNs + intervalSeconds)`.
public struct Bar: Sendable, Hashable, Codable {
    public var instrument: InstrumentId
    public var startTimeNs: Int64
    public var intervalSeconds: Int
    public var open: Price
    public var high: Price
    public var low: Price
    public var close: Price
    public var volume: Quantity
    public var tradeCount: Int

    public init(
        instrument: InstrumentId, startTimeNs: Int64, intervalSeconds: Int,
        open: Price, high: Price, low: Price, close: Price, volume: Quantity, tradeCount: Int
    ) {
        self.instrument = instrument
        self.startTimeNs = startTimeNs
        self.intervalSeconds = intervalSeconds
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.tradeCount = tradeCount
    }

    /// Exclusive end of the interval.
    public var endTimeNs: Int64 { startTimeNs + Int64(intervalSeconds) * 1_000_000_000 }
}
