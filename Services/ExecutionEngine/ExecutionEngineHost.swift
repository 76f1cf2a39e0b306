import Logging
import Metrics
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindStore
import TradewindVenues
import TradewindWire

/// Hosts the OMS on the bus thread: an approved order is submitted the moment it arrives, its venue
/// calls run off the thread (`VenueGateway`) and their answers come back as venue events; every
/// order event leaves as an execution report carrying the intent id, and is persisted and audited.
/// Timers drive in-flight queries, venue polling and reconciliation.
final class ExecutionEngineHost: BusHandler, @unchecked Sendable {  // touched only on the bus thread
    private var core: ExecutionCore
    private let gateway: VenueGateway
    private let settings: ExecutionEngineSettings
    private var audit: AuditChain
    private let store: DaemonStore
    private var book = OrderBookView()
    private var viewIsStale = false
    private let view: StateSnapshot<OrderBookView>
    private let reconciliation: ReconciliationTracker
    private var ledger: BalanceLedger?
    private var nextPollNs: Int64 = 0
    private var pollInFlight = false
    private var nextReconciliationNs: Int64 = .max
    private var reconciliationInFlight = false
    private let latency = PipelineMetrics.stage("execution")
    private let tickToTrade = Metrics.Timer(label: "tradewind_tick_to_trade_seconds")
    private var metrics = ExecutionMetrics()

    static let startupRetryNs: Int64 = 2_000_000_000

    init(
        core: ExecutionCore, gateway: VenueGateway, settings: ExecutionEngineSettings, audit: AuditChain,
        store: DaemonStore, view: StateSnapshot<OrderBookView>, reconciliation: ReconciliationTracker
    ) {
        self.core = core
        self.gateway = gateway
        self.settings = settings
        self.audit = audit
        self.store = store
        self.view = view
        self.reconciliation = reconciliation
    }

