/// Pre-trade risk checks (risk-manager logic).
///
/// Checks, in order: intent well-formed, instrument allowed, quantity valid, trading state,
/// price valid (or a quote for market orders), order notional (limit price, or the far touch for market orders), and
/// worst-case position (position + pending same-side quantity + this order).
/// A replayed intent whose order is still pending is re-approved identically (idempotent).
public struct RiskEngine: Sendable {
    public let limits: RiskLimits
    public private(set) var tradingState: TradingState
    /// Net position per instrument, from fill reports.
    public private(set) var positions: [InstrumentId: Quantity]
    /// Approved orders not yet terminal, by client order id.
    public private(set) var pendingOrders: [String: PendingOrder]
    /// Latest quote per instrument.
    public private(set) var lastQuotes: [InstrumentId: Quote] = [:]
    private var finishedOrders = BoundedSet<String>(capacity: DedupeMemory.capacity)
    private var seenFills = BoundedSet<String>(capacity: DedupeMemory.capacity)

    /// Creates the engine after validating the limits; state can be restored after a restart.
    public init(
        limits: RiskLimits, tradingState: TradingState = .active,
        positions: [InstrumentId: Quantity] = [:], pendingOrders: [PendingOrder] = []
    ) throws(ConfigurationError) {
        try limits.validate()
        self.limits = limits
        self.tradingState = tradingState
        self.positions = positions
        self.pendingOrders = Dictionary(
            pendingOrders.map { ($0.order.clientOrderId, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Sum of unfilled quantity of pending orders on `side` of `instrument`.
    public func pendingQuantity(_ instrument: InstrumentId, side: Side) -> Quantity {
        pendingOrders.values
            .filter { $0.order.instrument == instrument && $0.order.side == side }
            .reduce(Quantity.zero) { $0 + $1.remaining }
    }

    public mutating func apply(_ event: RiskEvent) -> [RiskOutput] {
        switch event {
        case .intent(let intent):
            return evaluate(intent)
        case .executionReport(let report):
            applyReport(report)
            return []
        case .quote(let quote):
            lastQuotes[quote.instrument] = quote
            return []
        case .command(let command):
            let next = TradingStateMachine.transition(from: tradingState, on: command.event)
            guard next != tradingState else { return [] }
            let previous = tradingState
            tradingState = next
            return [.tradingStateChanged(from: previous, to: next, reason: command.reason)]
        case .clock(let timeNs):
            return expireUnacknowledged(at: timeNs)
        }
    }

    private mutating func expireUnacknowledged(at timeNs: Int64) -> [RiskOutput] {
        let deadline = timeNs - limits.unacknowledgedOrderTimeoutNs
        let expired = pendingOrders.values
            .filter { !$0.acknowledged && $0.order.timeNs < deadline }
            .map(\.order)
            .sorted { ($0.timeNs, $0.clientOrderId) < ($1.timeNs, $1.clientOrderId) }
        for order in expired { pendingOrders[order.clientOrderId] = nil }
        return expired.map(RiskOutput.pendingExpired)
    }

    private mutating func evaluate(_ intent: OrderIntent) -> [RiskOutput] {
        let clientOrderId = ClientOrderId.from(intentId: intent.intentId)
        if let pending = pendingOrders[clientOrderId] {
            return [.approved(pending.order)]
        }
        if let denial = check(intent, clientOrderId: clientOrderId) {
            return [.denied(denial)]
        }
        let approved = ApprovedOrder(intent: intent, timeNs: intent.timeNs)
        pendingOrders[clientOrderId] = PendingOrder(order: approved, remaining: approved.quantity)
        return [.approved(approved)]
    }

    private func check(_ intent: OrderIntent, clientOrderId: String) -> RiskDenial? {
        func deny(_ reason: RiskDenialReason, _ detail: String, limit: String? = nil, observed: String? = nil) -> RiskDenial {
            RiskDenial(
                intentId: intent.intentId, strategy: intent.strategy, instrument: intent.instrument,
                reason: reason, detail: detail, limit: limit, observed: observed, timeNs: intent.timeNs)
        }
        guard !intent.intentId.isEmpty, !intent.strategy.isEmpty else {
            return deny(.invalidIntent, "intent id and strategy must be non-empty")
        }
        guard !finishedOrders.contains(clientOrderId) else {
            return deny(.duplicateIntent, "intent \(intent.intentId) already produced order \(clientOrderId)")
        }
        guard limits.allowedInstruments.contains(intent.instrument), let instrument = limits.instruments[intent.instrument] else {
            return deny(.instrumentNotAllowed, "instrument \(intent.instrument) is not allowed", observed: "\(intent.instrument)")
        }
        let quantity = intent.quantity
        guard quantity > .zero, quantity.isMultiple(of: instrument.lotSize), quantity >= instrument.minQuantity else {
            return deny(
                .invalidQuantity,
                "quantity \(quantity) must be > 0, >= \(instrument.minQuantity) and a multiple of lot \(instrument.lotSize)",
                limit: "\(instrument.lotSize)", observed: "\(quantity)")
        }
        let position = positions[intent.instrument] ?? .zero
        let pendingSameSide = pendingQuantity(intent.instrument, side: intent.side)
        switch tradingState {
        case .active:
            break
        case .halted:
            return deny(.tradingHalted, "trading is halted")
        case .reducing:
            let reduces = position.signum == -intent.side.sign
            let total = (try? quantity.adding(pendingSameSide)) ?? .max
            guard reduces, total <= position.absoluteValue else {
                return deny(
                    .tradingReducing, "trading is reducing: only orders that shrink the \(position) position without flipping it pass",
                    limit: "\(position.absoluteValue)", observed: "\(total)")
            }
        }
        let price: Price
        switch intent.orderType {
        case .limit:
            guard let limitPrice = intent.limitPrice, instrument.isValidPrice(limitPrice) else {
                return deny(
                    .invalidPrice, "limit price \(intent.limitPrice.map { "\($0)" } ?? "none") must be > 0 and a multiple of tick \(instrument.tickSize)",
                    limit: "\(instrument.tickSize)", observed: intent.limitPrice.map { "\($0)" })
            }
            price = limitPrice
        case .market:
            guard let quote = lastQuotes[intent.instrument], quote.touch(for: intent.side) > .zero else {
                return deny(.noMarketPrice, "market order on \(intent.instrument) without a quote to price it")
            }
            price = quote.touch(for: intent.side)
        }
        guard let notional = try? price.notional(quantity) else {
            return deny(.maxOrderNotional, "notional \(quantity) x \(price) overflows", limit: "\(limits.maxOrderNotional)", observed: "overflow")
        }
        guard notional <= limits.maxOrderNotional else {
            return deny(
                .maxOrderNotional, "order notional \(notional) exceeds \(limits.maxOrderNotional)",
                limit: "\(limits.maxOrderNotional)", observed: "\(notional)")
        }
        let maxPosition = limits.positionLimit(for: intent.instrument)
        let worstCase = try? position.adding(intent.side.signed(try pendingSameSide.adding(quantity)))
        guard let worstCase, worstCase.units != .min, worstCase.absoluteValue <= maxPosition else {
            return deny(
                .maxPosition, "worst-case position \(worstCase.map { "\($0)" } ?? "overflow") exceeds ±\(maxPosition)",
                limit: "\(maxPosition)", observed: worstCase.map { "\($0)" } ?? "overflow")
        }
        return nil
    }

    private mutating func applyReport(_ report: ExecutionReport) {
        pendingOrders[report.clientOrderId]?.acknowledged = true
        if report.isFill {
            let key = PositionEngine.fillKey(report)
            if seenFills.insert(key) {
                let current = positions[report.instrument] ?? .zero
                positions[report.instrument] = (try? current.adding(report.side.signed(report.lastQuantity))) ?? current
                if var pending = pendingOrders[report.clientOrderId] {
                    pending.remaining = max(.zero, pending.remaining - report.lastQuantity)
                    pendingOrders[report.clientOrderId] = pending
                }
            }
        }
        if report.orderStatus.isTerminal {
            pendingOrders[report.clientOrderId] = nil
            finishedOrders.insert(report.clientOrderId)
        }
    }
}
