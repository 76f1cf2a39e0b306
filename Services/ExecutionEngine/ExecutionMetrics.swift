import Metrics
import TradewindCore

/// The execution engine's counters. Finished orders are counted by final status, rejects, cancels
/// and expiries labelled by their stable reason code; every labelled handle is made once and kept.
struct ExecutionMetrics {
    let submitted = Counter(label: "tradewind_orders_submitted_total")
    let filled = Counter(label: "tradewind_orders_filled_total")
    let fills = Counter(label: "tradewind_fills_total")
    let ignored = Counter(label: "tradewind_orders_duplicates_ignored_total")
    let refused = Counter(label: "tradewind_order_events_refused_total")
    let discrepancies = Counter(label: "tradewind_order_discrepancies_total")
    /// Books the simulated venue dropped (a gap in `md.book`, a refused message) until a snapshot.
    let booksDropped = Counter(label: "tradewind_execution_books_dropped_total")
    private var rejected = LabelledCounters(label: "tradewind_orders_rejected_total")
    private var canceled = LabelledCounters(label: "tradewind_orders_canceled_total")
    private var expired = LabelledCounters(label: "tradewind_orders_expired_total")
    private var differences: [ReconciliationDifference.Kind: Counter] = [:]

    /// Counts a report that finished its order (FILLED, REJECTED, CANCELED or EXPIRED).
    mutating func finished(_ report: ExecutionReport) {
        let code = report.reason?.code ?? .unknown
        switch report.orderStatus {
        case .filled: filled.increment()
        case .rejected: rejected.increment(code)
        case .canceled: canceled.increment(code)
        case .expired: expired.increment(code)
        case .new, .submitted, .accepted, .partiallyFilled, .pendingCancel: break
        }
    }

    /// Counts one reconciliation difference under its kind.
    mutating func difference(_ kind: ReconciliationDifference.Kind) {
        if let counter = differences[kind] { return counter.increment() }
        let counter = Counter(label: "tradewind_reconciliation_differences_total", dimensions: [("kind", kind.rawValue)])
        differences[kind] = counter
        counter.increment()
    }
}

/// One counter per reason code, labelled `reason="<CODE>"`, made on the code's first use.
private struct LabelledCounters {
    let label: String
    var counters: [OrderReasonCode: Counter] = [:]

    mutating func increment(_ code: OrderReasonCode) {
        if let counter = counters[code] { return counter.increment() }
        let counter = Counter(label: label, dimensions: [("reason", code.rawValue)])
        counters[code] = counter
        counter.increment()
    }
}
