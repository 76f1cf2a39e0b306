/// Input of the OMS (`ExecutionCore`).
public enum ExecutionEvent: Sendable, Hashable, Codable {
    /// A risk-approved order to submit.
    case approved(ApprovedOrder)
    /// A response from the venue adapter.
    case venue(VenueEvent)
    /// Market data (recorded as the last quote; the slippage guard and the simulated venue use it).
    case quote(Quote)
    /// Operator or strategy request to cancel one order.
    case cancel(clientOrderId: String, timeNs: Int64)
    /// Cancel every open order, optionally only for one instrument (kill switch, halt).
    case cancelAll(instrument: InstrumentId?, timeNs: Int64)
    /// The host's clock: orders in flight longer than the policy's timeout are queried.
    case clock(timeNs: Int64)

    /// Time the event carries (venue time for venue events).
    public var timeNs: Int64 {
        switch self {
        case .approved(let order): return order.timeNs
        case .venue(let event): return event.timeNs
        case .quote(let quote): return quote.timeNs
        case .cancel(_, let timeNs), .cancelAll(_, let timeNs), .clock(let timeNs): return timeNs
        }
    }
}

/// Output of the OMS.
public enum ExecutionOutput: Sendable, Hashable, Codable {
    /// An instruction for the venue adapter; its responses come back as `.venue` events.
    case venueCommand(VenueCommand)
    /// An execution report (ack, partial fill, fill, cancel, reject) to publish.
    case report(ExecutionReport)
    /// The order's new state, to persist and serve.
    case orderUpdated(Order)
    /// An approved order or fill that was already applied; nothing changed.
    case duplicateIgnored(clientOrderId: String, detail: String)
    /// A venue event or request that could not be applied (unknown order, invalid transition, overfill).
    case eventRefused(clientOrderId: String, reason: String)
    /// The venue's view of an order disagrees with the engine's in a way the engine cannot repair
    /// by itself (fills it never received, an order it finished still open); for the operator and
    /// reconciliation. Fills are never invented.
    case discrepancy(clientOrderId: String, detail: String)
}
