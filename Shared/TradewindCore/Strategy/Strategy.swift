/// A trading strategy: a deterministic state machine from market events to signals and intents.
public protocol Strategy: Sendable {
    /// Unique strategy name (used in topics and intents).
    var name: String { get }
    /// Handles a quote.
    mutating func onQuote(_ quote: Quote) -> [StrategyOutput]
    /// Handles a trade print; the default ignores it.
    mutating func onTrade(_ trade: Trade) -> [StrategyOutput]
    /// Handles a completed bar; the default ignores it.
    mutating func onBar(_ bar: Bar) -> [StrategyOutput]
}

extension Strategy {
    public mutating func onTrade(_ trade: Trade) -> [StrategyOutput] { [] }
    public mutating func onBar(_ bar: Bar) -> [StrategyOutput] { [] }
}
