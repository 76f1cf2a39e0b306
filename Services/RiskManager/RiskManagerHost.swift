import Logging
import Metrics
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindWire

/// Hosts the risk engine on the bus thread: intents are checked the moment they arrive and leave as
/// approved orders or denials; execution reports and quotes keep the engine's exposure current.
final class RiskManagerHost: BusHandler, @unchecked Sendable {  // touched only on the bus thread (handlers and BusLoop.submit)
    private var engine: RiskEngine
    private let store: DaemonStore
    /// Engaged by POST /v1/kill, released only by POST /v1/resume; persisted, so it survives restarts.
    private(set) var killSwitch: Bool
    private let view: StateSnapshot<RiskView>
    private let latency = PipelineMetrics.stage("risk")
    private let approvals = Counter(label: "tradewind_risk_approvals_total")
    private let expired = Counter(label: "tradewind_risk_pending_expired_total")
    private var denials: [RiskDenialReason: Counter] = [:]
    private var lastStatePublishNs: Int64 = 0
    /// The HTTP view is rebuilt on the next tick, off the intent's path.
    private var viewIsStale = false

    static let statePublishIntervalNs: Int64 = 1_000_000_000

    init(engine: RiskEngine, killSwitch: Bool, store: DaemonStore, view: StateSnapshot<RiskView>) {
        self.engine = engine
        self.killSwitch = killSwitch
        self.store = store
        self.view = view
        view.publish(RiskView(engine, killSwitch: killSwitch))
    }

    func started(context: BusLoopContext) {
        persistState(reason: "start", timeNs: context.nowNs)
        publishState(reason: "start", context: context)
    }

    /// Engages or releases the kill switch (from the HTTP control endpoints, via BusLoop.submit).
    func setKillSwitch(_ engaged: Bool, reason: String, context: BusLoopContext) -> RiskView {
        killSwitch = engaged
        let command = TradingStateCommand(event: engaged ? .halt : .resume, reason: reason, timeNs: context.nowNs)
        let outputs = engine.apply(.command(command))
        outputs.forEach { publish($0, context: context) }
        persistState(reason: reason, timeNs: context.nowNs)
        if outputs.isEmpty { publishState(reason: reason, context: context) }
        context.logger.warning(engaged ? "kill switch engaged" : "kill switch released", metadata: ["reason": "\(reason)"])
        let current = RiskView(engine, killSwitch: killSwitch)
        view.publish(current)
        return current
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        for output in engine.apply(.clock(timeNs: nowNs)) {
            publish(output, context: context)
            viewIsStale = true
        }
        if viewIsStale {
            view.publish(RiskView(engine, killSwitch: killSwitch))
            viewIsStale = false
        }
        if nowNs - lastStatePublishNs >= Self.statePublishIntervalNs {
            publishState(reason: "snapshot", context: context)
        }
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {
        let event: RiskEvent
        do {
            switch message.payload {
            case .intent(let wire)?:
                event = .intent(try OrderIntent(wire: wire, timeNs: message.envelope.eventTimeNs))
            case .executionReport(let wire)?:
                event = .executionReport(try ExecutionReport(wire: wire, timeNs: message.envelope.eventTimeNs))
            case .quote(let wire)?:
                event = .quote(try Quote(wire: wire, timeNs: message.envelope.eventTimeNs))
            default:
                return
            }
        } catch {
            PipelineMetrics.dropInvalidPayload(message, error: error, logger: context.logger)
            return
        }
        let outputs = engine.apply(event)
        for output in outputs { publish(output, context: context) }
        if case .executionReport(let report) = event { persistExposure(after: report) }
        if case .intent = event {
            PipelineMetrics.record(latency, sinceNs: message.receivedAtNs, nowNs: context.nowNs)
        }
        if case .quote = event { return }
        viewIsStale = true
    }

    private func publish(_ output: RiskOutput, context: BusLoopContext) {
        switch output {
        case .approved(let order):
            store.enqueue(RiskRecords.approved(order))
            store.enqueue(RiskRecords.pending(order.clientOrderId, engine.pendingOrders[order.clientOrderId], last: nil, timeNs: order.timeNs))
            context.publish(topic: BusTopic.riskOrder, payload: .approvedOrder(.init(order)), eventTimeNs: order.timeNs, correlationId: order.intentId)
            approvals.increment()
        case .denied(let denial):
            store.enqueue(RiskRecords.denied(denial))
            context.publish(topic: BusTopic.riskDenied, payload: .riskDenial(.init(denial)), eventTimeNs: denial.timeNs, correlationId: denial.intentId)
            denialCounter(denial.reason).increment()
            context.logger.notice("intent denied", metadata: [
                "correlation_id": "\(denial.intentId)", "reason": "\(denial.reason.code)", "detail": "\(denial.detail)",
            ])
        case .pendingExpired(let order):
            store.enqueue(RiskRecords.pending(order.clientOrderId, nil, last: PendingOrder(order: order, remaining: order.quantity), timeNs: context.nowNs))
            expired.increment()
            context.logger.warning("approved order never acknowledged; exposure released", metadata: [
                "correlation_id": "\(order.intentId)", "client_order_id": "\(order.clientOrderId)",
            ])
        case .tradingStateChanged(let from, let to, let reason):
            persistState(reason: reason, timeNs: context.nowNs)
            context.publish(topic: BusTopic.riskState, payload: .tradingState(.init(from: from, to: to, reason: reason)), eventTimeNs: context.nowNs)
            context.logger.warning("trading state changed", metadata: ["from": "\(from)", "to": "\(to)", "reason": "\(reason)"])
        }
    }

    private func persistState(reason: String, timeNs: Int64) {
        store.enqueue(RiskRecords.state(engine.tradingState, killSwitch: killSwitch, reason: reason, limits: engine.limits, timeNs: timeNs))
    }

    /// After an execution report: the instrument's net position and the order's pending state.
    private func persistExposure(after report: ExecutionReport) {
        if report.isFill {
            store.enqueue(RiskRecords.position(report.instrument, engine.positions[report.instrument] ?? .zero, timeNs: report.timeNs))
        }
        let pending = engine.pendingOrders[report.clientOrderId]
        if pending != nil || report.orderStatus.isTerminal {
            store.enqueue(RiskRecords.pending(report.clientOrderId, pending, last: nil, timeNs: report.timeNs))
        }
    }

    private func publishState(reason: String, context: BusLoopContext) {
        let state = engine.tradingState
        context.publish(topic: BusTopic.riskState, payload: .tradingState(.init(from: state, to: state, reason: reason)), eventTimeNs: context.nowNs)
        lastStatePublishNs = context.nowNs
    }

    private func denialCounter(_ reason: RiskDenialReason) -> Counter {
        if let counter = denials[reason] { return counter }
        let counter = Counter(label: "tradewind_risk_denials_total", dimensions: [("reason", reason.code)])
        denials[reason] = counter
        return counter
    }
}
