/// An indicator value published on `sig.<strategy>.<instrument>`.
public struct Signal: Sendable, Hashable, Codable {
    public var strategy: String
    public var instrument: InstrumentId
    /// Indicator name, e.g. "ema_spread".
    public var name: String
    /// Indicator value in price units (e.g. fast EMA - slow EMA).
    public var value: Price
    /// +1 bullish, -1 bearish, 0 neutral.
    public var direction: Int
    public var timeNs: Int64

    public init(strategy: String, instrument: InstrumentId, name: String, value: Price, direction: Int, timeNs: Int64) {
        self.strategy = strategy
        self.instrument = instrument
        self.name = name
        self.value = value
        self.direction = direction
        self.timeNs = timeNs
    }
}

/// What a strategy emits: an indicator signal or an order intent.
public enum StrategyOutput: Sendable, Hashable, Codable {
    case signal(Signal)
    case intent(OrderIntent)
}
