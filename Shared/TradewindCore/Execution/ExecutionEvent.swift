/// Input of the OMS (`ExecutionCore`).
public enum ExecutionEvent: Sendable, Hashable, Codable {
    /// A risk-approved order to submit.
    case approved(ApprovedOrder)
    /// A response from the venue adapter.
    case venue(VenueEvent)
    /// Market data (recorded as the last quote; the simulated venue consumes it too).
    case quote(Quote)
    /// Operator or strategy request to cancel one order.
    case cancel(clientOrderId: String, timeNs: Int64)
    /// Cancel every open order, optionally only for one instrument (kill switch, halt).
    case cancelAll(instrument: InstrumentId?, timeNs: Int64)
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
}
