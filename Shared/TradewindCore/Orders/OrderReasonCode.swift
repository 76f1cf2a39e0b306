/// Stable codes for why an order was rejected, canceled or expired, or a cancel refused (wire,
/// database and metric labels). Whether a code counts against the venue is a property of the code.
public enum OrderReasonCode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Zero or negative quantity, refused before sending.
    case invalidQuantity = "INVALID_QUANTITY"
    /// A LIMIT order without a positive price, refused before sending.
    case invalidPrice = "INVALID_PRICE"
    /// A MARKET order under the slippage guard with no usable quote.
    case noMarketPrice = "NO_MARKET_PRICE"
    /// A MARKET order under the slippage guard whose last quote is older than `maxQuoteAgeNs`.
    case staleMarketPrice = "STALE_MARKET_PRICE"
    /// The far touch is beyond the slippage collar.
    case slippageGuard = "SLIPPAGE_GUARD"
    /// Not a refusal: the slippage guard sent a MARKET order as an IOC limit at its collar (on the ack).
    case slippageGuardConverted = "SLIPPAGE_GUARD_CONVERTED"
    /// The venue adapter has no such instrument configured.
    case unknownInstrument = "UNKNOWN_INSTRUMENT"
    /// The venue adapter could not form the request.
    case invalidRequest = "INVALID_REQUEST"

    /// Submits failed with transient errors until the retries ran out: the venue never took the order.
    case venueUnavailable = "VENUE_UNAVAILABLE"
    /// The venue's rate limit refused the submit until the retries ran out.
    case rateLimited = "RATE_LIMITED"
    /// The venue refused the order (a refusal with no more specific code), or its status says rejected.
    case rejectedAtVenue = "REJECTED_AT_VENUE"
    /// A query found no such order at the venue.
    case notFoundAtVenue = "NOT_FOUND_AT_VENUE"
    /// The simulated venue has no quote to fill a MARKET order against.
    case noMarket = "NO_MARKET"
    /// The venue already has an order with this client order id.
    case duplicateClientOrderId = "DUPLICATE_CLIENT_ORDER_ID"
    /// The account cannot pay for the order (Binance -2010).
    case insufficientBalance = "INSUFFICIENT_BALANCE"
    /// Quantity, price or notional break the symbol's filters (Binance -1013).
    case filterFailure = "FILTER_FAILURE"
    /// A parameter the venue refused (Binance -1100...-1131, the simulated venue's own checks).
    case invalidParameter = "INVALID_PARAMETER"
    /// Bad API key, signature or permissions (Binance -1002, -1022, -2014, -2015).
    case unauthorized = "UNAUTHORIZED"

    /// Canceled at our request.
    case canceled = "CANCELED"
    /// The unfilled rest of an IOC or MARKET order.
    case unfilledRemainder = "UNFILLED_REMAINDER"
    /// The venue's order status says canceled, without a cancel request of ours.
    case canceledAtVenue = "CANCELED_AT_VENUE"
    /// The venue's order status says expired (time in force ran out, or an IOC/FOK order ended).
    case expiredAtVenue = "EXPIRED_AT_VENUE"
    /// A cancel refused because the order no longer works at the venue.
    case orderNotOpen = "ORDER_NOT_OPEN"
    /// A cancel refused because the venue does not know the order.
    case unknownOrder = "UNKNOWN_ORDER"
    /// A cancel the venue refused for another reason (Binance -2011).
    case cancelRejected = "CANCEL_REJECTED"

    /// A code this build does not know (from a newer peer, or an unparsable legacy reason).
    case unknown = "UNKNOWN"

    /// The code with stable text `code`; `.unknown` for any other text.
    public init(code: String) {
        self = OrderReasonCode(rawValue: code) ?? .unknown
    }

    /// Where the reason arose, which decides whether the risk manager's circuit breaker counts it.
    public var origin: OrderReasonOrigin {
        switch self {
        case .invalidQuantity, .invalidPrice, .noMarketPrice, .staleMarketPrice, .slippageGuard,
             .slippageGuardConverted, .unknownInstrument, .invalidRequest:
            return .local
        case .venueUnavailable, .rateLimited, .rejectedAtVenue, .notFoundAtVenue, .noMarket, .duplicateClientOrderId,
             .insufficientBalance, .filterFailure, .invalidParameter, .unauthorized:
            return .venueFailure
        case .canceled, .unfilledRemainder, .canceledAtVenue, .expiredAtVenue, .orderNotOpen, .unknownOrder,
             .cancelRejected:
            return .venueOutcome
        case .unknown:
            // cannot be shown to be harmless: a reject with it counts, as every non-local reject once did
            return .venueFailure
        }
    }

    /// True if Tradewind decided it before anything reached the venue.
    public var isLocal: Bool { origin == .local }

    /// True if a reject with this code is a venue failure the circuit breaker counts.
    public var isVenueFailure: Bool { origin == .venueFailure }

    /// The stable code, also the metric label.
    public var code: String { rawValue }

    public var description: String { rawValue }
}

extension OrderReasonCode: Codable {
    /// Decodes any string: codes this build does not know become `.unknown`.
    public init(from decoder: any Decoder) throws {
        self.init(code: try decoder.singleValueContainer().decode(String.self))
    }
}

/// Where an order reason arose.
public enum OrderReasonOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    /// Decided by Tradewind before the order (or cancel) reached the venue.
    case local
    /// The venue refused the order or could not be reached: counted by the circuit breaker.
    case venueFailure = "venue_failure"
    /// A normal answer of the venue (canceled as asked, a remainder, an expiry, a refused cancel).
    case venueOutcome = "venue_outcome"
}
