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

    /// Exclusive end of the interval (saturates at `Int64.max`).
    public var endTimeNs: Int64 {
        let (length, overflow1) = Int64(intervalSeconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (end, overflow2) = startTimeNs.addingReportingOverflow(length)
        return overflow1 || overflow2 ? .max : end
    }
}
