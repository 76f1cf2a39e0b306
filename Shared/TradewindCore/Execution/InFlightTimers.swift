/// Deadlines of orders waiting for a venue response (SUBMITTED or PENDING_CANCEL): when one
/// passes, the OMS queries the venue and sets the next deadline one timeout later.
struct InFlightTimers: Sendable {
    let timeoutNs: Int64
    private var deadlines: [String: Int64] = [:]

    init(timeoutNs: Int64) {
        self.timeoutNs = timeoutNs
    }

    /// True for the statuses in which the engine waits for the venue.
    static func isInFlight(_ status: OrderStatus) -> Bool {
        switch status {
        case .submitted, .pendingCancel: return true
        case .new, .accepted, .partiallyFilled, .filled, .canceled, .rejected, .expired: return false
        }
    }

    /// Pushes the deadline of `order` to one timeout after `activityNs` if it is in flight (never
    /// earlier than it was: a venue answer stamped in the past does not trigger a query), else drops it.
    mutating func track(_ order: Order, activityNs: Int64) {
        if Self.isInFlight(order.status) {
            let deadline = Self.adding(activityNs, timeoutNs)
            deadlines[order.clientOrderId] = max(deadline, deadlines[order.clientOrderId] ?? deadline)
        } else {
            deadlines[order.clientOrderId] = nil
        }
    }

    /// Ids whose deadline is at or before `nowNs`, earliest first (ties by id); each is rescheduled.
    mutating func expire(at nowNs: Int64) -> [String] {
        let due = deadlines.filter { $0.value <= nowNs }.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
        for id in due { deadlines[id] = Self.adding(nowNs, timeoutNs) }
        return due
    }

    /// The earliest deadline, if any order is in flight.
    var nextDeadlineNs: Int64? { deadlines.values.min() }

    /// Ids of orders in flight.
    var ids: Set<String> { Set(deadlines.keys) }

    private static func adding(_ time: Int64, _ delta: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(delta)
        return overflow ? .max : sum
    }
}
