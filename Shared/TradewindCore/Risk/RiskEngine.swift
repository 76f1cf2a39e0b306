/// Pre-trade risk controls (risk-manager logic), in the style of MiFID II RTS 6 and SEC 15c3-5.
///
/// Checks run cheap-first (see `RiskDenialReason` for the order); rate-limit tokens are taken and
/// a half-open circuit's probe is reserved only when an order is approved. Fills and quotes keep
/// positions, the UTC day's realized PnL and equity current; a loss or drawdown breach moves
/// trading to `RiskLimits.breachAction` once per breach. A replayed intent whose order is still
/// pending is re-approved identically (idempotent) without taking tokens.
public struct RiskEngine: Sendable {
    public let limits: RiskLimits
    public internal(set) var tradingState: TradingState
    /// Why trading is in `tradingState`: the reason of the change that put it there (a breach with
    /// its figures, the operator's words), as the host was given it when none happened yet.
    public internal(set) var tradingStateReason: String
    /// True while the operator's kill switch holds trading halted.
    public internal(set) var killSwitchEngaged: Bool
    /// Why the kill switch was last engaged or released.
    public internal(set) var killSwitchReason: String
    /// Net position per instrument, from fill reports.
    public internal(set) var positions: [InstrumentId: Quantity]
    /// Approved orders not yet terminal, by client order id.
    public internal(set) var pendingOrders: [String: PendingOrder]
    /// Latest quote per instrument.
    public internal(set) var lastQuotes: [InstrumentId: Quote]
    /// Circuit breakers by venue (a venue without an entry is closed).
    public internal(set) var circuitBreakers: [String: CircuitBreaker]
    /// Which breaches already triggered their automatic transition.
    public internal(set) var breachLatches: BreachLatches
    /// Latest event time seen (it defines "today" for the daily loss limit).
    public internal(set) var latestTimeNs: Int64?
    /// The sequence of the last dedupe key remembered (`RiskOutput.remembered`), 0 before any.
    public internal(set) var dedupeSequence: Int64
    var ledger: RiskLedger
    var strategyBuckets: [String: TokenBucket]
    var globalBucket: TokenBucket?
    var finishedOrders: BoundedSet<String>
    var seenFills: BoundedSet<String>
    let allowedVenues: Set<String>

    /// Creates the engine after validating the limits; state can be restored after a restart.
    ///
    /// Positions given here carry no cost basis: their PnL counts from the first price seen for them.
    public init(
        limits: RiskLimits, tradingState: TradingState = .active, tradingStateReason: String = "",
        positions: [InstrumentId: Quantity] = [:], pendingOrders: [PendingOrder] = []
    ) throws(ConfigurationError) {
        try limits.validate()
        self.limits = limits
        self.tradingState = tradingState
        self.tradingStateReason = tradingStateReason
        killSwitchEngaged = false
        killSwitchReason = ""
        self.positions = positions
        self.pendingOrders = Dictionary(
            pendingOrders.map { ($0.order.clientOrderId, $0) }, uniquingKeysWith: { _, last in last })
        lastQuotes = [:]
        circuitBreakers = [:]
        breachLatches = BreachLatches()
        latestTimeNs = nil
        dedupeSequence = 0
        ledger = RiskLedger(book: [], day: nil, dailyRealizedPnl: .zero, equityPeak: nil)
        strategyBuckets = [:]
        globalBucket = nil
        finishedOrders = BoundedSet(capacity: DedupeMemory.capacity)
        seenFills = BoundedSet(capacity: DedupeMemory.capacity)
        allowedVenues = Set(limits.allowedInstruments.map(\.venue))
    }

    /// Sum of unfilled quantity of pending orders on `side` of `instrument`.
    public func pendingQuantity(_ instrument: InstrumentId, side: Side) -> Quantity {
        var total = Quantity.zero
        for pending in pendingOrders.values where pending.order.instrument == instrument && pending.order.side == side {
            total = (try? total.adding(pending.remaining)) ?? .max
        }
        return total
    }

