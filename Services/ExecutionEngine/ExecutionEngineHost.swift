import Logging
import Metrics
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindStore
import TradewindVenues
import TradewindWire

/// Hosts the execution slice on the bus thread: approved orders, quotes, trades, L2 book messages
/// (for the simulated venue) and trading states go in;
/// each order event is journaled (with its fill and audit row) before its report is published or a
/// venue command leaves. The simulated venue runs inside the slice, in event time; a real venue is
/// reached through `VenueGateway`, whose answers come back as venue events. Timers drive in-flight
/// queries, venue polling and reconciliation (live); in a replay, time comes from the events.
final class ExecutionEngineHost: BusHandler, @unchecked Sendable {  // touched only on the bus thread
    var slice: ExecutionSlice
    /// A real venue's gateway; nil for the in-process simulated venue.
    let gateway: VenueGateway?
    let settings: ExecutionEngineSettings
    private var audit: AuditChain
    let store: DaemonStore
    private(set) var book = OrderBookView()
    var viewIsStale = false
    private let view: StateSnapshot<OrderBookView>
    /// The record of reconciliation runs (served over HTTP).
    let reconciliation: ReconciliationTracker
    /// When to reconcile, over what, and the balance ledger (the decisions).
    var venueReconciliation: VenueReconciliation
    var nextPollNs: Int64 = 0
    var pollInFlight = false
    private let clock: RuntimeSettings.Clock
    private let lockstep: LockstepDriver?
    private let latency = PipelineMetrics.stage("execution")
    private let tickToTrade = Metrics.Timer(label: "tradewind_tick_to_trade_seconds")
    var metrics = ExecutionMetrics()

    init(
        slice: ExecutionSlice, gateway: VenueGateway?, settings: ExecutionEngineSettings, audit: AuditChain,
        store: DaemonStore, view: StateSnapshot<OrderBookView>, reconciliation: ReconciliationTracker,
        lastReconciliationNs: Int64?, clock: RuntimeSettings.Clock, lockstep: LockstepDriver?
    ) {
        venueReconciliation = VenueReconciliation(
            intervalNs: settings.reconciliationInterval.nanoseconds, policy: settings.reconciliationPolicy,
            instruments: settings.instruments, lastSuccessNs: lastReconciliationNs)
        self.slice = slice
        self.gateway = gateway
        self.settings = settings
        self.audit = audit
        self.store = store
        self.view = view
        self.reconciliation = reconciliation
        self.clock = clock
        self.lockstep = lockstep
    }

    var venueName: String { gateway?.adapter.name ?? settings.simulated.venueName }