    /// Reconciles with the venue before anything else: open orders restored from the database are
    /// checked against the venue's, fills missed while the engine was down are applied.
    func started(context: BusLoopContext) {
        viewIsStale = true
        reconcile(trigger: .startup, context: context)
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {
        let timeNs = message.envelope.eventTimeNs
        do {
            switch message.payload {
            case .approvedOrder(let wire)?:
                let order = try ApprovedOrder(wire: wire, timeNs: timeNs)
                process(core.apply(.approved(order)), context: context)
                PipelineMetrics.record(latency, sinceNs: message.receivedAtNs, nowNs: context.nowNs)
            case .quote(let wire)?:
                let quote = try Quote(wire: wire, timeNs: timeNs)
                process(core.apply(.quote(quote)), context: context)
                apply(gateway.adapter.onQuote(quote), context: context)
                return
            case .tradingState(let wire)?:
                let state = try TradingState(wire: wire.current, message: "TradingStateChange", field: "current")
                guard state == .halted, core.openOrderCount > 0 else { return }
                context.logger.warning("trading halted: canceling every open order", metadata: [
                    "reason": "\(wire.reason)", "kill_switch": "\(wire.killSwitch)", "open_orders": "\(core.openOrderCount)",
                ])
                process(core.apply(.cancelAll(instrument: nil, timeNs: context.nowNs)), context: context)
            case .heartbeat?:
                return
            default:
                PipelineMetrics.dropUnexpectedPayload(message, logger: context.logger)
                return
            }
        } catch {
            PipelineMetrics.dropInvalidPayload(message, error: error, logger: context.logger)
            return
        }
        viewIsStale = true
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        // until the start-up reconciliation has run, the venue's answer to it is the authority on
        // restored orders: no in-flight queries or polls race it
        let reconciled = reconciliation.startupComplete
        if reconciled { process(core.apply(.clock(timeNs: nowNs)), context: context) }
        if reconciled, nowNs >= nextPollNs, !pollInFlight, core.openOrderCount > 0 {
            poll(context: context)
            nextPollNs = nowNs + settings.pollInterval.nanoseconds
        }
        if nowNs >= nextReconciliationNs, !reconciliationInFlight {
            reconcile(trigger: reconciliation.startupComplete ? .periodic : .startup, context: context)
        }
        guard viewIsStale else { return }
        book.openOrders = core.openOrders.map(OrderEntry.init)
        view.publish(book)
        viewIsStale = false
    }

    /// What `POST /v1/cancel-all` answers: the orders whose cancel was sent.
    struct CancelAllResult: Encodable, Sendable {
        var canceling: [String]
    }

    /// Sends a cancel for every open order (of one instrument, or all), from the operator's endpoint.
    func cancelAll(instrument: InstrumentId?, reason: String, context: BusLoopContext) -> CancelAllResult {
        let outputs = core.apply(.cancelAll(instrument: instrument, timeNs: context.nowNs))
        let canceling = outputs.compactMap { output -> String? in
            if case .venueCommand(.cancel(let id, _)) = output { return id }
            return nil
        }
        context.logger.warning("canceling open orders on request", metadata: [
            "reason": "\(reason)", "instrument": "\(instrument.map { "\($0)" } ?? "all")", "orders": "\(canceling.count)",
        ])
        process(outputs, context: context)
        viewIsStale = true
        return CancelAllResult(canceling: canceling)
    }

    /// Venue events in the order the venue gave them, from the gateway or the simulated venue.
    func apply(_ events: [VenueEvent], context: BusLoopContext) {
        guard !events.isEmpty else { return }
        for event in events { process(core.apply(.venue(event)), context: context) }
        viewIsStale = true
    }

    private func poll(context: BusLoopContext) {
        pollInFlight = true
        let adapter = gateway.adapter
        // only orders the venue acknowledged: one whose submit is still in flight would look unknown
        // to the venue and be resolved wrongly; in-flight orders are queried by the OMS's timeout,
        // in turn behind their submit (VenueGateway)
        let open = core.openOrders.filter { $0.status != .new && $0.venueOrderId != nil }
        gateway.run({ () async -> Result<[VenueEvent], VenueError> in
            do throws(VenueError) {
                return .success(try await adapter.poll(openOrders: open))
            } catch {
                return .failure(error)
            }
        }, deliver: { [self] result, context in
            pollInFlight = false
            switch result {
            case .success(let events): apply(events, context: context)
            case .failure(let error):
                context.logger.warning("venue poll failed", metadata: ["venue": "\(adapter.name)", "error": "\(error)"])
            }
        })
    }

    // MARK: reconciliation

    private func reconcile(trigger: ReconciliationTracker.Trigger, context: BusLoopContext) {
        reconciliationInFlight = true
        let startedNs = context.nowNs
        let adapter = gateway.adapter
        let instruments = settings.instruments.keys.sorted()
        let sinceNs = reconciliation.tradesSinceNs(openOrders: core.openOrders, nowNs: startedNs)
        let fillsBefore = book.totals.fills  // balances are compared only if no fill arrives meanwhile
        context.logger.info("reconciling with the venue", metadata: [
            "trigger": "\(trigger.rawValue)", "venue": "\(adapter.name)", "engine_open_orders": "\(core.openOrderCount)",
        ])
        gateway.run({ () async -> Result<VenueState, VenueError> in
            do throws(VenueError) {
                let open = try await adapter.openOrders(instruments: instruments)
                var trades: [VenueTrade] = []
                for instrument in instruments { trades += try await adapter.trades(instrument: instrument, sinceNs: sinceNs) }
                return .success(VenueState(openOrders: open, trades: trades, account: try await adapter.account()))
            } catch {
                return .failure(error)
            }
        }, deliver: { [self] result, context in
            reconciliationInFlight = false
            finishReconciliation(result, trigger: trigger, startedNs: startedNs, fillsChanged: book.totals.fills != fillsBefore, context: context)
        })
    }

    private struct VenueState: Sendable {
        var openOrders: [VenueOrderSnapshot]
        var trades: [VenueTrade]
        var account: VenueAccount
    }

    private func finishReconciliation(
        _ result: Result<VenueState, VenueError>, trigger: ReconciliationTracker.Trigger, startedNs: Int64, fillsChanged: Bool,
        context: BusLoopContext
    ) {
        let nowNs = context.nowNs
        switch result {
        case .failure(let error):
            let run = reconciliation.failed(trigger: trigger, venue: gateway.adapter.name, startedNs: startedNs, finishedNs: nowNs, error: error)
            store.enqueue(contentsOf: ReconciliationRecords.run(run))
            context.logger.error("reconciliation failed", metadata: ["trigger": "\(trigger.rawValue)", "error": "\(error)"])
            nextReconciliationNs = nowNs + (reconciliation.startupComplete ? settings.reconciliationInterval.nanoseconds : Self.startupRetryNs)
        case .success(let state):
            // balances are compared only when no fill landed while they were fetched
            let compareBalances = ledger != nil && !fillsChanged
            let report = Reconciler.reconcile(
                core: core, venueOpenOrders: state.openOrders, venueTrades: state.trades,
                expectedBalances: compareBalances ? ledger?.expectedBalances : nil,
                account: compareBalances ? state.account : nil,
                policy: settings.reconciliationPolicy, timeNs: nowNs)
            for event in report.events { process(core.apply(event), context: context) }
            for command in report.commands {
                guard core.order(clientOrderId: command.clientOrderId) == nil else {
                    send(command, context: context)
                    continue
                }
                // an order only the venue has: its answers concern no order of the OMS, just the log
                gateway.send(command) { events, context in
                    for event in events {
                        context.logger.notice("venue-only order", metadata: [
                            "client_order_id": "\(command.clientOrderId)", "venue_event": "\(event)",
                        ])
                    }
                }
            }
            if ledger == nil {
                // the first view of the account is the baseline (it already holds any fill just applied)
                ledger = BalanceLedger(baseline: state.account, instruments: settings.instruments)
            }
            let run = reconciliation.finished(
                trigger: trigger, venue: gateway.adapter.name, startedNs: startedNs, finishedNs: nowNs,
                engineOpenOrders: core.openOrderCount, venueOpenOrders: state.openOrders.count, venueTrades: state.trades.count,
                balancesChecked: compareBalances, differences: report.differences)
            store.enqueue(contentsOf: ReconciliationRecords.run(run))
            for difference in report.differences {
                metrics.difference(difference.kind)
                context.logger.warning("reconciliation difference", metadata: [
                    "kind": "\(difference.kind.rawValue)", "instrument": "\(difference.instrument.map { "\($0)" } ?? "")",
                    "client_order_id": "\(difference.clientOrderId ?? "")", "venue_order_id": "\(difference.venueOrderId ?? "")",
                    "detail": "\(difference.detail)", "action": "\(difference.action.rawValue)",
                ])
            }
            context.logger.info("reconciliation finished", metadata: [
                "trigger": "\(trigger.rawValue)", "differences": "\(report.differences.count)",
                "venue_open_orders": "\(state.openOrders.count)", "venue_trades": "\(state.trades.count)",
            ])
            nextReconciliationNs = nowNs + settings.reconciliationInterval.nanoseconds
            viewIsStale = true
        }
    }

    // MARK: outputs

    private func send(_ command: VenueCommand, context: BusLoopContext) {
        gateway.send(command) { [self] events, context in apply(events, context: context) }
    }

    /// Write-ahead: what the outputs change (each order event with its fill and audit row) is journaled
    /// in one append before any report is published or venue command sent, so a crash can never leave
    /// a fill that subscribers saw but the engine's tables lack, or an order at the venue we never recorded.
    private func process(_ outputs: [ExecutionOutput], context: BusLoopContext) {
        guard !outputs.isEmpty else { return }
        let records = journalRecords(outputs)
        if !records.isEmpty {
            store.enqueue(contentsOf: records)
            if outputs.contains(where: { if case .report(let report) = $0 { return report.isFill } else { return false } }) {
                CrashPoint.pass("execution.fill_journaled")
            }
        }
        for output in outputs { act(output, context: context) }
    }

    /// The records of every order event in `outputs`: an order's new state, its audit row and, for a
    /// fill, the fill (a report always comes right before the order update it belongs to).
    private func journalRecords(_ outputs: [ExecutionOutput]) -> [PersistedRecord] {
        var records: [PersistedRecord] = []
        var report: ExecutionReport?
        for output in outputs {
            switch output {
            case .report(let current):
                report = current
            case .orderUpdated(let order):
                let matching = report.flatMap { $0.clientOrderId == order.clientOrderId ? $0 : nil }
                if let fill = matching, fill.isFill { records.append(ExecutionRecords.fill(fill)) }
                records.append(audit.append(order, report: matching))
                records.append(ExecutionRecords.order(order))
                report = nil
            case .duplicateIgnored:
                report = nil
            case .venueCommand, .eventRefused, .discrepancy:
                break
            }
        }
        return records
    }

    private func act(_ output: ExecutionOutput, context: BusLoopContext) {
        switch output {
        case .report(let report):
            context.publish(
                topic: BusTopic.executionReport(report.instrument.description), payload: .executionReport(.init(report)),
                eventTimeNs: report.timeNs, correlationId: report.intentId)
            count(report, context: context)
            book.record(report)
        case .orderUpdated(let order):
            if !order.isOpen { book.finished(OrderEntry(order)) }
        case .venueCommand(let command):
            if case .submit = command { metrics.submitted.increment() }
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
        }
    }

    private func count(_ report: ExecutionReport, context: BusLoopContext) {
        if report.isFill {
            metrics.fills.increment()
            ledger?.apply(report)
            if let order = core.order(clientOrderId: report.clientOrderId) {
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
