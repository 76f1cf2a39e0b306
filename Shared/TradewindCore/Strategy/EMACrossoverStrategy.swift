/// Trend follower: long when the fast EMA of the quote mid is above the slow one, short below.
///
/// After `slowPeriod` quotes of warm-up it emits an "ema_spread" signal (fast - slow) on every
/// quote, and on a crossover a market IOC intent moving its own target from the current
/// target to ±orderQuantity (first crossover: qty, later flips: 2·qty).
public struct EMACrossoverStrategy: Strategy {
    public let configuration: EMACrossoverConfiguration
    private var states: [InstrumentId: InstrumentState] = [:]
    private var intentCounter = 0

    /// Per-instrument indicator state.
    public struct InstrumentState: Sendable, Hashable, Codable {
        public fileprivate(set) var fast: ExponentialMovingAverage
        public fileprivate(set) var slow: ExponentialMovingAverage
        /// Direction of fast - slow at the previous post-warm-up quote.
        public fileprivate(set) var previousDirection: Int?
        /// Position this strategy wants (signed).
        public fileprivate(set) var target: Quantity = .zero
    }

    /// Creates the strategy after validating its configuration.
    public init(configuration: EMACrossoverConfiguration) throws(ConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    public var name: String { configuration.name }

    /// Indicator state of `instrument`, nil before its first quote.
    public func state(for instrument: InstrumentId) -> InstrumentState? { states[instrument] }

    /// Number of intents emitted so far.
    public var intentCount: Int { intentCounter }

    public mutating func onQuote(_ quote: Quote, into outputs: inout [StrategyOutput]) {
        guard quote.isTwoSided else { return }
        let mid = quote.mid
        var state = states[quote.instrument] ?? InstrumentState(
            fast: ExponentialMovingAverage(period: configuration.fastPeriod),
            slow: ExponentialMovingAverage(period: configuration.slowPeriod))
        let fast = state.fast.update(mid)
        let slow = state.slow.update(mid)
        defer { states[quote.instrument] = state }
        guard state.slow.count >= configuration.slowPeriod else { return }

        let spread = fast - slow
        let direction = spread.signum
        outputs.append(.signal(Signal(
            strategy: name, instrument: quote.instrument, name: "ema_spread",
            value: spread, direction: direction, timeNs: quote.timeNs)))
        let previous = state.previousDirection
        state.previousDirection = direction
        guard let previous, let quantity = configuration.orderQuantity[quote.instrument] else { return }

        let newTarget: Quantity
        if previous <= 0 && direction > 0 {
            newTarget = quantity
        } else if previous >= 0 && direction < 0 {
            newTarget = -quantity
        } else {
            return
        }
        let delta = newTarget - state.target
        guard !delta.isZero else { return }
        state.target = newTarget
        intentCounter += 1
        outputs.append(.intent(OrderIntent(
            intentId: "\(configuration.idPrefix)-\(intentCounter)", strategy: name,
            instrument: quote.instrument, side: delta > .zero ? .buy : .sell,
            orderType: .market, timeInForce: .ioc, quantity: delta.absoluteValue,
            limitPrice: nil, timeNs: quote.timeNs)))
    }
}
