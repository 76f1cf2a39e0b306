/// Compares the engine's orders and fills with what the venue lists (open orders, recent trades,
/// balances) and proposes what brings them in line. Pure: the host fetches the listings, applies
/// the report's events to the `ExecutionCore` in order and sends its commands.
///
/// - A venue trade of a known order whose trade id the engine never applied → `.venue(.filled)`
///   event (in time order); trades match orders by client order id, else by venue order id.
/// - An engine-open order the venue does not list as open (or lists with other fills or no ack)
///   → `.query` command; its answer resolves the order.
/// - A venue order open that the engine does not have open → `.cancel` command if its client
///   order id carries the own prefix and the policy allows it; otherwise reported only.
/// - Balances differing from the expected ones beyond the tolerance → reported (the expected
///   balances are first moved by the missed fills the report applies).
public enum Reconciler {
    /// Reconciles `core` with the venue's listings taken at `timeNs`. `instruments` are the
    /// instruments the open-orders listing covers (nil: all); engine orders on other instruments
    /// are not compared. Balances are compared only when both `expectedBalances` and `account` are given.
    public static func reconcile(
        core: ExecutionCore, venueOpenOrders: [VenueOrderSnapshot], venueTrades: [VenueTrade],
        instruments: Set<InstrumentId>? = nil, expectedBalances: [String: Quantity]? = nil, account: VenueAccount? = nil,
        policy: ReconciliationPolicy, timeNs: Int64
    ) -> ReconciliationReport {
        var pass = Pass(engine: core, policy: policy, timeNs: timeNs)
        pass.compareTrades(venueTrades)
        let listed = pass.compareVenueOrders(venueOpenOrders)
        pass.compareEngineOrders(notListed: listed, instruments: instruments)
        if let expectedBalances, let account { pass.compareBalances(expected: expectedBalances, account: account) }
        return pass.report
    }
}

/// One reconciliation run: indexes of the engine's orders and what has been found so far.
private struct Pass {
    let engine: ExecutionCore
    let policy: ReconciliationPolicy
    var report: ReconciliationReport
    private let byClientOrderId: [String: Order]
    private let byVenueOrderId: [String: Order]
    /// Quantity of missed fills the report's events add, per client order id.
    private var missed: [String: Quantity] = [:]
    /// Balance changes of those fills, per asset.
    private var balanceChanges: [String: Int128] = [:]

    init(engine: ExecutionCore, policy: ReconciliationPolicy, timeNs: Int64) {
        self.engine = engine
        self.policy = policy
        report = ReconciliationReport(timeNs: timeNs)
        let orders = engine.orders
        byClientOrderId = Dictionary(orders.map { ($0.clientOrderId, $0) }, uniquingKeysWith: { first, _ in first })
        byVenueOrderId = Dictionary(
            orders.compactMap { order in order.venueOrderId.map { ($0, order) } }, uniquingKeysWith: { first, _ in first })
    }

    private func match(clientOrderId: String, venueOrderId: String) -> Order? {
        if !clientOrderId.isEmpty, let order = byClientOrderId[clientOrderId] { return order }
        if !venueOrderId.isEmpty, let order = byVenueOrderId[venueOrderId] { return order }
        return nil
    }

    private func isOwn(_ clientOrderId: String) -> Bool {
        !clientOrderId.isEmpty && clientOrderId.hasPrefix(policy.ownOrderPrefix)
    }

    private mutating func record(
        _ kind: ReconciliationDifference.Kind, instrument: InstrumentId?, clientOrderId: String?, venueOrderId: String?,
        _ detail: String, action: ReconciliationDifference.Action
    ) {
        report.differences.append(ReconciliationDifference(
            kind: kind, instrument: instrument, clientOrderId: clientOrderId.flatMap { $0.isEmpty ? nil : $0 },
            venueOrderId: venueOrderId.flatMap { $0.isEmpty ? nil : $0 }, detail: detail, action: action))
    }

