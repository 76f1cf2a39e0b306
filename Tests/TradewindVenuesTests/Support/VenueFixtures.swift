import Foundation
import Testing
import TradewindCore
import TradewindVenues

func px(_ text: String) -> Price { try! Price(parsing: text) }
func qty(_ text: String) -> Quantity { try! Quantity(parsing: text) }
func money(_ text: String) -> Money { try! Money(parsing: text) }

let btcusdt = InstrumentId("BINANCE:BTCUSDT")!
let ethusdt = InstrumentId("BINANCE:ETHUSDT")!

let binanceInstruments: [InstrumentId: Instrument] = [
    btcusdt: Instrument(id: btcusdt, baseAsset: "BTC", quoteAsset: "USDT", tickSize: px("0.01"), lotSize: qty("0.00001"), minQuantity: qty("0.00001")),
    ethusdt: Instrument(id: ethusdt, baseAsset: "ETH", quoteAsset: "USDT", tickSize: px("0.01"), lotSize: qty("0.0001"), minQuantity: qty("0.0001")),
]

/// A client order id unique across the tests sharing one fake server ("TW-<tag>-<random>").
func uniqueOrderId(_ tag: String) -> String {
    "TW-\(tag)-\(UUID().uuidString.prefix(8))"
}

/// An approved order; a limit order when `limit` is given.
func approved(
    _ clientOrderId: String, _ side: Side, _ quantity: String, limit: String? = nil, timeInForce: TimeInForce = .gtc,
    instrument: InstrumentId = btcusdt
) -> ApprovedOrder {
    ApprovedOrder(
        intentId: clientOrderId, clientOrderId: clientOrderId, strategy: "test", instrument: instrument, side: side,
        orderType: limit == nil ? .market : .limit, timeInForce: timeInForce, quantity: qty(quantity),
        limitPrice: limit.map(px), timeNs: 1)
}

/// Short retries so failure tests stay fast.
let fastRetry = RetryPolicy(initialDelayMs: 1, multiplier: 2, maxDelayMs: 5, maxAttempts: 4, maxRetryAfterMs: 60_000)

/// Configuration pointing at `server`.
func binanceConfiguration(
    _ server: FakeBinanceServer, requestTimeoutMs: Int = 2_000, maxOrdersPerPoll: Int = 20, tradesPageLimit: Int = 1_000
) -> BinanceConfiguration {
    BinanceConfiguration(
        baseURL: server.baseURL, recvWindowMs: 5_000, requestTimeoutMs: requestTimeoutMs, maxConnectionsPerHost: 2,
        instruments: binanceInstruments, retry: fastRetry, maxOrdersPerPoll: maxOrdersPerPoll,
        tradesPageLimit: tradesPageLimit, maxTradePages: 10)
}

/// An adapter talking to the suite's fake server.
func binanceAdapter(
    _ server: FakeBinanceServer, secret: String = FakeBinanceServer.secret, apiKey: String = FakeBinanceServer.apiKey,
    requestTimeoutMs: Int = 2_000, maxOrdersPerPoll: Int = 20, tradesPageLimit: Int = 1_000,
    localClockMs: @escaping BinanceRESTClient.Clock = BinanceRESTClient.systemClockMs
) throws -> BinanceVenueAdapter {
    try BinanceVenueAdapter(
        configuration: binanceConfiguration(
            server, requestTimeoutMs: requestTimeoutMs, maxOrdersPerPoll: maxOrdersPerPoll, tradesPageLimit: tradesPageLimit),
        credentials: BinanceCredentials(apiKey: apiKey, secret: secret), localClockMs: localClockMs)
}

func currentServer() throws -> FakeBinanceServer {
    try #require(FakeBinanceServer.current, "the suite needs the .fakeBinance trait")
}

/// The parts of a `.filled` event tests look at.
struct FillFacts: Equatable, CustomStringConvertible {
    var quantity: Quantity
    var price: Price
    var fee: Money
    var liquidity: Liquidity

    var description: String { "\(quantity)@\(price) fee \(fee) \(liquidity)" }
}

extension VenueEvent {
    /// "accepted", "filled", "canceled", "rejected", "cancelRejected", "orderStatus" or "notFound".
    var name: String {
        switch self {
        case .accepted: return "accepted"
        case .filled: return "filled"
        case .canceled: return "canceled"
        case .expired: return "expired"
        case .rejected: return "rejected"
        case .cancelRejected: return "cancelRejected"
        case .orderStatus: return "orderStatus"
        case .notFound: return "notFound"
        }
    }

    var fill: FillFacts? {
        guard case .filled(_, _, _, let quantity, let price, let fee, let liquidity, _, _) = self else { return nil }
        return FillFacts(quantity: quantity, price: price, fee: fee, liquidity: liquidity)
    }

    /// What the venue took for a fill when it charged another asset than the quote asset.
    var charged: FeeCharge? {
        guard case .filled(_, _, _, _, _, _, _, _, let charged) = self else { return nil }
        return charged
    }

    var tradeId: String? {
        guard case .filled(_, _, let tradeId, _, _, _, _, _, _) = self else { return nil }
        return tradeId
    }

    var venueOrderId: String? {
        switch self {
        case .accepted(_, let id, _), .filled(_, let id, _, _, _, _, _, _, _): return id
        case .orderStatus(let snapshot): return snapshot.venueOrderId
        case .canceled, .expired, .rejected, .cancelRejected, .notFound: return nil
        }
    }

    /// The reason of a cancel, reject or refused cancel.
    var reason: OrderReason? {
        switch self {
        case .canceled(_, let reason, _), .expired(_, let reason, _), .rejected(_, let reason, _),
             .cancelRejected(_, let reason, _):
            return reason
        case .accepted, .filled, .orderStatus, .notFound: return nil
        }
    }

    var snapshot: VenueOrderSnapshot? {
        guard case .orderStatus(let snapshot) = self else { return nil }
        return snapshot
    }
}

/// The order as the engine holds it after applying `events` (submission first).
func engineOrder(_ order: ApprovedOrder, applying events: [VenueEvent]) throws -> Order {
    var engine = Order(approved: order)
    try engine.apply(.submitted, timeNs: 1)
    for event in events {
        switch event {
        case .accepted(_, let venueOrderId, let time):
            try engine.apply(.accepted(venueOrderId: venueOrderId), timeNs: time)
        case .filled(_, _, _, let quantity, let price, let fee, _, let time, _):
            try engine.apply(.fill(quantity: quantity, price: price, fee: fee), timeNs: time)
        case .canceled(_, let reason, let time):
            try engine.apply(.canceled(reason: reason), timeNs: time)
        case .expired(_, let reason, let time):
            try engine.apply(.expired(reason: reason), timeNs: time)
        case .rejected(_, let reason, let time):
            try engine.apply(.rejected(reason: reason), timeNs: time)
        case .cancelRejected, .orderStatus, .notFound:
            break
        }
    }
    return engine
}