    /// Positions with average cost and PnL (instruments whose cost is known).
    public var positionDetails: [InstrumentId: Position] { ledger.book }
    /// The UTC day "today" refers to, once any event was seen.
    public var currentDay: UTCDay? { ledger.day }
    /// Today's realized PnL, net of fees.
    public var dailyRealizedPnl: Money { ledger.dailyRealizedPnl }
    /// Realized + unrealized PnL of the positions (marked at quote mids).
    public var equity: Money { ledger.equity }
    /// Highest equity seen.
    public var equityPeak: Money { ledger.equityPeak }
    /// equityPeak - equity.
    public var drawdown: Money { ledger.drawdown }

    /// The circuit state of `venue`.
    public func circuitState(venue: String) -> CircuitState {
        circuitBreakers[venue]?.state ?? .closed
    }

    /// Applies one event; returns what to publish, in order.
    public mutating func apply(_ event: RiskEvent) -> [RiskOutput] {
        switch event {
        case .intent(let intent):
            advanceTime(to: intent.timeNs)
            return evaluate(intent)
        case .executionReport(let report):
            advanceTime(to: report.timeNs)
            return applyReport(report)
        case .missedFill(let report):
            advanceTime(to: report.timeNs)
            return countFill(report)
        case .quote(let quote):
            advanceTime(to: quote.timeNs)
            return applyQuote(quote)
        case .command(let command):
            advanceTime(to: command.timeNs)
            return applyCommand(command)
        case .killSwitch(let engaged, let reason, let timeNs):
            advanceTime(to: timeNs)
            return engaged ? engageKillSwitch(reason: reason) : releaseKillSwitch(reason: reason)
        case .clock(let timeNs):
            advanceTime(to: timeNs)
            var outputs = expireUnacknowledged(at: timeNs)
            outputs += tickCircuits(at: timeNs)
            forgetFullBuckets(at: timeNs)
            return outputs
        }
    }

    /// Moves "now" forward (never back); a new UTC day restarts daily PnL and re-arms its breaker.
    private mutating func advanceTime(to timeNs: Int64) {
        if let latestTimeNs, timeNs <= latestTimeNs { return }
        latestTimeNs = timeNs
        if ledger.roll(to: UTCDay(timeNs: timeNs)) { breachLatches.dailyLoss = false }
    }

    private mutating func evaluate(_ intent: OrderIntent) -> [RiskOutput] {
        let clientOrderId = ClientOrderId.from(intentId: intent.intentId)
        if let pending = pendingOrders[clientOrderId] {
            return [.approved(pending.order)]
        }
        var outputs: [RiskOutput] = []
        if limits.allowedInstruments.contains(intent.instrument) {
            outputs += tickCircuit(intent.instrument.venue, at: intent.timeNs)
        }
        if let denial = check(intent) {
            outputs.append(.denied(denial))
            return outputs
        }
        let approved = ApprovedOrder(intent: intent, timeNs: intent.timeNs)
        takeTokens(strategy: intent.strategy, at: intent.timeNs)
        _ = circuitBreakers[intent.instrument.venue]?.apply(
            .approved(clientOrderId: clientOrderId), configuration: limits.circuitBreaker)
        pendingOrders[clientOrderId] = PendingOrder(order: approved, remaining: approved.quantity)
        outputs.append(.approved(approved))
        return outputs
    }

    private mutating func applyQuote(_ quote: Quote) -> [RiskOutput] {
        lastQuotes[quote.instrument] = quote
        guard quote.isTwoSided else { return [] }
        let held = positions[quote.instrument] ?? .zero
        guard !held.isZero || ledger.book[quote.instrument] != nil else { return [] }
        ledger.mark(quote.instrument, mid: quote.mid, quantity: held, timeNs: quote.timeNs)
        return evaluateBreaches()
    }

