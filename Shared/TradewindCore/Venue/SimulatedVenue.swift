/// A deterministic venue: fills market and marketable limit orders at the touch against the
/// quoted size (taker), rests GTC limit orders and fills them when a later quote crosses
/// them (maker, at the limit price), and cancels IOC and market remainders. Liquidity taken
/// from a quote stays consumed until the next quote for that instrument.
///
/// Once L2 book updates arrive for an instrument, its orders follow the book instead of quotes
/// (`SimulatedVenue+Book.swift`): takers walk the levels, resting orders queue behind the size
/// displayed at their price and fill on trades through it or when the opposite side crosses it.
///
/// It also answers what reconciliation asks a real venue: order queries, open orders, recent
/// trades and account balances (fills move base and quote; fees are charged in the quote asset).
/// Responses to commands are stamped `latencyNs` plus seeded jitter after the request.
public struct SimulatedVenue: Sendable {
    public let configuration: SimulatedVenueConfiguration
    let takerFee: FeeRate
    let makerFee: FeeRate
    private var generator: SeededGenerator
    private var quotes: [InstrumentId: Quote] = [:]
    var resting: [RestingOrder] = []
    /// L2 books per instrument; an instrument without one trades against quotes.
    var books: [InstrumentId: VenueBook] = [:]
    /// Instruments whose book was refused or dropped: deltas wait for a snapshot.
    var voidedBooks: Set<InstrumentId> = []
    private var records: SimulatedVenueRecords
    private var usedClientOrderIds = BoundedSet<String>(capacity: DedupeMemory.capacity)
    private var orderCounter = 0
    private var tradeCounter = 0

    /// A limit order resting on the simulated book.
    public struct RestingOrder: Sendable, Hashable, Codable {
        /// Empty for a foreign order (placed without a client order id).
        public let clientOrderId: String
        public let venueOrderId: String
        public let instrument: InstrumentId
        public let side: Side
        public let limitPrice: Price
        public internal(set) var remaining: Quantity
        /// Displayed size ahead of the order at its price, when its instrument has a book (nil:
        /// quote-based).
        public internal(set) var queueAhead: Quantity?
    }

    /// Creates the venue after validating its configuration.
    public init(configuration: SimulatedVenueConfiguration) throws(ConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        guard let taker = try? FeeRate(bps: Int64(configuration.takerFeeBps)),
              let maker = try? FeeRate(bps: Int64(configuration.makerFeeBps)) else {
            throw ConfigurationError(key: "takerFeeBps/makerFeeBps", value: "\(configuration.takerFeeBps)/\(configuration.makerFeeBps)", reason: "must be within -10000...10000")
        }
        takerFee = taker
        makerFee = maker
        generator = SeededGenerator(seed: configuration.seed)
        records = SimulatedVenueRecords(historyLimit: configuration.historyLimit, balances: configuration.initialBalances)
    }

    /// Instruments whose base and quote assets fills move (from the configuration).
    public var instruments: [InstrumentId: Instrument] { configuration.instruments }

    /// Orders resting on the book, in arrival order.
    public var restingOrders: [RestingOrder] { resting }

    /// Latest quote for `instrument`, with sizes reduced by liquidity already taken.
    public func quote(for instrument: InstrumentId) -> Quote? { quotes[instrument] }

    /// Executes a command from the OMS.
    public mutating func handle(_ command: VenueCommand, timeNs: Int64) -> [VenueEvent] {
        switch command {
        case .submit(let order): return submit(order, timeNs: timeNs)
        case .cancel(let clientOrderId, _): return cancel(clientOrderId: clientOrderId, timeNs: timeNs)
        case .query(let clientOrderId, _): return query(clientOrderId: clientOrderId, timeNs: timeNs)
        }
    }

