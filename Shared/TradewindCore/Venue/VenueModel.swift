/// What a venue says an order's status is (answers to queries and open-order listings).
public enum VenueOrderState: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Working, no fills.
    case open
    /// Working with some quantity filled.
    case partiallyFilled = "partially_filled"
    case filled
    case canceled
    case rejected
    case expired

    /// True while the order can still trade at the venue.
    public var isOpen: Bool { self == .open || self == .partiallyFilled }

    public var description: String { rawValue }
}

/// One order as the venue reports it.
public struct VenueOrderSnapshot: Sendable, Hashable, Codable {
    /// The client order id the order was placed with (ours start with "TW-"; a foreign order,
    /// placed by hand or another system, has its own or none).
    public var clientOrderId: String
    public var venueOrderId: String
    public var instrument: InstrumentId
    public var side: Side
    public var orderType: OrderType
    public var timeInForce: TimeInForce
    public var quantity: Quantity
    /// Nil for market orders.
    public var limitPrice: Price?
    public var filledQuantity: Quantity
    /// Zero before the first fill.
    public var averagePrice: Price
    public var state: VenueOrderState
    /// Venue time of the snapshot's last update.
    public var timeNs: Int64

    public init(
        clientOrderId: String, venueOrderId: String, instrument: InstrumentId, side: Side, orderType: OrderType,
        timeInForce: TimeInForce, quantity: Quantity, limitPrice: Price?, filledQuantity: Quantity,
        averagePrice: Price, state: VenueOrderState, timeNs: Int64
    ) {
        self.clientOrderId = clientOrderId
        self.venueOrderId = venueOrderId
        self.instrument = instrument
        self.side = side
        self.orderType = orderType
        self.timeInForce = timeInForce
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.filledQuantity = filledQuantity
        self.averagePrice = averagePrice
        self.state = state
        self.timeNs = timeNs
    }
}

/// One execution (trade) of one of our orders, as the venue lists it.
public struct VenueTrade: Sendable, Hashable, Codable {
    /// Unique per venue; the fill's dedupe key.
    public var tradeId: String
    public var venueOrderId: String
    /// Empty if the venue listing does not carry it (match by `venueOrderId`).
    public var clientOrderId: String
    public var instrument: InstrumentId
    public var side: Side
    public var quantity: Quantity
    public var price: Price
    /// The fee as charged, in `feeAsset`.
    public var fee: Money
    /// Asset the fee was charged in.
    public var feeAsset: String
    /// The fee valued in the instrument's quote asset (what PnL counts); `fee` when charged in it.
    public var quoteFee: Money
    public var liquidity: Liquidity
    public var timeNs: Int64

    public init(
        tradeId: String, venueOrderId: String, clientOrderId: String, instrument: InstrumentId, side: Side,
        quantity: Quantity, price: Price, fee: Money, feeAsset: String, quoteFee: Money? = nil, liquidity: Liquidity,
        timeNs: Int64
    ) {
        self.tradeId = tradeId
        self.venueOrderId = venueOrderId
        self.clientOrderId = clientOrderId
        self.instrument = instrument
        self.side = side
        self.quantity = quantity
        self.price = price
        self.fee = fee
        self.feeAsset = feeAsset
        self.quoteFee = quoteFee ?? fee
        self.liquidity = liquidity
        self.timeNs = timeNs
    }
}

/// One asset balance of the trading account.
public struct VenueBalance: Sendable, Hashable, Codable {
    public var asset: String
    /// Available to trade.
    public var free: Quantity
    /// Held by open orders.
    public var locked: Quantity

    public init(asset: String, free: Quantity, locked: Quantity) {
        self.asset = asset
        self.free = free
        self.locked = locked
    }

    /// free + locked.
    public var total: Quantity { Quantity.saturating(Int128(free.units) + Int128(locked.units)) }
}

/// The trading account as the venue reports it.
public struct VenueAccount: Sendable, Hashable, Codable {
    public var balances: [VenueBalance]
    public var canTrade: Bool
    public var timeNs: Int64

    public init(balances: [VenueBalance], canTrade: Bool, timeNs: Int64) {
        self.balances = balances
        self.canTrade = canTrade
        self.timeNs = timeNs
    }

    /// free + locked of `asset`, zero if absent.
    public func total(_ asset: String) -> Quantity {
        balances.first { $0.asset == asset }?.total ?? .zero
    }
}

