import Dispatch
import Logging
import Metrics
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindStore
import TradewindWire

/// Hosts the risk engine on the bus thread: intents are checked the moment they arrive and leave as
/// approved orders or denials; execution reports and quotes keep exposure, PnL and the venues'
/// circuit breakers current; kill-switch commands arrive over HTTP (via BusLoop.submit) or the
/// control ingress (`ctl.kill` / `ctl.resume`, token required).
final class RiskManagerHost: BusHandler, @unchecked Sendable {  // touched only on the bus thread (handlers and BusLoop.submit)
    private var engine: RiskEngine
    private let store: DaemonStore
    private let controlToken: String?
    private let view: StateSnapshot<RiskView>
    private var counters = RiskView.Counters()
    private let latency = PipelineMetrics.stage("risk")
    private let approvals = Counter(label: "tradewind_risk_approvals_total")
    private let expired = Counter(label: "tradewind_risk_pending_expired_total")
    private let refusedCommands = Counter(label: "tradewind_control_commands_refused_total")
    /// Execution reports whose reason code this build does not know (a newer execution engine).
    private let unknownReasons = Counter(label: "tradewind_execution_reasons_unknown_total")
    private var denials: [RiskDenialReason: Counter] = [:]
    /// Re-reads of fills missed on the bus from the engine's table (the daemon attaches the reader).
    let resync = EngineFillResync()
    /// Fills read from the engine's table at start-up, counted once the bus runs.
    private var missedAtStart: [ExecutionReport]
    /// Event time of the newest fill counted (where a re-sync reads from, less a margin).
    private var lastFillTimeNs: Int64
    private let missedFills = Counter(label: "tradewind_risk_fills_reconciled_total")
    private let killSwitchChanges = [true, false].reduce(into: [Bool: Counter]()) {
        $0[$1] = Counter(label: "tradewind_kill_switch_changes_total", dimensions: [("engaged", "\($1)")])
    }
    private var circuitTrips: [String: Counter] = [:]
    private var circuitStates: [String: Gauge] = [:]
    private let stateGauges = TradingState.allCases.map { Gauge(label: "tradewind_trading_state", dimensions: [("state", $0.rawValue)]) }
    private let killSwitchGauge = Gauge(label: "tradewind_kill_switch_engaged")
    private let dailyPnlGauge = Gauge(label: "tradewind_risk_daily_pnl")
    private let dailyLossLimitGauge = Gauge(label: "tradewind_risk_daily_loss_limit")
    private var gaugesRecorded = false
    private let snapshotEncoder = DispatchQueue(label: "tradewind.risk.snapshot")
    private var lastStatePublishNs: Int64 = 0
    private var lastSnapshotNs: Int64 = 0
    /// The HTTP view is rebuilt on the next tick, off the intent's path.
    private var viewIsStale = false
    /// Quotes moved marks (equity, peak) since the last persisted snapshot.
    private var snapshotIsStale = false

    static let statePublishIntervalNs: Int64 = 1_000_000_000
    static let snapshotIntervalNs: Int64 = 1_000_000_000

    /// Where time comes from: the wall clock (live) or the market events (replay).
    private let clock: RuntimeSettings.Clock
    /// In a lockstep replay, what orders the messages; nil otherwise.
    private let lockstep: LockstepDriver?

    init(
        engine: RiskEngine, missed: [ExecutionReport], lastFillTimeNs: Int64, store: DaemonStore, controlToken: String?,
        view: StateSnapshot<RiskView>, clock: RuntimeSettings.Clock, lockstep: LockstepDriver?
    ) {
        self.engine = engine
        self.clock = clock
        self.lockstep = lockstep
        missedAtStart = missed
        self.lastFillTimeNs = lastFillTimeNs
        self.store = store
        self.controlToken = controlToken
        self.view = view
        view.publish(RiskView(engine, counters: counters))
    }

    func started(context: BusLoopContext) {
        store.enqueue(stateRecord(timeNs: context.nowNs))
        applyMissedFills(missedAtStart, context: context)
        missedAtStart = []
        persistSnapshot(timeNs: context.nowNs)
        publishState(context: context)
        for venue in engine.circuitBreakers.keys { recordCircuit(venue) }
        // fills the engine made between the start-up read and the subscription's connect: read again
        resync.start(afterFillAt: lastFillTimeNs)
    }

    /// Fills the engine published while this daemon could not hear them (an engine restart, a gap)
    /// are read back from the engine's table; until then /ready says it is re-syncing.
    func publisherRestarted(publisher: String, context: BusLoopContext) -> GapRecovery {
        resync.afterLoss(from: publisher, lastFillAt: lastFillTimeNs)
    }

    func sequenceGap(publisher: String, missing: UInt64, context: BusLoopContext) -> GapRecovery {
        resync.afterLoss(from: publisher, lastFillAt: lastFillTimeNs)
    }