    /// Stores the quote and fills resting limit orders it crosses, oldest first.
    public mutating func onQuote(_ quote: Quote) -> [VenueEvent] {
        guard books[quote.instrument] == nil else {
            quotes[quote.instrument] = quote
            return []
        }
        var book = quote
        var events: [VenueEvent] = []
        var index = 0
        while index < resting.count {
            var order = resting[index]
            guard order.instrument == quote.instrument else { index += 1; continue }
            let touch = book.touch(for: order.side)
            let available = book.touchSize(for: order.side)
            let crosses = order.side == .buy ? touch <= order.limitPrice : touch >= order.limitPrice
            guard touch > .zero, available > .zero, crosses else { index += 1; continue }
            let quantity = min(order.remaining, available)
            events.append(execute(
                clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId, instrument: order.instrument,
                side: order.side, quantity: quantity, price: order.limitPrice,
                rate: makerFee, liquidity: .maker, timeNs: quote.timeNs))
            consume(quantity, side: order.side, in: &book)
            order.remaining -= quantity
            if order.remaining.isZero {
                resting.remove(at: index)
            } else {
                resting[index] = order
                index += 1
            }
        }
        quotes[quote.instrument] = book
        return events
    }

    /// Accepts, fills and/or rests an order; see the type documentation for the rules.
    public mutating func submit(_ order: ApprovedOrder, timeNs: Int64) -> [VenueEvent] {
        let time = responseTime(timeNs)
        let id = order.clientOrderId
        guard !id.isEmpty, usedClientOrderIds.insert(id) else {
            let detail = id.isEmpty ? "empty client order id" : "client order id \(id) already used"
            return [.rejected(clientOrderId: id, reason: OrderReason(.duplicateClientOrderId, detail), timeNs: time)]
        }
        guard order.quantity > .zero else {
            let reason = OrderReason(.invalidParameter, "quantity \(order.quantity) must be > 0")
            return [.rejected(clientOrderId: id, reason: reason, timeNs: time)]
        }
        let quote = quotes[order.instrument]
        let depth = books[order.instrument]
        switch order.orderType {
        case .market:
            let hasMarket = depth.map { $0.book.best(BookSide(takenBy: order.side)) != nil }
                ?? quote.map { $0.touch(for: order.side) > .zero } ?? false
            guard hasMarket else {
                let reason = OrderReason(.noMarket, "no \(order.side == .buy ? "ask" : "bid") to fill against")
                return [.rejected(clientOrderId: id, reason: reason, timeNs: time)]
            }
        case .limit:
            guard let limit = order.limitPrice, limit > .zero else {
                let reason = OrderReason(.invalidParameter, "limit order without a positive price")
                return [.rejected(clientOrderId: id, reason: reason, timeNs: time)]
            }
        }
        let venueOrderId = nextVenueOrderId()
        records.open(VenueOrderSnapshot(
            clientOrderId: id, venueOrderId: venueOrderId, instrument: order.instrument, side: order.side,
            orderType: order.orderType, timeInForce: order.timeInForce, quantity: order.quantity,
            limitPrice: order.orderType == .limit ? order.limitPrice : nil, filledQuantity: .zero,
            averagePrice: .zero, state: .open, timeNs: time))
        var events: [VenueEvent] = [.accepted(clientOrderId: id, venueOrderId: venueOrderId, timeNs: time)]
        var remaining = order.quantity
        if depth != nil {
            remaining = takeFromBook(order, venueOrderId: venueOrderId, timeNs: time, into: &events)
        } else if var book = quote, isMarketable(order, book) {
            let available = book.touchSize(for: order.side)
            if available > .zero {
                let quantity = min(remaining, available)
                events.append(execute(
                    clientOrderId: id, venueOrderId: venueOrderId, instrument: order.instrument, side: order.side,
                    quantity: quantity, price: book.touch(for: order.side),
                    rate: takerFee, liquidity: .taker, timeNs: time))
                consume(quantity, side: order.side, in: &book)
                quotes[order.instrument] = book
                remaining -= quantity
            }
        }
        guard !remaining.isZero else { return events }
        switch (order.orderType, order.timeInForce) {
        case (.limit, .gtc):
            if let limit = order.limitPrice {
                resting.append(RestingOrder(
                    clientOrderId: id, venueOrderId: venueOrderId, instrument: order.instrument,
                    side: order.side, limitPrice: limit, remaining: remaining,
                    queueAhead: books[order.instrument]?.displayed(BookSide(resting: order.side), at: limit)))
            }
        case (.market, _), (.limit, .ioc):
            records.finish(venueOrderId: venueOrderId, state: .canceled, timeNs: time)
            events.append(.canceled(clientOrderId: id, reason: OrderReason(.unfilledRemainder, "\(remaining) unfilled"), timeNs: time))
        }
        return events
    }

