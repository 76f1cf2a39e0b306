import Foundation
import Logging
import Synchronization
import TradewindCore

/// Binance Spot over its REST API. Refusals of new orders come back as `.rejected` events;
/// everything else that fails is thrown as a classified `VenueError` (see `BinanceErrorTable`).
/// Wrap it in `RetryingVenueAdapter` to retry what is safe to retry.
public final class BinanceVenueAdapter: VenueAdapter {
    /// The adapter's `name` and the venue part of its instrument ids.
    public static let venueName = "BINANCE"

    public let client: BinanceRESTClient
    let mapping: BinanceEventMapping
    let logger: Logger
    let pollBook = Mutex(PollBook())
    /// Last prices of fee assets by symbol, with the venue time (ms) they were read at.
    let feePriceCache = Mutex<[String: (price: Price, atMs: Int64)]>([:])

    public var name: String { Self.venueName }

    /// An adapter over its own client.
    public convenience init(
        configuration: BinanceConfiguration, credentials: BinanceCredentials,
        logger: Logger = Logger(label: "tradewind.venue.binance"),
        localClockMs: @escaping BinanceRESTClient.Clock = BinanceRESTClient.systemClockMs
    ) throws(ConfigurationError) {
        let client = try BinanceRESTClient(
            configuration: configuration, credentials: credentials, logger: logger, localClockMs: localClockMs)
        self.init(client: client, logger: logger)
    }

    /// An adapter over an existing client (its configuration is already validated).
    public init(client: BinanceRESTClient, logger: Logger = Logger(label: "tradewind.venue.binance")) {
        self.client = client
        self.logger = logger
        mapping = BinanceEventMapping(instruments: client.configuration.instruments, logger: logger)
    }

