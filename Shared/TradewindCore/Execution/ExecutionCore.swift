/// The order management system (execution-engine logic).
///
/// It owns orders and their life cycle but not the venue: it emits `.venueCommand` outputs,
/// and the host routes them to a venue adapter (`SimulatedVenue` or a real one) and feeds the
/// responses back as `.venue` events. So a real adapter slots in without touching this type,
/// and `SimulatedExecutionLoop` wires the simulated venue in-process for backtests.
public struct ExecutionCore: Sendable {
    private var registry: OrderRegistry
    private let instruments: [InstrumentId: Instrument]
    private let defaultFeeCurrency: String
    /// Latest quote per instrument.
    public private(set) var lastQuotes: [InstrumentId: Quote] = [:]

    /// Creates an OMS; `instruments` give each report's fee currency (their quote asset). Memory is
    /// bounded: all open orders and the last `retainedFinishedOrders` finished ones are kept whole.
    /// After a restart, `restoring` gives the open orders and `finishedOrderIds` the ids of finished
    /// ones, so a replayed approval of an order that already finished never becomes a second order.
    public init(
        instruments: [InstrumentId: Instrument] = [:], defaultFeeCurrency: String = "", restoring orders: [Order] = [],
        seenTradeIds: Set<String> = [], finishedOrderIds: [String] = [], retainedFinishedOrders: Int = 10_000
    ) {
        self.instruments = instruments
        self.defaultFeeCurrency = defaultFeeCurrency
        registry = OrderRegistry(retainedFinishedOrders: retainedFinishedOrders)
        registry.rememberFinished(finishedOrderIds)
        for order in orders.sorted(by: { ($0.createdTimeNs, $0.clientOrderId) < ($1.createdTimeNs, $1.clientOrderId) }) {
            registry.store(order)
        }
        for key in seenTradeIds {
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

    /// Dedupe keys ("<clientOrderId>|<tradeId>") of fills applied to retained orders (for persistence).
    public var seenTradeIds: Set<String> { registry.seenFillKeys }

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
        }
    }

    private mutating func submit(_ approved: ApprovedOrder) -> [ExecutionOutput] {
        let id = approved.clientOrderId
        guard !registry.contains(id) else {
            return [.duplicateIgnored(clientOrderId: id, detail: "approved order for intent \(approved.intentId) already exists")]
        }
        var order = Order(approved: approved)
        if let problem = validationProblem(approved) {
            try? order.apply(.rejected(reason: problem), timeNs: approved.timeNs)
            registry.store(order)
            return [.report(report(order, .rejected, reason: problem, timeNs: approved.timeNs)), .orderUpdated(order)]
        }
        try? order.apply(.submitted, timeNs: approved.timeNs)
        registry.store(order)
        return [.orderUpdated(order), .venueCommand(.submit(approved))]
    }

    private func validationProblem(_ approved: ApprovedOrder) -> String? {
        guard approved.quantity > .zero else { return VenueReason.invalidQuantity }
        switch approved.orderType {
        case .market: return nil
        case .limit:
            guard let limit = approved.limitPrice, limit > .zero else { return VenueReason.invalidPrice }
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
        registry.store(order)
        return [.orderUpdated(order), .venueCommand(.cancel(clientOrderId: clientOrderId))]
    }

    private mutating func applyVenue(_ event: VenueEvent) -> [ExecutionOutput] {
        let id = event.clientOrderId
        guard var order = registry[id] else {
            return [.eventRefused(clientOrderId: id, reason: "venue event for unknown order")]
        }
        let update: OrderUpdate
        var fillKey: String?
        switch event {
        case .accepted(_, let venueOrderId, _):
            update = .accepted(venueOrderId: venueOrderId)
        case .filled(_, _, let tradeId, let quantity, let price, let fee, _, _):
            let key = "\(id)|\(tradeId)"
            guard !registry.hasSeenFill(key) else {
                return [.duplicateIgnored(clientOrderId: id, detail: "fill \(tradeId) already applied")]
            }
            fillKey = key
            update = .fill(quantity: quantity, price: price, fee: fee)
        case .canceled(_, let reason, _):
            update = .canceled(reason: reason)
        case .rejected(_, let reason, _):
            update = .rejected(reason: reason)
        case .cancelRejected(_, let reason, _):
            update = .cancelRejected(reason: reason)
        }
        do {
            try order.apply(update, timeNs: event.timeNs)
        } catch {
            return [.eventRefused(clientOrderId: id, reason: error.description)]
        }
        if let fillKey { registry.recordFill(fillKey, clientOrderId: id) }
        registry.store(order)
        switch event {
        case .accepted(_, _, let time):
            return [.report(report(order, .ack, timeNs: time)), .orderUpdated(order)]
        case .filled(_, _, let tradeId, let quantity, let price, let fee, let liquidity, let time):
            let execType: ExecType = order.status == .filled ? .fill : .partialFill
            let fillReport = report(
                order, execType, lastQuantity: quantity, lastPrice: price, fee: fee,
                liquidity: liquidity, tradeId: tradeId, timeNs: time)
            return [.report(fillReport), .orderUpdated(order)]
        case .canceled(_, let reason, let time):
            return [.report(report(order, .canceled, reason: reason, timeNs: time)), .orderUpdated(order)]
        case .rejected(_, let reason, let time):
            return [.report(report(order, .rejected, reason: reason, timeNs: time)), .orderUpdated(order)]
        case .cancelRejected:
            return [.orderUpdated(order)]
        }
    }

    private func report(
        _ order: Order, _ execType: ExecType, lastQuantity: Quantity = .zero, lastPrice: Price = .zero,
        fee: Money = .zero, liquidity: Liquidity = .none, tradeId: String = "", reason: String = "", timeNs: Int64
    ) -> ExecutionReport {
        ExecutionReport(
            clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId ?? "", intentId: order.intentId,
            strategy: order.strategy, instrument: order.instrument, side: order.side, execType: execType,
            orderStatus: order.status, lastQuantity: lastQuantity, lastPrice: lastPrice,
            cumulativeQuantity: order.filledQuantity, leavesQuantity: order.leavesQuantity,
            averagePrice: order.averagePrice ?? .zero, fee: fee,
            feeCurrency: instruments[order.instrument]?.quoteAsset ?? defaultFeeCurrency,
            liquidity: liquidity, tradeId: tradeId, rejectReason: reason,
            eventNumber: order.eventCount, timeNs: timeNs)
    }
}