    mutating func compareTrades(_ trades: [VenueTrade]) {
        var applied = engine.seenTradeIds
        var unknownTradeIds: Set<String> = []
        let inTimeOrder = trades.enumerated()
            .sorted { ($0.element.timeNs, $0.offset) < ($1.element.timeNs, $1.offset) }
            .map(\.element)
        for trade in inTimeOrder {
            let described = "trade \(trade.tradeId) of \(trade.quantity) @ \(trade.price) at \(trade.timeNs)"
            guard let order = match(clientOrderId: trade.clientOrderId, venueOrderId: trade.venueOrderId) else {
                if isOwn(trade.clientOrderId), !engine.knowsOrder(clientOrderId: trade.clientOrderId),
                   unknownTradeIds.insert(trade.tradeId).inserted {
                    record(.fillMissed, instrument: trade.instrument, clientOrderId: trade.clientOrderId,
                           venueOrderId: trade.venueOrderId, "\(described) belongs to an order the engine never had", action: .report)
                }
                continue
            }
            guard applied.insert(ExecutionCore.fillKey(order.clientOrderId, trade.tradeId)).inserted else { continue }
            let missedSoFar = missed[order.clientOrderId, default: .zero]
            let filledAfter = Int128(order.filledQuantity.units) + Int128(missedSoFar.units) + Int128(trade.quantity.units)
            if !order.isOpen {
                record(.fillMissed, instrument: order.instrument, clientOrderId: order.clientOrderId, venueOrderId: trade.venueOrderId,
                       "\(described) not applied, and cannot be: the order is \(order.status) in the engine", action: .report)
            } else if filledAfter > Int128(order.quantity.units) {
                record(.fillMissed, instrument: order.instrument, clientOrderId: order.clientOrderId, venueOrderId: trade.venueOrderId,
                       "\(described) not applied, and would overfill \(order.quantity) (filled \(order.filledQuantity))", action: .report)
            } else {
                record(.fillMissed, instrument: order.instrument, clientOrderId: order.clientOrderId, venueOrderId: trade.venueOrderId,
                       "\(described) not applied", action: .applyFill)
                let instrument = engine.instruments[order.instrument]
                let charged = trade.feeAsset.isEmpty || trade.feeAsset == instrument?.quoteAsset
                    ? nil : FeeCharge(amount: trade.fee, asset: trade.feeAsset)
                report.events.append(.venue(.filled(
                    clientOrderId: order.clientOrderId, venueOrderId: trade.venueOrderId, tradeId: trade.tradeId,
                    quantity: trade.quantity, price: trade.price, fee: trade.quoteFee, liquidity: trade.liquidity,
                    timeNs: trade.timeNs, charged: charged)))
                missed[order.clientOrderId] = Quantity(units: Int64(filledAfter) - order.filledQuantity.units)
                if let instrument {
                    let changes = BalanceLedger.changes(
                        side: order.side, quantity: trade.quantity, price: trade.price, fee: trade.fee, feeAsset: trade.feeAsset,
                        assets: BalanceLedger.Assets(base: instrument.baseAsset, quote: instrument.quoteAsset))
                    for (asset, units) in changes { balanceChanges[asset, default: 0] += units }
                }
            }
        }
    }