    /// One read of a re-sync: fills not yet counted are counted (their keys decide).
    func resyncRead(_ reports: [ExecutionReport], context: BusLoopContext) {
        applyMissedFills(reports, context: context)
        resync.readApplied(context: context)
    }

    private func applyMissedFills(_ reports: [ExecutionReport], context: BusLoopContext) {
        var counted = 0
        for report in reports {
            let outputs = engine.apply(.missedFill(report))
            guard !outputs.isEmpty else { continue }
            counted += 1
            lastFillTimeNs = max(lastFillTimeNs, report.timeNs)
            process(outputs, with: exposureRecords(after: report), context: context)
        }
        guard counted > 0 else { return }
        missedFills.increment(by: Int64(counted))
        persistSnapshot(timeNs: context.nowNs)
        viewIsStale = true
        context.logger.warning("counted fills missed on the bus, read from the engine's table", metadata: ["fills": "\(counted)"])
    }

    /// Engages or releases the kill switch (HTTP control endpoints via BusLoop.submit, or a bus command).
    @discardableResult
    func setKillSwitch(_ engaged: Bool, reason: String, source: String, issuedBy: String, context: BusLoopContext) -> RiskView {
        let outputs = engine.apply(.killSwitch(engaged: engaged, reason: reason, timeNs: context.nowNs))
        process(outputs, with: [
            RiskRecords.control(
                action: engaged ? "kill" : "resume", accepted: true, source: source, issuedBy: issuedBy, reason: reason,
                timeNs: context.nowNs),
            stateRecord(timeNs: context.nowNs),
        ], context: context)
        persistSnapshot(timeNs: context.nowNs)
        // the kill switch is re-announced even when nothing changed, so the execution engine cancels again
        publishState(context: context)
        context.logger.warning(engaged ? "kill switch engaged" : "kill switch released", metadata: [
            "reason": "\(reason)", "source": "\(source)", "issued_by": "\(issuedBy)",
        ])
        let current = RiskView(engine, counters: counters)
        view.publish(current)
        return current
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        if clock == .wall { advance(to: nowNs, context: context) }
        if viewIsStale || !gaugesRecorded {
            view.publish(RiskView(engine, counters: counters))
            viewIsStale = false
            recordStateGauges()
        }
        if snapshotIsStale, nowNs - lastSnapshotNs >= Self.snapshotIntervalNs {
            persistSnapshot(timeNs: nowNs)
        }
        // live, the state is announced again every second for late subscribers; a replay's
        // subscribers are all there from the start, and its decisions must not depend on timing
        if clock == .wall, nowNs - lastStatePublishNs >= Self.statePublishIntervalNs {
            publishState(context: context)
        }
    }