    /// Reconciles with the venue before anything else: open orders restored from the database are
    /// checked against the venue's, fills missed while the engine was down are applied.
    func started(context: BusLoopContext) {
        viewIsStale = true
        reconcileIfDue(context: context)
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {
        guard let lockstep else {
            process(message, context: context)
            switch message.payload {
            case .quote?, .book?: if clock == .events { advance(to: message.envelope.eventTimeNs, context: context) }
            default: break
            }
            return
        }
        lockstep.receive(
            message, context: context, handle: { process($0, context: context) }, clock: { advance(to: $0, context: context) })
    }

    private func process(_ message: BusMessage, context: BusLoopContext) {
        let timeNs = message.envelope.eventTimeNs
        do {
            switch message.payload {
            case .approvedOrder(let wire)?:
                apply(.approved(try ApprovedOrder(wire: wire, timeNs: timeNs)), context: context)
                PipelineMetrics.record(latency, sinceNs: message.receivedAtNs, nowNs: context.nowNs)
            case .quote(let wire)?:
                let quote = try Quote(wire: wire, timeNs: timeNs)
                apply(.quote(quote), context: context)
                if let gateway { venueEvents(gateway.adapter.onQuote(quote), context: context) }
            case .trade(let wire)?:
                apply(.trade(try Trade(wire: wire, timeNs: timeNs)), context: context)
            case .book(let wire)?:
                // a live feed's stream carries its book sequence; a replayed dataset's has none (0)
                let update = try BookUpdate(wire: wire, timeNs: timeNs)
                apply(.bookMessage(BookMessage(sequence: wire.sequence, venueUpdateId: wire.venueUpdateID, update: update)), context: context)
            case .feedState(let wire)?:
                // a book the publisher resynchronizes is void until its next snapshot
                if !wire.instrument.isEmpty, wire.state == "resyncing", let instrument = InstrumentId(wire.instrument) {
                    apply(.bookVoided(instrument), context: context)
                }
            case .tradingState(let wire)?:
                let state = try TradingState(wire: wire.current, message: "TradingStateChange", field: "current")
                let canceling = slice.ordersToCancel(in: state)
                if !canceling.isEmpty {
                    context.logger.warning("trading \(state): canceling open orders", metadata: [
                        "reason": "\(wire.reason)", "kill_switch": "\(wire.killSwitch)", "orders": "\(canceling.count)",
                    ])
                }
                apply(.tradingState(state, timeNs: timeNs), context: context)
            case .heartbeat?, .watermark?:
                return
            default:
                PipelineMetrics.dropUnexpectedPayload(message, logger: context.logger)
            }
        } catch {
            PipelineMetrics.dropInvalidPayload(message, error: error, logger: context.logger)
        }
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        // until the start-up reconciliation has run, the venue's answer to it is the authority on
        // restored orders: no in-flight queries or polls race it
        let reconciled = venueReconciliation.startupComplete
        if clock == .wall, reconciled { advance(to: nowNs, context: context) }
        if let gateway, reconciled, nowNs >= nextPollNs, !pollInFlight, slice.core.openOrderCount > 0 {
            poll(gateway, context: context)
            nextPollNs = nowNs + settings.pollInterval.nanoseconds
        }
        reconcileIfDue(context: context)
        guard viewIsStale else { return }
        book.openOrders = slice.core.openOrders.map(OrderEntry.init)
        view.publish(book)
        viewIsStale = false
    }

    /// Time moves to `timeNs`: in-flight timeouts, commands reaching the simulated venue.
    private func advance(to timeNs: Int64, context: BusLoopContext) {
        apply(.clock(timeNs: timeNs), context: context)
    }

    /// What `POST /v1/cancel-all` answers: the orders whose cancel was sent.
    struct CancelAllResult: Encodable, Sendable {
        var canceling: [String]
    }

    /// Cancels every open order (of one instrument, or all), from the operator's endpoint.
    func cancelAll(instrument: InstrumentId?, reason: String, context: BusLoopContext) -> CancelAllResult {
        let canceling = slice.core.openOrders
            .filter { (instrument == nil || $0.instrument == instrument) && $0.status != .pendingCancel }
            .map(\.clientOrderId)
        context.logger.warning("canceling open orders on request", metadata: [
            "reason": "\(reason)", "instrument": "\(instrument.map { "\($0)" } ?? "all")", "orders": "\(canceling.count)",
        ])
        apply(.cancelAll(instrument: instrument, timeNs: context.nowNs), context: context)
        return CancelAllResult(canceling: canceling)
    }

    /// A real venue's answers, in the order it gave them.
    func venueEvents(_ events: [VenueEvent], context: BusLoopContext) {
        for event in events { apply(.venue(event), context: context) }
    }

    func apply(_ event: ExecutionSlice.Event, context: BusLoopContext) {
        process(slice.apply(event), context: context)
    }

    // MARK: outputs

    /// Write-ahead: what the outputs change (each order event with its fill and audit row) is journaled
    /// in one append before any report is published or venue command sent, so a crash can never leave
    /// a fill that subscribers saw but the engine's tables lack, or an order at the venue we never recorded.
    func process(_ outputs: [ExecutionSlice.Output], context: BusLoopContext) {
        guard !outputs.isEmpty else { return }
        var records: [PersistedRecord] = []
        var filled = false
        for case .orderEvent(let event) in outputs {
            if let fill = event.report, fill.isFill {
                records.append(ExecutionRecords.fill(fill))
                filled = true
            }
            records.append(audit.append(event.order, report: event.report))
            records.append(ExecutionRecords.order(event.order))
        }
        if !records.isEmpty {
            store.enqueue(contentsOf: records)
            if filled { CrashPoint.pass("execution.fill_journaled") }
        }
        for output in outputs { act(output, context: context) }
        viewIsStale = true
    }

    private func act(_ output: ExecutionSlice.Output, context: BusLoopContext) {
        switch output {
        case .orderEvent(let event):
            if let report = event.report {
                context.publish(
                    topic: BusTopic.executionReport(report.instrument.description), payload: .executionReport(.init(report)),
                    eventTimeNs: report.timeNs, correlationId: report.intentId)
                count(report, context: context)
                book.record(report)
            }
            if event.order.status == .submitted, event.order.eventCount == 1 { metrics.submitted.increment() }
            if !event.order.isOpen { book.finished(OrderEntry(event.order)) }
        case .venueCommand(let command):
            send(command, context: context)
        case .duplicateIgnored(let clientOrderId, let detail):
            metrics.ignored.increment()
            context.logger.notice("duplicate ignored", metadata: ["client_order_id": "\(clientOrderId)", "detail": "\(detail)"])
        case .eventRefused(let clientOrderId, let reason):
            metrics.refused.increment()
            context.logger.warning("order event refused", metadata: ["client_order_id": "\(clientOrderId)", "reason": "\(reason)"])
        case .discrepancy(let clientOrderId, let detail):
            metrics.discrepancies.increment()
            context.logger.warning("order differs from the venue", metadata: ["client_order_id": "\(clientOrderId)", "detail": "\(detail)"])
        case .bookDropped(let instrument, let detail):
            metrics.booksDropped.increment()
            context.logger.notice("simulated venue trades against quotes until the next book snapshot", metadata: [
                "instrument": "\(instrument)", "detail": "\(detail)",
            ])
        }
    }

    private func count(_ report: ExecutionReport, context: BusLoopContext) {
        if report.isFill {
            metrics.fills.increment()
            venueReconciliation.apply(fill: report)
            if let order = slice.core.order(clientOrderId: report.clientOrderId) {
                // the order's time is the market event it came from, carried through every hop
                PipelineMetrics.record(tickToTrade, sinceNs: order.createdTimeNs, nowNs: context.nowNs)
            }
        }
        metrics.finished(report)
        if report.orderStatus == .rejected {
            context.logger.notice("order rejected", metadata: [
                "correlation_id": "\(report.intentId)", "client_order_id": "\(report.clientOrderId)",
                "reason_code": "\(report.reason?.code.rawValue ?? "")", "reason_detail": "\(report.reason?.detail ?? "")",
            ])
        }
    }
}
