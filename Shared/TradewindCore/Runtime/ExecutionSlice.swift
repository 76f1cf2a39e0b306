/// The execution engine's decisions around the OMS: how it meets trading-state changes (HALTED
/// cancels every open order, REDUCING every open order that would grow a position), how venue
/// commands reach a simulated venue in event time (`SimulatedVenueLink`) or leave for a real one,
/// which L2 book the simulated venue keeps (a dataset's updates as they come, a live stream's by
/// its sequence: after a gap, quotes until the next snapshot), and the order in which an order
/// event is persisted and announced (its report, then its new state, as one `OrderEvent`). The
/// daemon and a backtest run this same type.
public struct ExecutionSlice: Sendable {
    public private(set) var core: ExecutionCore
    /// The in-process simulated venue, or nil when a real venue is reached through the host.
    public private(set) var link: SimulatedVenueLink?
    /// The trading state last announced by risk.
    public private(set) var tradingState: TradingState = .active
    /// Net filled quantity per instrument (buys minus sells) of the fills this engine applied.
    public private(set) var netFilled: [InstrumentId: Quantity]
    /// The published book streams followed for the simulated venue, per instrument.
    public private(set) var bookFollowers: [InstrumentId: BookFollower] = [:]

    public enum Event: Sendable, Hashable {
        case approved(ApprovedOrder)
        case quote(Quote)
        /// A public trade (the simulated venue's resting orders may fill on it when it keeps a book).
        case trade(Trade)
        /// An L2 update as a dataset carries it, applied as it comes (a backtest, a replay).
        case book(BookUpdate)
        /// A message of a published book stream (`md.book.<i>` of a live feed), followed by its
        /// sequence; a message with sequence 0 carries none and is applied as it comes.
        case bookMessage(BookMessage)
        /// The publisher voided `instrument`'s book (it resynchronizes): the venue trades against
        /// quotes until the next snapshot.
        case bookVoided(InstrumentId)
        /// Risk's trading state (a change, or the state announced again).
        case tradingState(TradingState, timeNs: Int64)
        /// An answer of a real venue (the host's adapter).
        case venue(VenueEvent)
        /// What a reconciliation with a real venue found (`ReconciliationReport.events`).
        case reconciled(ExecutionEvent)
        /// A cancel of one order.
        case cancel(clientOrderId: String, timeNs: Int64)
        /// The operator's cancel of every open order (of one instrument, or all).
        case cancelAll(instrument: InstrumentId?, timeNs: Int64)
        /// Time passes: in-flight timeouts, commands reaching the simulated venue.
        case clock(timeNs: Int64)
    }

    /// One event of one order: persisted (its report, if any, with it) before anything is published.
    public struct OrderEvent: Sendable, Hashable {
        public let order: Order
        public let report: ExecutionReport?
    }

    public enum Output: Sendable, Hashable {
        case orderEvent(OrderEvent)
        /// For a real venue: the host sends it and feeds the answers back as `.venue`.
        case venueCommand(VenueCommand)
        case duplicateIgnored(clientOrderId: String, detail: String)
        case eventRefused(clientOrderId: String, reason: String)
        case discrepancy(clientOrderId: String, detail: String)
        /// The simulated venue dropped `instrument`'s book (a gap in its stream, a refused message):
        /// its orders trade against quotes until the next snapshot, which the host may ask for.
        case bookDropped(instrument: InstrumentId, detail: String)
    }

    public init(core: ExecutionCore, link: SimulatedVenueLink?, netFilled: [InstrumentId: Quantity] = [:]) {
        self.core = core
        self.link = link
        self.netFilled = netFilled
    }

    public mutating func apply(_ event: Event) -> [Output] {
        var outputs: [Output] = []
        apply(event, into: &outputs)
        return outputs
    }

    /// Applies `event`, appending what it produced (a quote or a clock tick that changes nothing
    /// appends nothing and allocates nothing).
    public mutating func apply(_ event: Event, into outputs: inout [Output]) {
        switch event {
        case .approved(let order):
            run(.approved(order), atNs: order.timeNs, into: &outputs)
        case .quote(let quote):
            // the OMS only keeps the quote (its slippage guard prices against it)
            _ = core.apply(.quote(quote))
            if link != nil {
                let answers = link!.take(quote)
                for answer in answers { run(.venue(answer), atNs: quote.timeNs, into: &outputs) }
            }
        case .trade(let trade):
            guard link != nil else { return }
            let answers = link!.take(trade)
            for answer in answers { run(.venue(answer), atNs: trade.timeNs, into: &outputs) }
        case .book(let update):
            take(update, into: &outputs)
        case .bookMessage(let message):
            follow(message, into: &outputs)
        case .bookVoided(let instrument):
            guard link != nil else { return }
            bookFollowers[instrument]?.reset()
            link!.dropBook(instrument)
        case .tradingState(let state, let timeNs):
            tradingState = state
            for id in ordersToCancel(in: state) { run(.cancel(clientOrderId: id, timeNs: timeNs), atNs: timeNs, into: &outputs) }
        case .venue(let venueEvent):
            run(.venue(venueEvent), atNs: venueEvent.timeNs, into: &outputs)
        case .reconciled(let found):
            run(found, atNs: found.timeNs, into: &outputs)
        case .cancel(let clientOrderId, let timeNs):
            run(.cancel(clientOrderId: clientOrderId, timeNs: timeNs), atNs: timeNs, into: &outputs)
        case .cancelAll(let instrument, let timeNs):
            run(.cancelAll(instrument: instrument, timeNs: timeNs), atNs: timeNs, into: &outputs)
        case .clock(let timeNs):
            if core.nextQueryTimeNs.map({ $0 <= timeNs }) ?? false { run(.clock(timeNs: timeNs), atNs: timeNs, into: &outputs) }
            if let due = link?.nextDueNs, due <= timeNs {
                let answers = link!.advance(to: timeNs)
                for answer in answers { run(.venue(answer), atNs: timeNs, into: &outputs) }
            }
        }
    }

