/// Seeded geometric random walk that produces quotes and occasional trades (market-data logic).
///
/// Each `step` moves every instrument's fair price by `exp(σ·z)` with z standard normal,
/// quotes it rounded to the tick with a spread of at least one tick, and sometimes prints a
/// trade at the touch. Trade ids count per instrument ("1", "2", …), numeric as datasets store
/// them. Same configuration (seed included) ⇒ identical event sequence.
public struct SyntheticFeed: Sendable {
    public let configuration: SyntheticFeedConfiguration
    private var generator: SeededGenerator
    private var fairPrices: [Price]
    private var tradeCounters: [Int]
    /// Number of steps taken so far.
    public private(set) var stepCount: Int = 0

    /// Creates the feed after validating the configuration.
    public init(configuration: SyntheticFeedConfiguration) throws(ConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.generator = SeededGenerator(seed: configuration.seed)
        self.fairPrices = configuration.instruments.map(\.startPrice)
        self.tradeCounters = Array(repeating: 0, count: configuration.instruments.count)
    }

    /// Current fair (unrounded) price of each instrument, in configuration order.
    public var currentFairPrices: [Price] { fairPrices }

    /// Advances every instrument one step and returns its quote (and maybe a trade), in configuration order.
    public mutating func step(timeNs: Int64) -> [MarketEvent] {
        stepCount += 1
        var events: [MarketEvent] = []
        for index in configuration.instruments.indices {
            let spec = configuration.instruments[index]
            let tick = spec.instrument.tickSize
            let fair = nextFairPrice(fairPrices[index], spec: spec)
            fairPrices[index] = fair
            let quote = makeQuote(fair: fair, spec: spec, tick: tick, timeNs: timeNs)
            events.append(.quote(quote))
            if Int(generator.nextBounded(100)) < configuration.tradeProbabilityPercent {
                tradeCounters[index] += 1
                events.append(.trade(makeTrade(quote: quote, spec: spec, counter: tradeCounters[index])))
            }
        }
        return events
    }

    private mutating func nextFairPrice(_ price: Price, spec: SyntheticInstrument) -> Price {
        let z = generator.nextStandardNormal()
        let logReturn = Double(spec.volatilityBps) / 10_000 * z
        let factor = DeterministicMath.exp(max(-5, min(5, logReturn)))
        let factorUnits = Int64((factor * Double(DecimalMath.unitsPerWhole)).rounded())
        let product = Int128(price.units) * Int128(factorUnits)
        let next = DecimalMath.divideHalfEven(product, Int128(DecimalMath.unitsPerWhole))
        let ceiling = Int128(Int64.max / 4)
        let floor = Int128(spec.instrument.tickSize.units)
        return Price(units: Int64(max(floor, min(ceiling, next))))
    }

    private func makeQuote(fair: Price, spec: SyntheticInstrument, tick: Price, timeNs: Int64) -> Quote {
        let rawSpread = fair.units / 10_000 * Int64(spec.spreadBps)
        let spread = max(tick, Price(units: rawSpread).rounded(toTick: tick, rule: .up))
        let halfSpread = Price(units: spread.units / 2)
        var bid = (fair - halfSpread).rounded(toTick: tick, rule: .toNearestOrEven)
        if bid < tick { bid = tick }
        return Quote(
            instrument: spec.instrument.id, bid: bid, bidSize: spec.quoteSize,
            ask: bid + spread, askSize: spec.quoteSize, timeNs: timeNs)
    }

    private mutating func makeTrade(quote: Quote, spec: SyntheticInstrument, counter: Int) -> Trade {
        let aggressor: Side = generator.nextBounded(2) == 0 ? .buy : .sell
        let lots = max(1, spec.quoteSize.units / spec.instrument.lotSize.units)
        let size = Quantity(units: spec.instrument.lotSize.units * (Int64(generator.nextBounded(UInt64(lots))) + 1))
        return Trade(
            instrument: quote.instrument, price: quote.touch(for: aggressor), size: size,
            aggressor: aggressor, tradeId: String(counter), timeNs: quote.timeNs)
    }
}
