/// The simulated venue's memory of orders, trades and balances, bounded by `historyLimit`: every
/// open order, the most recent finished orders and trades, and the balance per asset.
struct SimulatedVenueRecords: Sendable {
    private struct Entry: Sendable {
        var snapshot: VenueOrderSnapshot
        var notional: Money
        var trades: [VenueTrade]
    }

    let historyLimit: Int
    private(set) var balances: [String: Quantity]
    private var entries: [String: Entry] = [:]
    private var venueOrderIdByClientOrderId: [String: String] = [:]
    private var finishedQueue: [String] = []
    private var finishedHead = 0
    private var tradeLog: [VenueTrade] = []
    private var tradeHead = 0

    init(historyLimit: Int, balances: [String: Quantity]) {
        self.historyLimit = max(1, historyLimit)
        self.balances = balances
    }

    /// Records a new working order.
    mutating func open(_ snapshot: VenueOrderSnapshot) {
        entries[snapshot.venueOrderId] = Entry(snapshot: snapshot, notional: .zero, trades: [])
        if !snapshot.clientOrderId.isEmpty { venueOrderIdByClientOrderId[snapshot.clientOrderId] = snapshot.venueOrderId }
    }

    func snapshot(venueOrderId: String) -> VenueOrderSnapshot? { entries[venueOrderId]?.snapshot }

    func snapshot(clientOrderId: String) -> VenueOrderSnapshot? {
        venueOrderIdByClientOrderId[clientOrderId].flatMap { entries[$0]?.snapshot }
    }

    /// Trades of one order, oldest first.
    func trades(venueOrderId: String) -> [VenueTrade] { entries[venueOrderId]?.trades ?? [] }

    /// Remembered trades on `instrument` at or after `sinceNs`, oldest first.
    func trades(instrument: InstrumentId, sinceNs: Int64) -> [VenueTrade] {
        tradeLog[tradeHead...].filter { $0.instrument == instrument && $0.timeNs >= sinceNs }
    }

    /// Applies a trade to its order (filled quantity, average price, state) and to the balances.
    mutating func record(_ trade: VenueTrade, notional: Money, assets: (base: String, quote: String)?) {
        if var entry = entries[trade.venueOrderId] {
            entry.notional = .saturating(Int128(entry.notional.units) + Int128(notional.units))
            entry.snapshot.filledQuantity = .saturating(Int128(entry.snapshot.filledQuantity.units) + Int128(trade.quantity.units))
            if let average = try? entry.notional.divided(by: entry.snapshot.filledQuantity) { entry.snapshot.averagePrice = average }
            entry.snapshot.state = entry.snapshot.filledQuantity >= entry.snapshot.quantity ? .filled : .partiallyFilled
            entry.snapshot.timeNs = trade.timeNs
            entry.trades.append(trade)
            entries[trade.venueOrderId] = entry
            if entry.snapshot.state == .filled { retire(trade.venueOrderId) }
        }
        tradeLog.append(trade)
        if tradeLog.count - tradeHead > historyLimit { tradeHead += 1 }
        if tradeHead > 4_096, tradeHead * 2 > tradeLog.count {
            tradeLog.removeFirst(tradeHead)
            tradeHead = 0
        }
        guard let assets else { return }
        let sign: Int128 = trade.side == .buy ? 1 : -1
        move(assets.base, by: sign * Int128(trade.quantity.units))
        move(assets.quote, by: -sign * Int128(notional.units) - Int128(trade.fee.units))
    }

    /// Ends a working order with `state` (canceled, expired).
    mutating func finish(venueOrderId: String, state: VenueOrderState, timeNs: Int64) {
        guard var entry = entries[venueOrderId], entry.snapshot.state.isOpen else { return }
        entry.snapshot.state = state
        entry.snapshot.timeNs = timeNs
        entries[venueOrderId] = entry
        retire(venueOrderId)
    }

    private mutating func move(_ asset: String, by units: Int128) {
        balances[asset] = .saturating(Int128(balances[asset, default: .zero].units) + units)
    }

    private mutating func retire(_ venueOrderId: String) {
        finishedQueue.append(venueOrderId)
        while finishedQueue.count - finishedHead > historyLimit {
            let evicted = finishedQueue[finishedHead]
            finishedHead += 1
            if let clientOrderId = entries.removeValue(forKey: evicted)?.snapshot.clientOrderId,
               venueOrderIdByClientOrderId[clientOrderId] == evicted {
                venueOrderIdByClientOrderId[clientOrderId] = nil
            }
        }
        if finishedHead > 4_096, finishedHead * 2 > finishedQueue.count {
            finishedQueue.removeFirst(finishedHead)
            finishedHead = 0
        }
    }
}
