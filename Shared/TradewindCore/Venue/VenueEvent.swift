/// What a venue (simulated or real adapter) reports back about an order.
public enum VenueEvent: Sendable, Hashable, Codable {
    case accepted(clientOrderId: String, venueOrderId: String, timeNs: Int64)
    /// A fill; `fee` is in the instrument's quote asset, `charged` what the venue took instead when
    /// it charged another asset (nil: it took `fee` in the quote asset).
    case filled(
        clientOrderId: String, venueOrderId: String, tradeId: String, quantity: Quantity,
        price: Price, fee: Money, liquidity: Liquidity, timeNs: Int64, charged: FeeCharge? = nil)
    /// The order (or its unfilled rest) was canceled.
    case canceled(clientOrderId: String, reason: OrderReason, timeNs: Int64)
    /// The venue ended the order (or its unfilled rest) itself: time in force ran out, or an
    /// IOC/FOK order could not trade in full.
    case expired(clientOrderId: String, reason: OrderReason, timeNs: Int64)
    /// The order was refused.
    case rejected(clientOrderId: String, reason: OrderReason, timeNs: Int64)
    /// A cancel request was refused; the order keeps working (or is already done).
    case cancelRejected(clientOrderId: String, reason: OrderReason, timeNs: Int64)
    /// The venue's view of the order (answer to a query or reconciliation); fills it implies
    /// arrive before it as `.filled` events.
    case orderStatus(VenueOrderSnapshot)
    /// The venue does not know the order (answer to a query).
    case notFound(clientOrderId: String, timeNs: Int64)

    /// The order the event is about.
    public var clientOrderId: String {
        switch self {
        case .accepted(let id, _, _), .canceled(let id, _, _), .expired(let id, _, _), .rejected(let id, _, _),
             .cancelRejected(let id, _, _), .notFound(let id, _):
            return id
        case .orderStatus(let snapshot):
            return snapshot.clientOrderId
        case .filled(let id, _, _, _, _, _, _, _, _):
            return id
        }
    }

    /// Venue time of the event.
    public var timeNs: Int64 {
        switch self {
        case .accepted(_, _, let time), .canceled(_, _, let time), .expired(_, _, let time), .rejected(_, _, let time),
             .cancelRejected(_, _, let time), .notFound(_, let time):
            return time
        case .orderStatus(let snapshot):
            return snapshot.timeNs
        case .filled(_, _, _, _, _, _, _, let time, _):
            return time
        }
    }
}

/// An instruction from the OMS to a venue adapter.
public enum VenueCommand: Sendable, Hashable, Codable {
    case submit(ApprovedOrder)
    case cancel(clientOrderId: String, instrument: InstrumentId)
    /// Ask for the order's current state: answered by its fills, then `.orderStatus` or `.notFound`.
    case query(clientOrderId: String, instrument: InstrumentId)

    /// The order the command is about.
    public var clientOrderId: String {
        switch self {
        case .submit(let order): return order.clientOrderId
        case .cancel(let id, _), .query(let id, _): return id
        }
    }
}