/// Why a venue call failed, classified by what the caller may do next.
public enum VenueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The venue refused the request for good (bad parameters, insufficient balance, bad
    /// credentials, cancel of a finished order), classified as `reason`; `code` is the venue's own
    /// (Binance "-2010"). Do not retry.
    case rejected(_ reason: OrderReasonCode, code: String, message: String)
    /// The order (or the cancel's target) does not exist at the venue.
    case notFound(code: String, message: String)
    /// Too many requests: wait (at least `retryAfterNs` when the venue says so), then retry.
    case rateLimited(retryAfterNs: Int64?, message: String)
    /// The request certainly did not take effect (connection refused, 503 before processing,
    /// clock skew): safe to retry with backoff.
    case transient(message: String)
    /// The request may or may not have taken effect (timeout, 5xx on an order): query the
    /// order before acting again; never resend blindly.
    case unknownOutcome(message: String)

    /// True if the same request may simply be sent again (after a backoff).
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .transient: return true
        case .rejected, .notFound, .unknownOutcome: return false
        }
    }

    /// Stable code for metrics labels and reasons.
    public var kind: String {
        switch self {
        case .rejected: return "rejected"
        case .notFound: return "not_found"
        case .rateLimited: return "rate_limited"
        case .transient: return "transient"
        case .unknownOutcome: return "unknown_outcome"
        }
    }

    /// The order reason of a failure that ends an order or refuses a cancel: the venue's code and
    /// message as detail; nil for an unknown outcome, which decides nothing.
    public var orderReason: OrderReason? {
        switch self {
        case .rejected(let reason, let code, let message): return OrderReason(reason, "\(code): \(message)")
        case .notFound(let code, let message): return OrderReason(.notFoundAtVenue, "\(code): \(message)")
        case .rateLimited: return OrderReason(.rateLimited, description)
        case .transient: return OrderReason(.venueUnavailable, description)
        case .unknownOutcome: return nil
        }
    }

    public var description: String {
        switch self {
        case .rejected(_, let code, let message): return "rejected (\(code)): \(message)"
        case .notFound(let code, let message): return "not found (\(code)): \(message)"
        case .rateLimited(let after, let message):
            return "rate limited\(after.map { " (retry after \($0 / 1_000_000) ms)" } ?? ""): \(message)"
        case .transient(let message): return "transient: \(message)"
        case .unknownOutcome(let message): return "unknown outcome: \(message)"
        }
    }
}

extension VenueCommand {
    /// The venue events a failed call for this command certainly implies; none where the outcome
    /// is unknown (the order stays in flight until the OMS's in-flight query resolves it).
    ///
    /// A submit the venue refused, or that certainly never reached it (retries exhausted on a
    /// transient error or a rate limit), is rejected; the latter as `VENUE_UNAVAILABLE` or
    /// `RATE_LIMITED`, venue failures that the risk manager's circuit breaker counts. A refused
    /// cancel is a `cancelRejected`; an order the venue does not know answers a cancel or query
    /// with `notFound`.
    public func eventsOnFailure(_ error: VenueError, timeNs: Int64) -> [VenueEvent] {
        let id = clientOrderId
        switch (self, error) {
        case (.submit, .rejected), (.submit, .notFound), (.submit, .transient), (.submit, .rateLimited):
            return error.orderReason.map { [.rejected(clientOrderId: id, reason: $0, timeNs: timeNs)] } ?? []
        case (.cancel, .rejected):
            return error.orderReason.map { [.cancelRejected(clientOrderId: id, reason: $0, timeNs: timeNs)] } ?? []
        case (.cancel, .notFound), (.query, .notFound):
            return [.notFound(clientOrderId: id, timeNs: timeNs)]
        case (.submit, .unknownOutcome), (.cancel, _), (.query, _):
            return []
        }
    }
}

/// What a venue actually took for a fill when it is not the fill's quote-asset fee: Binance takes
/// the base asset on buys, or BNB when the account pays fees with it. Balances move by this; PnL
/// counts the fee valued in the quote asset.
public struct FeeCharge: Sendable, Hashable, Codable {
    public var amount: Money
    public var asset: String

    public init(amount: Money, asset: String) {
        self.amount = amount
        self.asset = asset
    }
}
