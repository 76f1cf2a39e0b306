/// Life-cycle status of an order; raw values are stable codes for the wire and the database.
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Created locally, not yet sent.
    case new
    /// Sent to the venue, no acknowledgement yet.
    case submitted
    /// Acknowledged by the venue and working, no fills.
    case accepted
    /// Working with some quantity filled.
    case partiallyFilled = "partially_filled"
    /// Completely filled.
    case filled
    /// A cancel request is in flight.
    case pendingCancel = "pending_cancel"
    /// Canceled (by request, or the unfilled rest of an IOC/market order).
    case canceled
    /// Refused by the venue or before sending.
    case rejected
    /// Expired by the venue (time in force ran out).
    case expired

    /// True while the order can still trade.
    public var isOpen: Bool {
        switch self {
        case .submitted, .accepted, .partiallyFilled, .pendingCancel: return true
        case .new, .filled, .canceled, .rejected, .expired: return false
        }
    }

    /// True once no event can change the order any more.
    public var isTerminal: Bool {
        switch self {
        case .filled, .canceled, .rejected, .expired: return true
        case .new, .submitted, .accepted, .partiallyFilled, .pendingCancel: return false
        }
    }

    public var description: String { rawValue }
}
