/// A deterministic venue: fills market and marketable limit orders at the touch against the
/// quoted size (taker), rests GTC limit orders and fills them when a later quote crosses
/// them (maker, at the limit price). Liquidity taken from a quote stays consumed until the
/// next quote for that instrument.
public struct SimulatedVenue: Sendable {
    public let configuration: SimulatedVenueConfiguration
    private let takerFee: FeeRate
    private let makerFee: FeeRate
    private var generator: SeededGenerator
    private var quotes: [InstrumentId: Quote] = [:]
    private var resting: [RestingOrder] = []
    private var knownOrders: Set<String> = []
    private var orderCounter = 0
    private var tradeCounter = 0

    /// A limit order resting on the simulated book.
    public struct RestingOrder: Sendable, Hashable, Codable {
        public let clientOrderId: String
        public let venueOrderId: String
        public let instrument: InstrumentId
        public let side: Side
        public let limitPrice: Price
        public fileprivate(set) var remaining: Quantity
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
    }

    /// Orders resting on the book, in arrival order.
    public var restingOrders: [RestingOrder] { resting }

    /// Latest quote for `instrument`, with sizes reduced by liquidity already taken.
    public func quote(for instrument: InstrumentId) -> Quote? { quotes[instrument] }

    /// Executes a command from the OMS.
    public mutating func handle(_ command: VenueCommand, timeNs: Int64) -> [VenueEvent] {
        switch command {
        case .submit(let order): return submit(order, timeNs: timeNs)
        case .cancel(let clientOrderId): return cancel(clientOrderId: clientOrderId, timeNs: timeNs)
        }
    }

    /// Stores the quote and fills resting limit orders it crosses, oldest first.
    public mutating func onQuote(_ quote: Quote) -> [VenueEvent] {
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
            events.append(fill(
                clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId, quantity: quantity,
                price: order.limitPrice, rate: makerFee, liquidity: .maker, timeNs: quote.timeNs))
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
        guard knownOrders.insert(id).inserted else {
            return [.rejected(clientOrderId: id, reason: VenueReason.duplicateClientOrderId, timeNs: time)]
        }
        guard order.quantity > .zero else {
            return [.rejected(clientOrderId: id, reason: VenueReason.invalidQuantity, timeNs: time)]
        }
        let quote = quotes[order.instrument]
        switch order.orderType {
        case .market:
            guard let quote, quote.touch(for: order.side) > .zero else {
                return [.rejected(clientOrderId: id, reason: VenueReason.noMarket, timeNs: time)]
            }
        case .limit:
            guard let limit = order.limitPrice, limit > .zero else {
                return [.rejected(clientOrderId: id, reason: VenueReason.invalidPrice, timeNs: time)]
            }
        }
        orderCounter += 1
        let venueOrderId = "\(configuration.venueName)-\(orderCounter)"
        var events: [VenueEvent] = [.accepted(clientOrderId: id, venueOrderId: venueOrderId, timeNs: time)]
        var remaining = order.quantity
        if var book = quote, isMarketable(order, book) {
            let available = book.touchSize(for: order.side)
            if available > .zero {
                let quantity = min(remaining, available)
                events.append(fill(
                    clientOrderId: id, venueOrderId: venueOrderId, quantity: quantity,
                    price: book.touch(for: order.side), rate: takerFee, liquidity: .taker, timeNs: time))
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
                    side: order.side, limitPrice: limit, remaining: remaining))
            }
        case (.market, _), (.limit, .ioc):
            events.append(.canceled(clientOrderId: id, reason: VenueReason.unfilledRemainder, timeNs: time))
        }
        return events
    }

    /// Cancels a resting order; refuses unknown or no-longer-open orders.
    public mutating func cancel(clientOrderId: String, timeNs: Int64) -> [VenueEvent] {
        let time = responseTime(timeNs)
        if let index = resting.firstIndex(where: { $0.clientOrderId == clientOrderId }) {
            resting.remove(at: index)
            return [.canceled(clientOrderId: clientOrderId, reason: VenueReason.canceledByRequest, timeNs: time)]
        }
        let reason = knownOrders.contains(clientOrderId) ? VenueReason.orderNotOpen : VenueReason.unknownOrder
        return [.cancelRejected(clientOrderId: clientOrderId, reason: reason, timeNs: time)]
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

    private mutating func fill(
        clientOrderId: String, venueOrderId: String, quantity: Quantity, price: Price,
        rate: FeeRate, liquidity: Liquidity, timeNs: Int64
    ) -> VenueEvent {
        tradeCounter += 1
        let notional = Money.saturating(Money.productUnits(price.units, quantity.units))
        return .filled(
            clientOrderId: clientOrderId, venueOrderId: venueOrderId,
            tradeId: "\(configuration.venueName)T-\(tradeCounter)", quantity: quantity, price: price,
            fee: rate.fee(on: notional), liquidity: liquidity, timeNs: timeNs)
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
