import Logging
import Metrics
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindWire

/// Hosts the OMS and its venue on the bus thread: an approved order is submitted the moment it
/// arrives, and every order event leaves as an execution report carrying the intent id.
final class ExecutionEngineHost: BusHandler {
    private var execution: SimulatedExecutionLoop
    private var audit: AuditChain
    private let store: DaemonStore
    /// Open orders restored at start whose simulated venue session died with the old process.
    private var orphaned: [String]
    private var lastReport: ExecutionReport?
    private var book = OrderBookView()
    private var viewIsStale = false
    private let view: StateSnapshot<OrderBookView>
    private let latency = PipelineMetrics.stage("execution")
    private let tickToTrade = Metrics.Timer(label: "tradewind_tick_to_trade_seconds")
    private let submitted = Counter(label: "tradewind_orders_submitted_total")
    private let filled = Counter(label: "tradewind_orders_filled_total")
    private let rejected = Counter(label: "tradewind_orders_rejected_total")
    private let canceled = Counter(label: "tradewind_orders_canceled_total")
    private let fills = Counter(label: "tradewind_fills_total")
    private let ignored = Counter(label: "tradewind_orders_duplicates_ignored_total")

    init(execution: SimulatedExecutionLoop, recovery: ExecutionEngineRecovery, store: DaemonStore, view: StateSnapshot<OrderBookView>) {
        self.execution = execution
        self.audit = recovery.audit
        self.orphaned = recovery.openOrders.map(\.clientOrderId)
        self.store = store
        self.view = view
    }

    /// Orders left open by the previous process lived on its in-process simulated venue, which is
    /// gone: they are canceled (reported, persisted, audited) so risk releases their exposure.
    func started(context: BusLoopContext) {
        guard !orphaned.isEmpty else { return }
        context.logger.warning("canceling orders orphaned by the restart", metadata: ["count": "\(orphaned.count)"])
        for id in orphaned {
            let event = ExecutionEvent.venue(.canceled(clientOrderId: id, reason: "VENUE_SESSION_LOST", timeNs: context.nowNs))
            for output in execution.apply(event) { handle(output, context: context, marketEventTimeNs: context.nowNs) }
        }
        orphaned = []
        viewIsStale = true
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {
        let event: ExecutionEvent
        let timeNs = message.envelope.eventTimeNs
        do {
            switch message.payload {
            case .approvedOrder(let wire)?:
                event = .approved(try ApprovedOrder(wire: wire, timeNs: timeNs))
            case .quote(let wire)?:
                event = .quote(try Quote(wire: wire, timeNs: timeNs))
            case .tradingState(let wire)?:
                let state = try TradingState(wire: wire.current, message: "TradingStateChange", field: "current")
                guard state == .halted, execution.core.openOrderCount > 0 else { return }
                context.logger.warning("trading halted: canceling every open order", metadata: ["reason": "\(wire.reason)"])
                event = .cancelAll(instrument: nil, timeNs: timeNs)
            default:
                return
            }
        } catch {
            PipelineMetrics.dropInvalidPayload(message, error: error, logger: context.logger)
            return
        }
        let outputs = execution.apply(event)
        guard !outputs.isEmpty else { return }
        for output in outputs { handle(output, context: context, marketEventTimeNs: timeNs) }
        if case .approved = event {
            PipelineMetrics.record(latency, sinceNs: message.receivedAtNs, nowNs: context.nowNs)
        }
        viewIsStale = true
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        guard viewIsStale else { return }
        book.openOrders = execution.core.openOrders.map(OrderEntry.init)
        view.publish(book)
        viewIsStale = false
    }

    private func handle(_ output: ExecutionOutput, context: BusLoopContext, marketEventTimeNs: Int64) {
        switch output {
        case .report(let report):
            context.publish(
                topic: BusTopic.executionReport(report.instrument.description), payload: .executionReport(.init(report)),
                eventTimeNs: report.timeNs, correlationId: report.intentId)
            count(report, context: context, marketEventTimeNs: marketEventTimeNs)
            book.record(report)
            lastReport = report
        case .orderUpdated(let order):
            // one atomic journal append per order event: its fill, its audit row and the order's
            // new state, so a crash can never keep one without the others
            let fill = lastReport.flatMap { $0.isFill && $0.clientOrderId == order.clientOrderId ? ExecutionRecords.fill($0) : nil }
            store.enqueue(contentsOf: (fill.map { [$0] } ?? []) + [audit.append(order, report: lastReport), ExecutionRecords.order(order)])
            lastReport = nil
            if !order.isOpen { book.finished(OrderEntry(order)) }
        case .venueCommand(.submit):
            submitted.increment()
            book.totals.orders += 1
        case .venueCommand(.cancel):
            break
        case .duplicateIgnored(let clientOrderId, let detail):
            lastReport = nil
            ignored.increment()
            context.logger.notice("duplicate ignored", metadata: ["client_order_id": "\(clientOrderId)", "detail": "\(detail)"])
        case .eventRefused(let clientOrderId, let reason):
            context.logger.warning("order event refused", metadata: ["client_order_id": "\(clientOrderId)", "reason": "\(reason)"])
        }
    }

    private func count(_ report: ExecutionReport, context: BusLoopContext, marketEventTimeNs: Int64) {
        if report.isFill {
            fills.increment()
            PipelineMetrics.record(tickToTrade, sinceNs: marketEventTimeNs, nowNs: context.nowNs)
        }
        switch report.orderStatus {
        case .filled: filled.increment()
        case .rejected:
            rejected.increment()
            context.logger.notice("order rejected", metadata: [
                "correlation_id": "\(report.intentId)", "client_order_id": "\(report.clientOrderId)", "reason": "\(report.rejectReason)",
            ])
        case .canceled, .expired: canceled.increment()
        case .new, .submitted, .accepted, .partiallyFilled, .pendingCancel: break
        }
    }
}
