/// A trading strategy: a deterministic state machine from market events to signals and intents.
/// Outputs are appended to the caller's buffer, so a quote that produces a signal costs no allocation.
public protocol Strategy: Sendable {
    /// Unique strategy name (used in topics and intents).
    var name: String { get }
    /// Handles a quote.
    mutating func onQuote(_ quote: Quote, into outputs: inout [StrategyOutput])
    /// Handles a trade print; the default ignores it.
    mutating func onTrade(_ trade: Trade, into outputs: inout [StrategyOutput])
    /// Handles a completed bar; the default ignores it.
    mutating func onBar(_ bar: Bar, into outputs: inout [StrategyOutput])
}

extension Strategy {
    public mutating func onTrade(_ trade: Trade, into outputs: inout [StrategyOutput]) {}
    public mutating func onBar(_ bar: Bar, into outputs: inout [StrategyOutput]) {}

    /// What one quote produces, as an array (tests, tools).
    public mutating func onQuote(_ quote: Quote) -> [StrategyOutput] {
        var outputs: [StrategyOutput] = []
        onQuote(quote, into: &outputs)
        return outputs
    }
}
