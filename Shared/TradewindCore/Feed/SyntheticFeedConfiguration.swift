/// One instrument simulated by the synthetic feed.
public struct SyntheticInstrument: Sendable, Hashable, Codable {
    public var instrument: Instrument
    /// Initial fair price; must be positive.
    public var startPrice: Price
    /// Per-step standard deviation of the log return, in basis points (0...10 000).
    public var volatilityBps: Int
    /// Quoted spread as basis points of the fair price; at least one tick is always used.
    public var spreadBps: Int
    /// Size shown on each side of every quote; positive.
    public var quoteSize: Quantity

    public init(instrument: Instrument, startPrice: Price, volatilityBps: Int, spreadBps: Int, quoteSize: Quantity) {
        self.instrument = instrument
        self.startPrice = startPrice
        self.volatilityBps = volatilityBps
        self.spreadBps = spreadBps
        self.quoteSize = quoteSize
    }
}

/// Configuration of the seeded synthetic feed (market-data daemon).
public struct SyntheticFeedConfiguration: Sendable, Hashable, Codable {
    /// Seed of the random walk; the same seed yields the same events.
    public var seed: UInt64
    public var instruments: [SyntheticInstrument]
    /// Chance (0...100) that a step also prints a trade for an instrument.
    public var tradeProbabilityPercent: Int

    public init(seed: UInt64, instruments: [SyntheticInstrument], tradeProbabilityPercent: Int) {
        self.seed = seed
        self.instruments = instruments
        self.tradeProbabilityPercent = tradeProbabilityPercent
    }

    /// Checks ranges and cross-field rules, naming the offending key and value.
    public func validate() throws(ConfigurationError) {
        guard (0...100).contains(tradeProbabilityPercent) else {
            throw ConfigurationError(key: "tradeProbabilityPercent", value: "\(tradeProbabilityPercent)", reason: "must be within 0...100")
        }
        var seen = Set<InstrumentId>()
        for (index, entry) in instruments.enumerated() {
            let key = "instruments[\(index)]"
            do {
                try entry.instrument.validate()
            } catch {
                throw ConfigurationError(key: key, value: "\(entry.instrument.id)", reason: error.description)
            }
            guard seen.insert(entry.instrument.id).inserted else {
                throw ConfigurationError(key: key, value: "\(entry.instrument.id)", reason: "duplicate instrument")
            }
            guard entry.startPrice > .zero else {
                throw ConfigurationError(key: "\(key).startPrice", value: "\(entry.startPrice)", reason: "must be > 0")
            }
            guard (0...10_000).contains(entry.volatilityBps) else {
                throw ConfigurationError(key: "\(key).volatilityBps", value: "\(entry.volatilityBps)", reason: "must be within 0...10000")
            }
            guard (0...10_000).contains(entry.spreadBps) else {
                throw ConfigurationError(key: "\(key).spreadBps", value: "\(entry.spreadBps)", reason: "must be within 0...10000")
            }
            guard entry.quoteSize > .zero, entry.quoteSize.isMultiple(of: entry.instrument.lotSize) else {
                throw ConfigurationError(key: "\(key).quoteSize", value: "\(entry.quoteSize)", reason: "must be > 0 and a multiple of the lot size")
            }
        }
    }
}
