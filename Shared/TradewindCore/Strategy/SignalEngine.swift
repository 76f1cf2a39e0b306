/// A strategy and the instruments it listens to (nil = every instrument).
public struct StrategySlot: Sendable {
    public var strategy: any Strategy
    public var instruments: Set<InstrumentId>?

    public init(strategy: any Strategy, instruments: Set<InstrumentId>? = nil) {
        self.strategy = strategy
        self.instruments = instruments
    }
}

/// Routes market events to strategies and collects their outputs (signal-bridge logic).
///
/// Strategies run in configuration order, so outputs are deterministic.
public struct SignalEngine: Sendable {
    private var slots: [StrategySlot]
    /// Signals emitted so far.
    public private(set) var signalCount = 0
    /// Intents emitted so far.
    public private(set) var intentCount = 0

    /// Creates the engine; throws if two strategies share a name.
    public init(slots: [StrategySlot]) throws(ConfigurationError) {
        var names = Set<String>()
        for (index, slot) in slots.enumerated() where !names.insert(slot.strategy.name).inserted {
            throw ConfigurationError(key: "strategies[\(index)].name", value: slot.strategy.name, reason: "duplicate strategy name")
        }
        self.slots = slots
    }

    /// Creates the engine with strategies that each see every instrument.
    public init(strategies: [any Strategy]) throws(ConfigurationError) {
        try self.init(slots: strategies.map { StrategySlot(strategy: $0) })
    }

    /// Strategy names in routing order.
    public var strategyNames: [String] { slots.map(\.strategy.name) }

    /// The strategies, in routing order (for state views).
    public var strategies: [any Strategy] { slots.map(\.strategy) }

    /// Delivers `event` to every strategy listening to its instrument.
    public mutating func apply(_ event: MarketEvent) -> [StrategyOutput] {
        var outputs: [StrategyOutput] = []
        apply(event, into: &outputs)
        return outputs
    }

    /// Delivers `event` to every strategy listening to its instrument, appending what they produce.
    public mutating func apply(_ event: MarketEvent, into outputs: inout [StrategyOutput]) {
        let start = outputs.count
        for index in slots.indices {
            if let filter = slots[index].instruments, !filter.contains(event.instrument) { continue }
            switch event {
            case .quote(let quote): slots[index].strategy.onQuote(quote, into: &outputs)
            case .trade(let trade): slots[index].strategy.onTrade(trade, into: &outputs)
            case .bar(let bar): slots[index].strategy.onBar(bar, into: &outputs)
            case .book: continue
            }
        }
        for output in outputs[start...] {
            switch output {
            case .signal: signalCount += 1
            case .intent: intentCount += 1
            }
        }
    }
}