    /// Cancels a resting order; refuses unknown or no-longer-open orders.
    public mutating func cancel(clientOrderId: String, timeNs: Int64) -> [VenueEvent] {
        let time = responseTime(timeNs)
        if !clientOrderId.isEmpty, let index = resting.firstIndex(where: { $0.clientOrderId == clientOrderId }) {
            let order = resting.remove(at: index)
            releaseLevel(of: order)
            records.finish(venueOrderId: order.venueOrderId, state: .canceled, timeNs: time)
            return [.canceled(clientOrderId: clientOrderId, reason: OrderReason(.canceled), timeNs: time)]
        }
        let known = !clientOrderId.isEmpty && usedClientOrderIds.contains(clientOrderId)
        return [.cancelRejected(clientOrderId: clientOrderId, reason: OrderReason(known ? .orderNotOpen : .unknownOrder), timeNs: time)]
    }

    /// The order's fills (at their trade times), then its `.orderStatus`; `.notFound` for an order the
    /// venue never took (rejected) or no longer remembers.
    public mutating func query(clientOrderId: String, timeNs: Int64) -> [VenueEvent] {
        let time = responseTime(timeNs)
        guard let snapshot = records.snapshot(clientOrderId: clientOrderId) else {
            return [.notFound(clientOrderId: clientOrderId, timeNs: time)]
        }
        let fills = records.trades(venueOrderId: snapshot.venueOrderId).map { trade in
            VenueEvent.filled(
                clientOrderId: trade.clientOrderId, venueOrderId: trade.venueOrderId, tradeId: trade.tradeId,
                quantity: trade.quantity, price: trade.price, fee: trade.fee, liquidity: trade.liquidity, timeNs: trade.timeNs)
        }
        return fills + [.orderStatus(snapshot)]
    }

    /// The venue's record of the order with `clientOrderId`, if it remembers one.
    public func order(clientOrderId: String) -> VenueOrderSnapshot? { records.snapshot(clientOrderId: clientOrderId) }

    /// Working orders on `instruments` (all instruments if empty), ours and foreign, in arrival order.
    public func openOrders(instruments: [InstrumentId]) -> [VenueOrderSnapshot] {
        let wanted = Set(instruments)
        return resting
            .filter { wanted.isEmpty || wanted.contains($0.instrument) }
            .compactMap { records.snapshot(venueOrderId: $0.venueOrderId) }
    }

    /// Remembered trades (the last `historyLimit`) on `instrument` at or after `sinceNs`, oldest first.
    public func trades(instrument: InstrumentId, sinceNs: Int64) -> [VenueTrade] {
        records.trades(instrument: instrument, sinceNs: sinceNs)
    }

    /// Balances per asset (sorted by asset); `locked` is what resting orders hold (the quote
    /// notional of buys, the base quantity of sells), `free` the rest.
    public func account(timeNs: Int64) -> VenueAccount {
        var locked: [String: Int128] = [:]
        for order in resting {
            guard let instrument = instruments[order.instrument] else { continue }
            switch order.side {
            case .buy: locked[instrument.quoteAsset, default: 0] += Money.productUnits(order.limitPrice.units, order.remaining.units)
            case .sell: locked[instrument.baseAsset, default: 0] += Int128(order.remaining.units)
            }
        }
        let assets = Set(records.balances.keys).union(locked.keys).sorted()
        let balances = assets.map { asset in
            let total = Int128(records.balances[asset, default: .zero].units)
            let held = locked[asset, default: 0]
            return VenueBalance(asset: asset, free: .saturating(total - held), locked: .saturating(held))
        }
        return VenueAccount(balances: balances, canTrade: true, timeNs: timeNs)
    }