    /// Reconciles with the in-process simulated venue (nil without one): its open orders, its trades
    /// since `sinceNs` (and its balances, given the expected ones) are compared with the OMS, the
    /// report's events applied, its commands
    /// executed (answers about orders only the venue has change nothing here).
    public mutating func reconcileWithSimulatedVenue(
        policy: ReconciliationPolicy, instruments: [InstrumentId], sinceNs: Int64,
        expectedBalances: [String: Quantity]? = nil, timeNs: Int64
    ) -> (report: ReconciliationReport, outputs: [Output])? {
        guard let venue = link?.venue else { return nil }
        let report = Reconciler.reconcile(
            core: core, venueOpenOrders: venue.openOrders(instruments: instruments),
            venueTrades: instruments.flatMap { venue.trades(instrument: $0, sinceNs: sinceNs) },
            instruments: Set(instruments), expectedBalances: expectedBalances,
            account: expectedBalances == nil ? nil : venue.account(timeNs: timeNs), policy: policy, timeNs: timeNs)
        var outputs: [Output] = []
        for event in report.events { run(event, atNs: timeNs, into: &outputs) }
        for command in report.commands {
            if core.knowsOrder(clientOrderId: command.clientOrderId) {
                let answers = link!.send(command, atNs: timeNs)
                for answer in answers { run(.venue(answer), atNs: timeNs, into: &outputs) }
            } else {
                _ = link!.send(command, atNs: timeNs)
            }
        }
        return (report, outputs)
    }

    /// The open orders a poll asks a real venue about: only acknowledged ones (an order whose submit
    /// is still in flight would look unknown to the venue and be resolved wrongly; in-flight orders
    /// are queried by the OMS's own timeout instead).
    public var ordersToPoll: [Order] {
        core.openOrders.filter { $0.status != .new && $0.venueOrderId != nil }
    }

    /// Open orders a trading state cancels: all when HALTED; when REDUCING, those whose side would
    /// grow the instrument's net filled position (a buy while flat or long, a sell while flat or short).
    public func ordersToCancel(in state: TradingState) -> [String] {
        let open = core.openOrders.filter { $0.status != .pendingCancel }
        switch state {
        case .active:
            return []
        case .halted:
            return open.map(\.clientOrderId)
        case .reducing:
            return open.filter { order in
                let net = netFilled[order.instrument] ?? .zero
                switch order.side {
                case .buy: return net >= .zero
                case .sell: return net <= .zero
                }
            }.map(\.clientOrderId)
        }
    }

    /// Applies `event` and everything it causes at a simulated venue, in order, pairing each report
    /// with the order update that follows it.
    private mutating func run(_ event: ExecutionEvent, atNs timeNs: Int64, into outputs: inout [Output]) {
        var pending: [ExecutionEvent] = []
        var next: ExecutionEvent? = event
        var index = 0
        var report: ExecutionReport?
        while let current = next {
            for output in core.apply(current) {
                switch output {
                case .report(let made):
                    report = made
                case .orderUpdated(let order):
                    let matching = report.flatMap { $0.clientOrderId == order.clientOrderId ? $0 : nil }
                    if let fill = matching, fill.isFill { count(fill) }
                    outputs.append(.orderEvent(OrderEvent(order: order, report: matching)))
                    report = nil
                case .venueCommand(let command):
                    if link != nil {
                        pending += link!.send(command, atNs: max(timeNs, current.timeNs)).map(ExecutionEvent.venue)
                    } else {
                        outputs.append(.venueCommand(command))
                    }
                case .duplicateIgnored(let id, let detail):
                    report = nil
                    outputs.append(.duplicateIgnored(clientOrderId: id, detail: detail))
                case .eventRefused(let id, let reason):
                    outputs.append(.eventRefused(clientOrderId: id, reason: reason))
                case .discrepancy(let id, let detail):
                    outputs.append(.discrepancy(clientOrderId: id, detail: detail))
                }
            }
            next = index < pending.count ? pending[index] : nil
            index += 1
        }
    }

    private mutating func take(_ update: BookUpdate, into outputs: inout [Output]) {
        guard link != nil else { return }
        let answers = link!.take(update)
        for answer in answers { run(.venue(answer), atNs: update.timeNs, into: &outputs) }
    }

    /// Applies a published book message by its sequence: the venue takes what the follower
    /// applied; a gap or a refused message drops the venue's book until the next snapshot.
    private mutating func follow(_ message: BookMessage, into outputs: inout [Output]) {
        guard link != nil else { return }
        guard message.sequence != 0 else { return take(message.update, into: &outputs) }
        let instrument = message.instrument
        switch bookFollowers[instrument, default: BookFollower(instrument: instrument)].apply(message) {
        case .synced, .applied:
            take(message.update, into: &outputs)
        case .awaitingSnapshot, .wrongInstrument:
            break
        case .gap(let expected, let got):
            link!.dropBook(instrument)
            outputs.append(.bookDropped(instrument: instrument, detail: "book sequence gap: expected \(expected), got \(got)"))
        case .rejected(let error):
            link!.dropBook(instrument)
            outputs.append(.bookDropped(instrument: instrument, detail: "book message refused: \(error)"))
        }
    }

    private mutating func count(_ fill: ExecutionReport) {
        let held = netFilled[fill.instrument] ?? .zero
        netFilled[fill.instrument] = (try? held.adding(fill.side.signed(fill.lastQuantity))) ?? held
    }
}
