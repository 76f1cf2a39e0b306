/// The order management system (execution-engine logic).
///
/// It owns orders and their life cycle but not the venue: it emits `.venueCommand` outputs,
/// and the host routes them to a venue adapter (`SimulatedVenue` or a real one) and feeds the
/// responses back as `.venue` events. So a real adapter slots in without touching this type,
/// and `ExecutionSlice` wires the simulated venue in process (for the daemon and backtests).
///
/// Orders waiting for the venue (SUBMITTED, PENDING_CANCEL) longer than the policy's timeout are
/// queried on `.clock` events; MARKET orders pass the policy's slippage guard before sending.
public struct ExecutionCore: Sendable {
    var registry: OrderRegistry
    var timers: InFlightTimers
    let instruments: [InstrumentId: Instrument]
    let defaultFeeCurrency: String
    /// The policy the engine runs with.
    public let policy: ExecutionPolicy
    /// Latest quote per instrument.
    public private(set) var lastQuotes: [InstrumentId: Quote] = [:]

    /// Creates an OMS; `instruments` give each report's fee currency (their quote asset) and the
    /// slippage collar's tick. Memory is bounded: all open orders and the last
    /// `retainedFinishedOrders` finished ones are kept whole. After a restart, `restoring` gives the
    /// open orders and `finishedOrderIds` the ids of finished ones, so a replayed approval of an
    /// order that already finished never becomes a second order; restored orders still in flight
    /// are queried once the timeout passes their last update.
    public init(
        instruments: [InstrumentId: Instrument] = [:], defaultFeeCurrency: String = "", restoring orders: [Order] = [],
        seenTradeIds: Set<String> = [], finishedOrderIds: [String] = [], retainedFinishedOrders: Int = 10_000,
        policy: ExecutionPolicy = .defaults
    ) {
        self.instruments = instruments
        self.defaultFeeCurrency = defaultFeeCurrency
        self.policy = policy
        registry = OrderRegistry(retainedFinishedOrders: retainedFinishedOrders)
        timers = InFlightTimers(timeoutNs: policy.inFlightTimeoutNs)
        registry.rememberFinished(finishedOrderIds)
        for order in orders.sorted(by: { ($0.createdTimeNs, $0.clientOrderId) < ($1.createdTimeNs, $1.clientOrderId) }) {
            commit(order, activityNs: order.updatedTimeNs)
        }
        for key in seenTradeIds.sorted() {
            registry.recordFill(key, clientOrderId: String(key.prefix { $0 != "|" }))
        }
    }

    /// Open orders and the retained finished ones, in creation order.
    public var orders: [Order] { registry.orders }

    /// Orders that can still trade, in creation order.
    public var openOrders: [Order] { registry.openOrders }

    /// Number of open orders (cheap, unlike `openOrders`).
    public var openOrderCount: Int { registry.openCount }

    /// The order with `clientOrderId`, if open or retained.
    public func order(clientOrderId: String) -> Order? { registry[clientOrderId] }

    /// True if an order with this id ever existed here (open, retained, or finished and evicted).
    public func knowsOrder(clientOrderId: String) -> Bool { registry.contains(clientOrderId) }

    /// Dedupe keys ("<clientOrderId>|<tradeId>") of fills applied to retained orders (for persistence).
    public var seenTradeIds: Set<String> { registry.seenFillKeys }

    /// Orders waiting for a venue response (SUBMITTED or PENDING_CANCEL).
    public var inFlightOrderIds: Set<String> { timers.ids }

    /// When the next in-flight query is due (the host may schedule its `.clock` by it).
    public var nextQueryTimeNs: Int64? { timers.nextDeadlineNs }

    public mutating func apply(_ event: ExecutionEvent) -> [ExecutionOutput] {
        switch event {
        case .approved(let approved):
            return submit(approved)
        case .venue(let venueEvent):
            return applyVenue(venueEvent)
        case .quote(let quote):
            lastQuotes[quote.instrument] = quote
            return []
        case .cancel(let clientOrderId, let timeNs):
            return requestCancel(clientOrderId: clientOrderId, timeNs: timeNs)
        case .cancelAll(let instrument, let timeNs):
            return openOrders
                .filter { instrument == nil || $0.instrument == instrument }
                .filter { $0.status != .pendingCancel }
                .flatMap { requestCancel(clientOrderId: $0.clientOrderId, timeNs: timeNs) }
        case .clock(let timeNs):
            return timers.expire(at: timeNs).compactMap { id in
                registry[id].map { .venueCommand(.query(clientOrderId: id, instrument: $0.instrument)) }
            }
        }
    }