    /// Test and backtest hook: places a GTC limit order directly at the venue, as another session or
    /// a person would, so the OMS never hears of it. It rests without matching at placement (later
    /// quotes, or trades and book updates, fill it as maker). An empty `clientOrderId` makes a
    /// foreign order.
    public mutating func placeExternal(
        clientOrderId: String, instrument: InstrumentId, side: Side, quantity: Quantity, limitPrice: Price, timeNs: Int64
    ) throws(VenueError) -> VenueOrderSnapshot {
        guard quantity > .zero else {
            throw .rejected(.invalidParameter, code: "INVALID_QUANTITY", message: "quantity \(quantity) must be > 0")
        }
        guard limitPrice > .zero else {
            throw .rejected(.invalidParameter, code: "INVALID_PRICE", message: "limit price \(limitPrice) must be > 0")
        }
        guard clientOrderId.isEmpty || usedClientOrderIds.insert(clientOrderId) else {
            throw .rejected(.duplicateClientOrderId, code: "DUPLICATE_CLIENT_ORDER_ID", message: "client order id \(clientOrderId) already used")
        }
        let snapshot = VenueOrderSnapshot(
            clientOrderId: clientOrderId, venueOrderId: nextVenueOrderId(), instrument: instrument, side: side,
            orderType: .limit, timeInForce: .gtc, quantity: quantity, limitPrice: limitPrice, filledQuantity: .zero,
            averagePrice: .zero, state: .open, timeNs: timeNs)
        records.open(snapshot)
        resting.append(RestingOrder(
            clientOrderId: clientOrderId, venueOrderId: snapshot.venueOrderId, instrument: instrument,
            side: side, limitPrice: limitPrice, remaining: quantity,
            queueAhead: books[instrument]?.displayed(BookSide(resting: side), at: limitPrice)))
        return snapshot
    }

    private mutating func nextVenueOrderId() -> String {
        orderCounter += 1
        return "\(configuration.venueName)-\(orderCounter)"
    }

    private func isMarketable(_ order: ApprovedOrder, _ quote: Quote) -> Bool {
        let touch = quote.touch(for: order.side)
        guard touch > .zero else { return false }
        switch order.orderType {
        case .market: return true
        case .limit:
            guard let limit = order.limitPrice else { return false }
            return order.side == .buy ? touch <= limit : touch >= limit
        }
    }

    private func consume(_ quantity: Quantity, side: Side, in quote: inout Quote) {
        switch side {
        case .buy: quote.askSize -= quantity
        case .sell: quote.bidSize -= quantity
        }
    }

    /// Executes a trade of a working order: records it, moves balances, returns the fill event.
    mutating func execute(
        clientOrderId: String, venueOrderId: String, instrument id: InstrumentId, side: Side, quantity: Quantity,
        price: Price, rate: FeeRate, liquidity: Liquidity, timeNs: Int64
    ) -> VenueEvent {
        tradeCounter += 1
        let instrument = instruments[id]
        let notional = Money.saturating(Money.productUnits(price.units, quantity.units))
        let trade = VenueTrade(
            tradeId: "\(configuration.venueName)T-\(tradeCounter)", venueOrderId: venueOrderId,
            clientOrderId: clientOrderId, instrument: id, side: side, quantity: quantity,
            price: price, fee: rate.fee(on: notional), feeAsset: instrument?.quoteAsset ?? "", liquidity: liquidity,
            timeNs: timeNs)
        records.record(trade, notional: notional, assets: instrument.map { ($0.baseAsset, $0.quoteAsset) })
        return .filled(
            clientOrderId: trade.clientOrderId, venueOrderId: trade.venueOrderId, tradeId: trade.tradeId,
            quantity: quantity, price: price, fee: trade.fee, liquidity: liquidity, timeNs: timeNs)
    }

    private mutating func responseTime(_ timeNs: Int64) -> Int64 {
        var latency = configuration.latencyNs
        if configuration.latencyJitterNs > 0 {
            latency += Int64(generator.nextBounded(UInt64(configuration.latencyJitterNs) + 1))
        }
        let (time, overflow) = timeNs.addingReportingOverflow(latency)
        return overflow ? .max : time
    }
}