    /// An adapter with credentials from `TRADEWIND_BINANCE_API_KEY[_FILE]` and
    /// `TRADEWIND_BINANCE_API_SECRET[_FILE]` in `environment`.
    public static func fromEnvironment(
        configuration: BinanceConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "tradewind.venue.binance")
    ) throws(ConfigurationError) -> BinanceVenueAdapter {
        let credentials = try BinanceCredentials.fromEnvironment(environment)
        return try BinanceVenueAdapter(configuration: configuration, credentials: credentials, logger: logger)
    }

    /// Syncs the venue clock; call at start-up (otherwise the first signed request does it).
    public func start() async throws(VenueError) {
        try await client.synchronizeClock()
    }

    var configuration: BinanceConfiguration { client.configuration }

    // MARK: VenueAdapter

    public func submit(_ order: ApprovedOrder) async throws(VenueError) -> [VenueEvent] {
        let id = order.clientOrderId
        do throws(VenueError) {
            let instrument = try mapping.instrument(order.instrument)
            let response = try await client.newOrder(
                symbol: instrument.id.symbol, side: order.side, type: order.orderType, timeInForce: order.timeInForce,
                quantity: order.quantity, limitPrice: order.limitPrice, clientOrderId: id)
            let feePrices = await feePrices(
                response.fills?.map { ($0.commission, $0.commissionAsset) } ?? [], instrument: instrument)
            var events = mapping.events(for: response, clientOrderId: id, instrument: instrument, feePrices: feePrices)
            if response.fills == nil, response.executedQty > .zero {
                events.insert(contentsOf: try await placedOrderFills(response, clientOrderId: id, instrument: instrument), at: 1)
            }
            return events
        } catch {
            switch error {
            case .rejected(.duplicateClientOrderId, _, _):
                return try await adoptDuplicate(order, refusal: BinanceEventMapping.reason(error))
            case .rejected:
                return [.rejected(clientOrderId: id, reason: BinanceEventMapping.reason(error), timeNs: client.venueNowNs())]
            case .notFound, .rateLimited, .transient, .unknownOutcome:
                throw error
            }
        }
    }

    /// Fills of an order placed with an answer that did not list them; the order exists, so a
    /// failure to read them is an unknown outcome, never a retryable error.
    private func placedOrderFills(
        _ response: BinanceNewOrderResponse, clientOrderId: String, instrument: Instrument
    ) async throws(VenueError) -> [VenueEvent] {
        do throws(VenueError) {
            return try await orderFills(orderId: response.orderId, clientOrderId: clientOrderId, instrument: instrument)
        } catch {
            throw .unknownOutcome(message: "order \(clientOrderId) was placed but its fills could not be read: \(error)")
        }
    }

    public func cancel(clientOrderId: String, instrument id: InstrumentId) async throws(VenueError) -> [VenueEvent] {
        let instrument: Instrument
        do throws(VenueError) {
            instrument = try mapping.instrument(id)
        } catch {
            return [.cancelRejected(clientOrderId: clientOrderId, reason: BinanceEventMapping.reason(error), timeNs: client.venueNowNs())]
        }
        let response: BinanceCancelResponse
        do throws(VenueError) {
            response = try await client.cancelOrder(symbol: instrument.id.symbol, clientOrderId: clientOrderId)
        } catch {
            switch error {
            case .notFound:
                return await explainRefusedCancel(
                    clientOrderId: clientOrderId, instrument: instrument,
                    reason: OrderReason(.unknownOrder, BinanceEventMapping.reason(error).detail))
            case .rejected:
                return [.cancelRejected(
                    clientOrderId: clientOrderId, reason: BinanceEventMapping.reason(error), timeNs: client.venueNowNs())]
            case .rateLimited, .transient, .unknownOutcome:
                throw error
            }
        }
        var events: [VenueEvent] = []
        if response.executedQty > .zero {
            do throws(VenueError) {
                events = try await orderFills(orderId: response.orderId, clientOrderId: clientOrderId, instrument: instrument)
            } catch {
                throw .unknownOutcome(message: "order \(clientOrderId) was canceled but its fills could not be read: \(error)")
            }
        }
        let time = response.transactTime.map(BinanceEventMapping.nanoseconds) ?? client.venueNowNs()
        events.append(
            mapping.ending(status: response.status, clientOrderId: clientOrderId, timeNs: time)
                ?? .canceled(clientOrderId: clientOrderId, reason: OrderReason(.canceled), timeNs: time))
        return events
    }

    public func query(clientOrderId: String, instrument id: InstrumentId) async throws(VenueError) -> [VenueEvent] {
        let instrument = try mapping.instrument(id)
        let order: BinanceOrder
        do throws(VenueError) {
            order = try await client.order(symbol: instrument.id.symbol, clientOrderId: clientOrderId)
        } catch {
            if case .notFound = error { return [.notFound(clientOrderId: clientOrderId, timeNs: client.venueNowNs())] }
            throw error
        }
        var events: [VenueEvent] = []
        if order.executedQty > .zero {
            events = try await orderFills(orderId: order.orderId, clientOrderId: clientOrderId, instrument: instrument)
        }
        var snapshot = mapping.snapshot(order, instrument: instrument)
        snapshot.clientOrderId = clientOrderId
        if snapshot.averagePrice.isZero, let average = Self.averagePrice(of: events) {
            snapshot.averagePrice = average
        }
        events.append(.orderStatus(snapshot))
        return events
    }

    public func openOrders(instruments: [InstrumentId]) async throws(VenueError) -> [VenueOrderSnapshot] {
        var snapshots: [VenueOrderSnapshot] = []
        for id in instruments {
            let instrument = try mapping.instrument(id)
            let orders = try await client.openOrders(symbol: instrument.id.symbol)
            snapshots += orders.map { mapping.snapshot($0, instrument: instrument) }
        }
        return snapshots
    }

    public func trades(instrument id: InstrumentId, sinceNs: Int64) async throws(VenueError) -> [VenueTrade] {
        let instrument = try mapping.instrument(id)
        let startMs = max(0, sinceNs / 1_000_000)
        let trades = try await pagedTrades(symbol: instrument.id.symbol, orderId: nil, startTimeMs: startMs)
        let feePrices = await feePrices(trades.map { ($0.commission, $0.commissionAsset) }, instrument: instrument)
        return trades.map { mapping.venueTrade($0, instrument: instrument, feePrices: feePrices) }.filter { $0.timeNs >= sinceNs }
    }

    public func account() async throws(VenueError) -> VenueAccount {
        let response = try await client.account()
        var balances: [VenueBalance] = []
        for balance in response.balances {
            guard let free = Quantity(balance.free), let locked = Quantity(balance.locked) else {
                logger.warning("binance balance outside fixed-point range left out", metadata: ["asset": "\(balance.asset)"])
                continue
            }
            balances.append(VenueBalance(asset: balance.asset, free: free, locked: locked))
        }
        return VenueAccount(balances: balances, canTrade: response.canTrade, timeNs: client.venueNowNs())
    }

    public func onQuote(_ quote: Quote) -> [VenueEvent] { [] }

    // MARK: Helpers

    /// `.filled` events for every trade of one order, oldest first.
    func orderFills(orderId: Int64, clientOrderId: String, instrument: Instrument) async throws(VenueError) -> [VenueEvent] {
        let trades = try await pagedTrades(symbol: instrument.id.symbol, orderId: orderId, startTimeMs: nil)
        let feePrices = await feePrices(trades.map { ($0.commission, $0.commissionAsset) }, instrument: instrument)
        return trades.map { mapping.fill($0, clientOrderId: clientOrderId, instrument: instrument, feePrices: feePrices) }
    }

    /// The venue's last price of each third asset the commissions were taken in, in the
    /// instrument's quote asset (`GET /api/v3/ticker/price`, kept `feePriceMaxAgeMs`). A price that
    /// cannot be read is left out: the fee then counts zero in PnL, and a warning says so.
    func feePrices(_ commissions: [(Money, String)], instrument: Instrument) async -> [String: Price] {
        let symbols = Set(commissions.compactMap {
            BinanceEventMapping.feeSymbol(commission: $0.0, asset: $0.1, instrument: instrument)
        })
        var prices: [String: Price] = [:]
        for symbol in symbols.sorted() {
            let now = client.venueNowNs() / 1_000_000
            if let cached = feePriceCache.withLock({ $0[symbol] }), now - cached.atMs <= configuration.feePriceMaxAgeMs {
                prices[symbol] = cached.price
                continue
            }
            do throws(VenueError) {
                let price = try await client.tickerPrice(symbol: symbol)
                feePriceCache.withLock { $0[symbol] = (price, now) }
                prices[symbol] = price
            } catch {
                logger.warning("binance fee asset price unavailable", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
            }
        }
        return prices
    }

    /// `myTrades` pages: the first by order or start time, the next ones from the last id + 1.
    func pagedTrades(symbol: String, orderId: Int64?, startTimeMs: Int64?) async throws(VenueError) -> [BinanceTrade] {
        let limit = configuration.tradesPageLimit
        var all: [BinanceTrade] = []
        var fromId: Int64?
        for _ in 0..<configuration.maxTradePages {
            let page = try await client.myTrades(
                symbol: symbol, orderId: orderId, fromId: fromId, startTimeMs: fromId == nil ? startTimeMs : nil,
                limit: limit)
            all += page
            guard page.count == limit, let last = page.last?.id else { return all }
            fromId = last + 1
        }
        logger.warning("binance trades truncated", metadata: [
            "symbol": "\(symbol)", "pages": "\(configuration.maxTradePages)", "trades": "\(all.count)",
        ])
        return all
    }

    /// A new order refused as a duplicate: an open order with our client order id already exists,
    /// so it is this order (sent before and its answer lost). Report it as the venue has it.
    private func adoptDuplicate(_ order: ApprovedOrder, refusal: OrderReason) async throws(VenueError) -> [VenueEvent] {
        let instrument = try mapping.instrument(order.instrument)
        let existing: BinanceOrder
        do throws(VenueError) {
            existing = try await client.order(symbol: instrument.id.symbol, clientOrderId: order.clientOrderId)
        } catch {
            if case .notFound = error {
                return [.rejected(clientOrderId: order.clientOrderId, reason: refusal, timeNs: client.venueNowNs())]
            }
            throw error
        }
        logger.notice("binance order already at the venue adopted", metadata: [
            "client_order_id": "\(order.clientOrderId)", "venue_order_id": "\(existing.orderId)",
        ])
        var events: [VenueEvent] = [.accepted(
            clientOrderId: order.clientOrderId, venueOrderId: String(existing.orderId),
            timeNs: BinanceEventMapping.nanoseconds(existing.time))]
        if existing.executedQty > .zero {
            events += try await orderFills(orderId: existing.orderId, clientOrderId: order.clientOrderId, instrument: instrument)
        }
        let time = BinanceEventMapping.nanoseconds(existing.updateTime)
        if let ending = mapping.ending(status: existing.status, clientOrderId: order.clientOrderId, timeNs: time) {
            events.append(ending)
        }
        return events
    }

    /// Binance answers -2011 "Unknown order sent." both for orders it never had and for orders no
    /// longer open. If the order turns out canceled or expired (e.g. an earlier attempt of this
    /// cancel succeeded), report its fills and the cancel; otherwise refuse the cancel.
    private func explainRefusedCancel(clientOrderId: String, instrument: Instrument, reason: OrderReason) async -> [VenueEvent] {
        do throws(VenueError) {
            let order = try await client.order(symbol: instrument.id.symbol, clientOrderId: clientOrderId)
            let time = BinanceEventMapping.nanoseconds(order.updateTime)
            switch order.status {
            case .canceled, .expired, .expiredInMatch:
                var events: [VenueEvent] = []
                if order.executedQty > .zero {
                    events = try await orderFills(orderId: order.orderId, clientOrderId: clientOrderId, instrument: instrument)
                }
                if let ending = mapping.ending(status: order.status, clientOrderId: clientOrderId, timeNs: time) {
                    events.append(ending)
                }
                return events
            case .new, .pendingNew, .partiallyFilled, .filled, .pendingCancel, .rejected:
                return [.cancelRejected(clientOrderId: clientOrderId, reason: reason, timeNs: time)]
            }
        } catch {
            if case .notFound = error {} else {
                logger.warning("binance order lookup after refused cancel failed", metadata: [
                    "client_order_id": "\(clientOrderId)", "error": "\(error)",
                ])
            }
            return [.cancelRejected(clientOrderId: clientOrderId, reason: reason, timeNs: client.venueNowNs())]
        }
    }

    /// Volume-weighted price of the `.filled` events, nil without fills.
    static func averagePrice(of events: [VenueEvent]) -> Price? {
        var notional = Money.zero
        var quantity = Quantity.zero
        for case .filled(_, _, _, let filled, let price, _, _, _, _) in events {
            guard let value = try? price.notional(filled), let sum = try? notional.adding(value),
                  let total = try? quantity.adding(filled) else { return nil }
            notional = sum
            quantity = total
        }
        guard quantity > .zero else { return nil }
        return try? notional.divided(by: quantity)
    }
}