    private mutating func submit(_ approved: ApprovedOrder) -> [ExecutionOutput] {
        let id = approved.clientOrderId
        guard !registry.contains(id) else {
            return [.duplicateIgnored(clientOrderId: id, detail: "approved order for intent \(approved.intentId) already exists")]
        }
        var conversion: OrderConversion?
        var problem = validationProblem(approved)
        if problem == nil, approved.orderType == .market, let slippageGuard = policy.slippageGuard {
            let decision = slippageGuard.evaluate(
                side: approved.side, quote: lastQuotes[approved.instrument], orderTimeNs: approved.timeNs,
                maxQuoteAgeNs: policy.maxQuoteAgeNs, tick: instruments[approved.instrument]?.tickSize ?? Price(units: 1))
            switch decision {
            case .pass: break
            case .reject(let reason): problem = reason
            case .convert(let terms): conversion = terms
            }
        }
        var order = Order(approved: approved, conversion: conversion)
        if let problem {
            try? order.apply(.rejected(reason: problem), timeNs: approved.timeNs)
            commit(order, activityNs: approved.timeNs)
            return [.report(report(order, .rejected, reason: problem, timeNs: approved.timeNs)), .orderUpdated(order)]
        }
        try? order.apply(.submitted, timeNs: approved.timeNs)
        commit(order, activityNs: approved.timeNs)
        return [.orderUpdated(order), .venueCommand(.submit(conversion?.applied(to: approved) ?? approved))]
    }

    private func validationProblem(_ approved: ApprovedOrder) -> OrderReason? {
        guard approved.quantity > .zero else { return OrderReason(.invalidQuantity, "quantity \(approved.quantity) must be > 0") }
        switch approved.orderType {
        case .market: return nil
        case .limit:
            guard let limit = approved.limitPrice, limit > .zero else {
                return OrderReason(.invalidPrice, "limit price \(approved.limitPrice.map { "\($0)" } ?? "none") must be > 0")
            }
            return nil
        }
    }

    private mutating func requestCancel(clientOrderId: String, timeNs: Int64) -> [ExecutionOutput] {
        guard var order = registry[clientOrderId] else {
            return [.eventRefused(clientOrderId: clientOrderId, reason: "cancel: unknown order")]
        }
        do {
            try order.apply(.cancelRequested, timeNs: timeNs)
        } catch {
            return [.eventRefused(clientOrderId: clientOrderId, reason: "cancel: \(error)")]
        }
        commit(order, activityNs: timeNs)
        return [.orderUpdated(order), .venueCommand(.cancel(clientOrderId: clientOrderId, instrument: order.instrument))]
    }

    /// Stores `order` and restarts or clears its in-flight timer.
    mutating func commit(_ order: Order, activityNs: Int64) {
        registry.store(order)
        timers.track(order, activityNs: activityNs)
    }

    func report(
        _ order: Order, _ execType: ExecType, lastQuantity: Quantity = .zero, lastPrice: Price = .zero,
        fee: Money = .zero, liquidity: Liquidity = .none, tradeId: String = "", reason: OrderReason? = nil,
        commission: FeeCharge? = nil, timeNs: Int64
    ) -> ExecutionReport {
        ExecutionReport(
            clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId ?? "", intentId: order.intentId,
            strategy: order.strategy, instrument: order.instrument, side: order.side, execType: execType,
            orderStatus: order.status, lastQuantity: lastQuantity, lastPrice: lastPrice,
            cumulativeQuantity: order.filledQuantity, leavesQuantity: order.leavesQuantity,
            averagePrice: order.averagePrice ?? .zero, fee: fee,
            feeCurrency: instruments[order.instrument]?.quoteAsset ?? defaultFeeCurrency,
            liquidity: liquidity, tradeId: tradeId, reason: reason,
            eventNumber: order.eventCount, timeNs: timeNs, commission: commission)
    }
}