    private mutating func applyCommand(_ command: TradingStateCommand) -> [RiskOutput] {
        if killSwitchEngaged {
            switch command.event {
            case .halt:
                return []
            case .reduce, .resume:
                return [.commandRefused(event: command.event, reason: "kill switch engaged: \(killSwitchReason)")]
            }
        }
        return changeState(to: TradingStateMachine.transition(from: tradingState, on: command.event), reason: command.reason)
    }

    private mutating func applyReport(_ report: ExecutionReport) -> [RiskOutput] {
        pendingOrders[report.clientOrderId]?.acknowledged = true
        var outputs = countFill(report)
        outputs += recordVenueOutcome(report)
        if report.orderStatus.isTerminal {
            pendingOrders[report.clientOrderId] = nil
            if let remembered = remember(report.clientOrderId, as: .finishedOrder, timeNs: report.timeNs) { outputs.append(remembered) }
        }
        return outputs
    }

    /// Counts a fill once (by its key) in positions, pending exposure and PnL, and checks the loss limits.
    private mutating func countFill(_ report: ExecutionReport) -> [RiskOutput] {
        guard let fill = report.fill, let remembered = remember(PositionEngine.fillKey(report), as: .fill, timeNs: report.timeNs) else {
            return []
        }
        var outputs: [RiskOutput] = [remembered]
        let held = positions[report.instrument] ?? .zero
        positions[report.instrument] = (try? held.adding(report.side.signed(report.lastQuantity))) ?? held
        if var pending = pendingOrders[report.clientOrderId] {
            pending.remaining = max(.zero, pending.remaining - report.lastQuantity)
            pendingOrders[report.clientOrderId] = pending
        }
        let mid = lastQuotes[report.instrument].flatMap { $0.isTwoSided ? $0.mid : nil }
        ledger.record(fill, heldBefore: held, mid: mid)
        outputs += evaluateBreaches()
        return outputs
    }

    /// Remembers `key`; returns the output that tells the host, or nil if it was remembered already.
    private mutating func remember(_ key: String, as kind: RiskDedupeKey.Kind, timeNs: Int64) -> RiskOutput? {
        let inserted = switch kind {
        case .finishedOrder: finishedOrders.insert(key)
        case .fill: seenFills.insert(key)
        }
        guard inserted else { return nil }
        dedupeSequence += 1
        return .remembered(RiskDedupeKey(kind: kind, key: key, sequence: dedupeSequence, timeNs: timeNs))
    }

    private mutating func expireUnacknowledged(at timeNs: Int64) -> [RiskOutput] {
        let deadline = timeNs - limits.unacknowledgedOrderTimeoutNs
        guard pendingOrders.values.contains(where: { !$0.acknowledged && $0.order.timeNs < deadline }) else { return [] }
        let expired = pendingOrders.values
            .filter { !$0.acknowledged && $0.order.timeNs < deadline }
            .map(\.order)
            .sorted { ($0.timeNs, $0.clientOrderId) < ($1.timeNs, $1.clientOrderId) }
        var outputs: [RiskOutput] = []
        for order in expired {
            pendingOrders[order.clientOrderId] = nil
            outputs.append(.pendingExpired(order))
            outputs += applyCircuit(
                order.instrument.venue, .lost(clientOrderId: order.clientOrderId, timeNs: timeNs))
        }
        return outputs
    }

    /// Sets the trading state, reporting the change (if any) with `reason`.
    mutating func changeState(to next: TradingState, reason: String) -> [RiskOutput] {
        guard next != tradingState else { return [] }
        let previous = tradingState
        tradingState = next
        tradingStateReason = reason
        return [.tradingStateChanged(from: previous, to: next, reason: reason)]
    }
}

/// Which loss breakers already fired: each fires once when its condition starts to hold and is
/// re-armed when it stops holding (the daily loss one also at the UTC day roll).
public struct BreachLatches: Sendable, Hashable, Codable {
    public var dailyLoss: Bool
    public var drawdown: Bool

    public init(dailyLoss: Bool = false, drawdown: Bool = false) {
        self.dailyLoss = dailyLoss
        self.drawdown = drawdown
    }
}