    /// Compares each open venue order with the engine; returns the engine orders it listed.
    mutating func compareVenueOrders(_ snapshots: [VenueOrderSnapshot]) -> Set<String> {
        var listed: Set<String> = []
        for snapshot in snapshots where snapshot.state.isOpen {
            guard let order = match(clientOrderId: snapshot.clientOrderId, venueOrderId: snapshot.venueOrderId) else {
                let own = isOwn(snapshot.clientOrderId)
                let cancel = own && policy.cancelUnknownOwnOrders
                let whose = !own ? "foreign order"
                    : engine.knowsOrder(clientOrderId: snapshot.clientOrderId) ? "own order finished long ago in the engine"
                    : "own order unknown to the engine"
                record(.orderOnlyAtVenue, instrument: snapshot.instrument, clientOrderId: snapshot.clientOrderId,
                       venueOrderId: snapshot.venueOrderId,
                       "\(whose) open at the venue: \(snapshot.side) \(snapshot.quantity) @ \(snapshot.limitPrice.map(\.description) ?? "market"), filled \(snapshot.filledQuantity)",
                       action: cancel ? .cancel : .report)
                if cancel { report.commands.append(.cancel(clientOrderId: snapshot.clientOrderId, instrument: snapshot.instrument)) }
                continue
            }
            listed.insert(order.clientOrderId)
            guard order.isOpen else {
                let cancel = policy.cancelUnknownOwnOrders
                record(.statusMismatch, instrument: order.instrument, clientOrderId: order.clientOrderId,
                       venueOrderId: snapshot.venueOrderId,
                       "open at the venue (filled \(snapshot.filledQuantity)) but \(order.status) in the engine",
                       action: cancel ? .cancel : .report)
                if cancel { report.commands.append(.cancel(clientOrderId: order.clientOrderId, instrument: order.instrument)) }
                continue
            }
            var problems: [String] = []
            if order.status == .submitted { problems.append("open at the venue but not acknowledged in the engine") }
            let missedQuantity = missed[order.clientOrderId, default: .zero]
            if Int128(snapshot.filledQuantity.units) != Int128(order.filledQuantity.units) + Int128(missedQuantity.units) {
                problems.append("venue filled \(snapshot.filledQuantity), engine \(order.filledQuantity)"
                    + (missedQuantity.isZero ? "" : " + \(missedQuantity) from missed fills"))
            }
            guard !problems.isEmpty else { continue }
            record(.statusMismatch, instrument: order.instrument, clientOrderId: order.clientOrderId,
                   venueOrderId: snapshot.venueOrderId, problems.joined(separator: "; "), action: .query)
            report.commands.append(.query(clientOrderId: order.clientOrderId, instrument: order.instrument))
        }
        return listed
    }

    /// Queries engine-open orders the venue did not list (unless the missed fills complete them).
    mutating func compareEngineOrders(notListed listed: Set<String>, instruments: Set<InstrumentId>?) {
        for order in engine.openOrders where !listed.contains(order.clientOrderId) {
            guard instruments?.contains(order.instrument) ?? true else { continue }
            let filledAfter = order.filledQuantity + missed[order.clientOrderId, default: .zero]
            guard filledAfter != order.quantity else { continue }
            record(.orderOnlyInEngine, instrument: order.instrument, clientOrderId: order.clientOrderId,
                   venueOrderId: order.venueOrderId,
                   "\(order.status) in the engine (filled \(filledAfter) of \(order.quantity)) but not open at the venue",
                   action: .query)
            report.commands.append(.query(clientOrderId: order.clientOrderId, instrument: order.instrument))
        }
    }

    mutating func compareBalances(expected: [String: Quantity], account: VenueAccount) {
        let assets = Set(expected.keys).union(account.balances.map(\.asset)).union(balanceChanges.keys).sorted()
        let tolerance = UInt128(max(policy.balanceTolerance.units, 0))
        for asset in assets {
            let adjustment = balanceChanges[asset, default: 0]
            let wanted = Int128(expected[asset]?.units ?? 0) + adjustment
            let actual = Int128(account.total(asset).units)
            let difference = actual - wanted
            guard difference.magnitude > tolerance else { continue }
            let note = adjustment == 0 ? "" : " (including \(Quantity.saturating(adjustment)) from missed fills)"
            record(.balanceMismatch, instrument: nil, clientOrderId: nil, venueOrderId: nil,
                   "asset \(asset): expected \(Quantity.saturating(wanted))\(note), venue \(Quantity.saturating(actual)), difference \(Quantity.saturating(difference))",
                   action: .report)
        }
    }
}
