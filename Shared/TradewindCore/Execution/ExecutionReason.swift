/// Stable reason codes of rejects and cancels the OMS decides itself.
///
/// Rejects made before anything reached the venue start with "LOCAL:", so the risk manager's
/// circuit breaker (which counts venue failures) can leave them out.
public enum ExecutionReason {
    /// Prefix of every reject the OMS makes without the venue.
    public static let localPrefix = "LOCAL:"
    public static let invalidQuantity = "LOCAL:INVALID_QUANTITY"
    public static let invalidPrice = "LOCAL:INVALID_PRICE"
    /// A MARKET order under the slippage guard with no usable quote.
    public static let noMarketPrice = "LOCAL:NO_MARKET_PRICE"
    /// A MARKET order under the slippage guard whose last quote is older than `maxQuoteAgeNs`.
    public static let staleMarketPrice = "LOCAL:STALE_MARKET_PRICE"
    /// The far touch is beyond the slippage collar.
    public static let slippageGuard = "LOCAL:SLIPPAGE_GUARD"

    /// A query found no such order at the venue.
    public static let notFoundAtVenue = "NOT_FOUND_AT_VENUE"
    /// The venue's order status says canceled, without a cancel request of ours.
    public static let canceledAtVenue = "CANCELED_AT_VENUE"
    /// The venue's order status says rejected.
    public static let rejectedAtVenue = "REJECTED_AT_VENUE"
    /// The venue's order status says expired.
    public static let expiredAtVenue = "EXPIRED_AT_VENUE"

    /// True if `reason` is a local reject (never reached the venue).
    public static func isLocal(_ reason: String) -> Bool { reason.hasPrefix(localPrefix) }
}