    /// Time moves to `timeNs`: pending orders never acknowledged expire, circuits half-open.
    private func advance(to timeNs: Int64, context: BusLoopContext) {
        let outputs = engine.apply(.clock(timeNs: timeNs))
        if !outputs.isEmpty {
            process(outputs, context: context)
            viewIsStale = true
        }
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {
        guard let lockstep else {
            process(message, context: context)
            if clock == .events, case .quote? = message.payload { advance(to: message.envelope.eventTimeNs, context: context) }
            return
        }
        lockstep.receive(
            message, context: context, handle: { process($0, context: context) }, clock: { advance(to: $0, context: context) })
    }

    private func process(_ message: BusMessage, context: BusLoopContext) {
        let event: RiskEvent
        do {
            switch message.payload {
            case .intent(let wire)?:
                event = .intent(try OrderIntent(wire: wire, timeNs: message.envelope.eventTimeNs))
            case .executionReport(let wire)?:
                event = .executionReport(try ExecutionReport(wire: wire, timeNs: message.envelope.eventTimeNs))
            case .quote(let wire)?:
                event = .quote(try Quote(wire: wire, timeNs: message.envelope.eventTimeNs))
            case .control(let command)?:
                handleControl(command, publisher: message.envelope.publisher, context: context)
                return
            case .heartbeat?, .watermark?:
                return
            default:
                PipelineMetrics.dropUnexpectedPayload(message, logger: context.logger)
                return
            }
        } catch {
            PipelineMetrics.dropInvalidPayload(message, error: error, logger: context.logger)
            return
        }
        let outputs = engine.apply(event)
        if case .executionReport(let report) = event {
            process(outputs, with: exposureRecords(after: report), context: context)
        } else {
            process(outputs, context: context)
        }
        switch event {
        case .executionReport(let report):
            if report.reason?.code == .unknown {
                unknownReasons.increment()
                context.logger.warning("execution report with an unknown reason code", metadata: [
                    "client_order_id": "\(report.clientOrderId)", "reason": "\(report.reason?.description ?? "")",
                ])
            }
            if report.isFill {
                lastFillTimeNs = max(lastFillTimeNs, report.timeNs)
                persistSnapshot(timeNs: report.timeNs)
            }
        case .intent:
            PipelineMetrics.record(latency, sinceNs: message.receivedAtNs, nowNs: context.nowNs)
        case .quote:
            // marks move equity and exposure: the snapshot and view follow on the next ticks
            snapshotIsStale = true
        case .command, .killSwitch, .clock, .missedFill:
            break
        }
        viewIsStale = true
    }

    /// A kill/resume command from the control ingress: applied only with the control token.
    private func handleControl(_ command: Tradewind_V1_ControlCommand, publisher: String, context: BusLoopContext) {
        let action: Bool
        switch command.action {
        case .kill: action = true
        case .resume: action = false
        case .unspecified, .UNRECOGNIZED:
            refuse(command, publisher: publisher, why: "unknown action", context: context)
            return
        }
        guard let controlToken, BearerToken.matches(command.token, expected: controlToken) else {
            refuse(command, publisher: publisher, why: controlToken == nil ? "no API token configured" : "invalid token", context: context)
            return
        }
        let reason = command.reason.isEmpty ? (action ? "kill switch (bus)" : "resumed (bus)") : command.reason
        setKillSwitch(action, reason: reason, source: "bus", issuedBy: command.issuedBy.isEmpty ? publisher : command.issuedBy, context: context)
    }

    private func refuse(_ command: Tradewind_V1_ControlCommand, publisher: String, why: String, context: BusLoopContext) {
        refusedCommands.increment()
        counters.controlCommandsRefused += 1
        viewIsStale = true
        store.enqueue(RiskRecords.control(
            action: "\(command.action)", accepted: false, source: "bus", issuedBy: command.issuedBy.isEmpty ? publisher : command.issuedBy,
            reason: why, timeNs: context.nowNs))
        // never log the token itself
        context.logger.warning("control command refused", metadata: [
            "action": "\(command.action)", "publisher": "\(publisher)", "issued_by": "\(command.issuedBy)", "why": "\(why)",
        ])
    }

    /// Write-ahead: the rows of one event (its outputs' decisions, exposure and newly remembered
    /// dedupe keys, plus `records`) go into the journal in one append before anything is published,
    /// so a crash keeps a decision with the keys and exposure it changed, or none of them.
    private func process(_ outputs: [RiskOutput], with records: [PersistedRecord] = [], context: BusLoopContext) {
        store.enqueue(contentsOf: journalRecords(outputs, context: context) + records)
        for output in outputs { act(output, context: context) }
    }

    private func journalRecords(_ outputs: [RiskOutput], context: BusLoopContext) -> [PersistedRecord] {
        var records: [PersistedRecord] = []
        for output in outputs {
            switch output {
            case .approved(let order):
                records.append(RiskRecords.approved(order))
                records.append(RiskRecords.pending(order.clientOrderId, engine.pendingOrders[order.clientOrderId], last: nil, timeNs: order.timeNs))
            case .denied(let denial):
                records.append(RiskRecords.denied(denial))
            case .pendingExpired(let order):
                records.append(RiskRecords.pending(
                    order.clientOrderId, nil, last: PendingOrder(order: order, remaining: order.quantity), timeNs: context.nowNs))
            case .tradingStateChanged:
                records.append(stateRecord(timeNs: context.nowNs))
            case .remembered(let key):
                records.append(RiskRecords.dedupeKey(key))
            case .killSwitchChanged, .commandRefused, .circuitChanged:
                break
            }
        }
        return records
    }

    private func act(_ output: RiskOutput, context: BusLoopContext) {
        switch output {
        case .approved(let order):
            context.publish(topic: BusTopic.riskOrder, payload: .approvedOrder(.init(order)), eventTimeNs: order.timeNs, correlationId: order.intentId)
            approvals.increment()
        case .denied(let denial):
            context.publish(topic: BusTopic.riskDenied, payload: .riskDenial(.init(denial)), eventTimeNs: denial.timeNs, correlationId: denial.intentId)
            denialCounter(denial.reason).increment()
            context.logger.notice("intent denied", metadata: [
                "correlation_id": "\(denial.intentId)", "reason": "\(denial.reason.code)", "detail": "\(denial.detail)",
            ])
        case .pendingExpired(let order):
            expired.increment()
            context.logger.warning("approved order never acknowledged; exposure released", metadata: [
                "correlation_id": "\(order.intentId)", "client_order_id": "\(order.clientOrderId)",
            ])
        case .tradingStateChanged(let from, let to, let reason):
            persistSnapshot(timeNs: context.nowNs)
            context.publish(
                topic: BusTopic.riskState,
                payload: .tradingState(.init(from: from, to: to, reason: reason, killSwitch: engine.killSwitchEngaged)),
                eventTimeNs: stateTimeNs(context))
            lastStatePublishNs = context.nowNs
            context.logger.warning("trading state changed", metadata: ["from": "\(from)", "to": "\(to)", "reason": "\(reason)"])
        case .killSwitchChanged(let engaged, let reason):
            killSwitchChanges[engaged]?.increment()
            context.logger.warning("kill switch changed", metadata: ["engaged": "\(engaged)", "reason": "\(reason)"])
        case .commandRefused(let event, let reason):
            context.logger.warning("trading state command refused", metadata: ["event": "\(event)", "reason": "\(reason)"])
        case .circuitChanged(let venue, let from, let to, let reason):
            if to == .open {
                let trips = circuitTrips[venue] ?? Counter(label: "tradewind_circuit_breaker_trips_total", dimensions: [("venue", venue)])
                circuitTrips[venue] = trips
                trips.increment()
            }
            recordCircuit(venue)
            persistSnapshot(timeNs: context.nowNs)
            context.logger.warning("circuit breaker changed", metadata: [
                "venue": "\(venue)", "from": "\(from)", "to": "\(to)", "reason": "\(reason)",
            ])
        case .remembered:
            break
        }
    }

    /// Trading state, kill switch and the daily loss against its limit, for alerts and dashboards.
    private func recordStateGauges() {
        gaugesRecorded = true
        for (state, gauge) in zip(TradingState.allCases, stateGauges) { gauge.record(state == engine.tradingState ? 1 : 0) }
        killSwitchGauge.record(engine.killSwitchEngaged ? 1 : 0)
        dailyPnlGauge.record(engine.dailyRealizedPnl.doubleValue)
        dailyLossLimitGauge.record(engine.limits.maxDailyLoss.doubleValue)
    }

    private func recordCircuit(_ venue: String) {
        let value: Double
        switch engine.circuitBreakers[venue]?.state ?? .closed {
        case .closed: value = 0
        case .halfOpen: value = 1
        case .open: value = 2
        }
        let gauge = circuitStates[venue] ?? Gauge(label: "tradewind_circuit_breaker_state", dimensions: [("venue", venue)])
        circuitStates[venue] = gauge
        gauge.record(value)
    }

    private func stateRecord(timeNs: Int64) -> PersistedRecord {
        RiskRecords.state(
            engine.tradingState, killSwitch: engine.killSwitchEngaged, reason: engine.tradingStateReason,
            limits: engine.limits, timeNs: timeNs)
    }

    /// The snapshot is taken here, on the bus thread, and encoded on a serial queue of its own
    /// (JSON encoding costs far more than a risk check), in order, so the last one written wins.
    private func persistSnapshot(timeNs: Int64) {
        let snapshot = engine.snapshot(includingPendingOrders: false, includingDedupeMemory: false)
        let store = self.store
        snapshotEncoder.async { store.enqueue(RiskRecords.snapshot(snapshot, timeNs: timeNs)) }
        lastSnapshotNs = timeNs
        snapshotIsStale = false
    }

    /// After an execution report: the instrument's net position and the order's pending state.
    private func exposureRecords(after report: ExecutionReport) -> [PersistedRecord] {
        var records: [PersistedRecord] = []
        if report.isFill {
            records.append(RiskRecords.position(report.instrument, engine.positions[report.instrument] ?? .zero, timeNs: report.timeNs))
        }
        let pending = engine.pendingOrders[report.clientOrderId]
        if pending != nil || report.orderStatus.isTerminal {
            records.append(RiskRecords.pending(report.clientOrderId, pending, last: nil, timeNs: report.timeNs))
        }
        return records
    }

    /// Announces the current state (previous == current) with the reason it was entered, so a
    /// subscriber that joins late learns both.
    /// The time a state announcement carries: now, live; the engine's event time in a replay
    /// (execution cancels at that time, as the backtest does).
    private func stateTimeNs(_ context: BusLoopContext) -> Int64 {
        clock == .wall ? context.nowNs : engine.latestTimeNs ?? 0
    }

    private func publishState(context: BusLoopContext) {
        let state = engine.tradingState
        context.publish(
            topic: BusTopic.riskState,
            payload: .tradingState(.init(from: state, to: state, reason: engine.tradingStateReason, killSwitch: engine.killSwitchEngaged)),
            eventTimeNs: stateTimeNs(context))
        lastStatePublishNs = context.nowNs
    }

    private func denialCounter(_ reason: RiskDenialReason) -> Counter {
        if let counter = denials[reason] { return counter }
        let counter = Counter(label: "tradewind_risk_denials_total", dimensions: [("reason", reason.metricLabel)])
        denials[reason] = counter
        return counter
    }
}
