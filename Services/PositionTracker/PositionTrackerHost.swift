import Logging
import Metrics
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindWire

/// Hosts the position engine on the bus thread: fills change positions and are published at once;
/// quotes re-mark them, published every `publishInterval` so a fast feed does not flood the bus.
/// Every applied fill, the changed position and its day's PnL are enqueued for the database as
/// they happen, and a snapshot of all positions every `snapshotInterval` (never waiting on it).
final class PositionTrackerHost: BusHandler, @unchecked Sendable {  // touched only on the bus thread (handlers, BusLoop.submit)
    private var book: PositionBook
    private var engine: PositionEngine { book.engine }
    /// Fills read from the engine's table at start-up, applied (deduplicated) once the bus runs.
    private var missedAtStart: [ExecutionReport]
    /// Re-reads of fills missed on the bus from the engine's table (the daemon attaches the reader).
    let resync = EngineFillResync()
    private let reconciled = Counter(label: "tradewind_position_fills_reconciled_total")
    private let store: DaemonStore
    private let view: StateSnapshot<PositionsView>
    private let publishIntervalNs: Int64
    private let snapshotIntervalNs: Int64
    private var lastPublishNs: Int64 = 0
    private var lastSnapshotNs: Int64 = 0
    private var marksPending: Bool
    /// Something (a fill or a mark) changed since the last snapshot.
    private var snapshotPending = false
    private let latency = PipelineMetrics.stage("position")
    private let refused = Counter(label: "tradewind_fills_refused_total")
    private let snapshots = Counter(label: "tradewind_position_snapshots_total")
    private var gauges: [InstrumentId: PositionGauges] = [:]
    private let portfolioGauges = PortfolioGauges()

    /// In a lockstep replay, what orders the messages; nil otherwise.
    private let lockstep: LockstepDriver?

    init(
        settings: PositionTrackerSettings, recovery: PositionTrackerRecovery, missed: [ExecutionReport],
        lastFillTimeNs: Int64, store: DaemonStore, view: StateSnapshot<PositionsView>, lockstep: LockstepDriver?
    ) {
        self.lockstep = lockstep
        book = PositionBook(engine: recovery.engine, daily: recovery.daily, appliedSeq: recovery.appliedSeq, lastFillTimeNs: lastFillTimeNs)
        missedAtStart = missed
        self.store = store
        self.view = view
        publishIntervalNs = Self.nanoseconds(settings.publishInterval)
        snapshotIntervalNs = Self.nanoseconds(settings.snapshotInterval)
        // restored positions go out on the first tick, so subscribers see them without a new fill
        marksPending = !recovery.engine.positions.isEmpty
        view.publish(PositionsView(book, resyncReadsPending: 0))
    }

    func started(context: BusLoopContext) {
        applyReconciled(missedAtStart, context: context)
        missedAtStart = []
        // fills published between the start-up read and the subscription's connect: read again
        resync.start(afterFillAt: book.lastFillTimeNs)
        publishView()
    }

    /// The engine restarted or reports were lost: fills published meanwhile may never arrive, so
    /// read them back from the engine's table (after its writer had time to commit them).
    func publisherRestarted(publisher: String, context: BusLoopContext) -> GapRecovery {
        defer { publishView() }
        return resync.afterLoss(from: publisher, lastFillAt: book.lastFillTimeNs)
    }

    func sequenceGap(publisher: String, missing: UInt64, context: BusLoopContext) -> GapRecovery {
        defer { publishView() }
        return resync.afterLoss(from: publisher, lastFillAt: book.lastFillTimeNs)
    }

    /// One read of a re-sync: its fills are applied, already applied ones skipped by their key.
    func resyncRead(_ reports: [ExecutionReport], context: BusLoopContext) {
        applyReconciled(reports, context: context)
        resync.readApplied(context: context)
        publishView()
    }

    /// Applies fills read from the engine's table; those already applied are skipped by their key.
    func applyReconciled(_ reports: [ExecutionReport], context: BusLoopContext) {
        var applied = 0
        for report in reports {
            let outputs = apply(report)
            guard !outputs.isEmpty else { continue }
            applied += 1
            publish(outputs, eventTimeNs: context.nowNs, correlationId: report.intentId, context: context)
        }
        guard applied > 0 else { return }
        reconciled.increment(by: Int64(applied))
        context.logger.warning("applied fills missed on the bus, read from the engine's table", metadata: ["fills": "\(applied)"])
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {
        guard let lockstep else { return process(message, context: context) }
        lockstep.receive(message, context: context, handle: { process($0, context: context) }, clock: { _ in })
    }

    private func process(_ message: BusMessage, context: BusLoopContext) {
        let timeNs = message.envelope.eventTimeNs
        do {
            switch message.payload {
            case .executionReport(let wire)?:
                let report = try ExecutionReport(wire: wire, timeNs: timeNs)
                guard report.isFill else { return }
                publish(apply(report), eventTimeNs: timeNs, correlationId: report.intentId, context: context)
                PipelineMetrics.record(latency, sinceNs: message.receivedAtNs, nowNs: context.nowNs)
            case .quote(let wire)?:
                let marked = book.apply(quote: try Quote(wire: wire, timeNs: timeNs))
                marksPending = marked || marksPending
                snapshotPending = marked || snapshotPending
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
        if snapshotPending, nowNs - lastSnapshotNs >= snapshotIntervalNs {
            takeSnapshot(nowNs: nowNs)
        }
        guard nowNs - lastPublishNs >= publishIntervalNs else { return }
        lastPublishNs = nowNs
        guard marksPending else { return }
        marksPending = false
        let outputs = engine.sortedPositions.filter { !$0.isFlat }.map(PositionOutput.position) + [.portfolio(engine.portfolio)]
        publish(outputs, eventTimeNs: nowNs, correlationId: "", context: context)
    }

    /// Applies one fill report; when the book takes it (not a duplicate, not refused), enqueues the
    /// fill, the position and the day's PnL in one journal append (a crash keeps all three or none).
    private func apply(_ report: ExecutionReport) -> [PositionOutput] {
        let key = PositionEngine.fillKey(report)
        if let reason = PositionTrackerRecords.unstorableReason(report, key: key) {
            return [.fillRefused(tradeId: report.tradeId, reason: reason)]
        }
        switch book.apply(fill: report) {
        case .duplicate:
            return []
        case .refused(let reason):
            return [.fillRefused(tradeId: report.tradeId, reason: reason)]
        case .applied(let applied):
            snapshotPending = true
            store.enqueue(contentsOf: [
                PositionTrackerRecords.fillApplied(report, key: applied.key, appliedSeq: applied.appliedSeq, realizedChange: applied.realizedChange),
                PositionTrackerRecords.position(applied.position, appliedSeq: applied.appliedSeq),
                PositionTrackerRecords.daily(applied.day, appliedSeq: applied.appliedSeq),
            ])
            return [.position(applied.position), .portfolio(applied.portfolio)]
        }
    }

    /// Enqueues a snapshot (the restart point of recovery) and the marked positions.
    private func takeSnapshot(nowNs: Int64) {
        lastSnapshotNs = nowNs
        snapshotPending = false
        store.enqueue(contentsOf: [PositionTrackerRecords.snapshot(engine, appliedSeq: book.appliedSeq, timeNs: nowNs)]
            + engine.sortedPositions.map { PositionTrackerRecords.position($0, appliedSeq: book.appliedSeq) })
        snapshots.increment()
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    private func publish(_ outputs: [PositionOutput], eventTimeNs: Int64, correlationId: String, context: BusLoopContext) {
        guard !outputs.isEmpty else { return }
        for output in outputs {
            switch output {
            case .position(let position):
                context.publish(
                    topic: BusTopic.position(position.instrument.description), payload: .position(.init(position)),
                    eventTimeNs: eventTimeNs, correlationId: correlationId)
                gauge(position.instrument).set(position)
            case .portfolio(let pnl):
                context.publish(topic: BusTopic.portfolioPnl, payload: .portfolioPnl(.init(pnl)), eventTimeNs: eventTimeNs, correlationId: correlationId)
                portfolioGauges.set(pnl)
            case .fillRefused(let tradeId, let reason):
                refused.increment()
                context.logger.error("fill refused", metadata: ["trade_id": "\(tradeId)", "reason": "\(reason)", "correlation_id": "\(correlationId)"])
            }
        }
        publishView()
    }

    private func publishView() {
        view.publish(PositionsView(book, resyncReadsPending: resync.readsPending))
    }

    private func gauge(_ instrument: InstrumentId) -> PositionGauges {
        if let existing = gauges[instrument] { return existing }
        let created = PositionGauges(instrument)
        gauges[instrument] = created
        return created
    }
}

/// Prometheus gauges of one position (display values; the exact ones are on the bus and in /v1).
struct PositionGauges {
    let quantity: Gauge
    let unrealized: Gauge
    let realized: Gauge
    let value: Gauge

    init(_ instrument: InstrumentId) {
        let dimensions = [("instrument", instrument.description)]
        quantity = Gauge(label: "tradewind_position_quantity", dimensions: dimensions)
        unrealized = Gauge(label: "tradewind_position_unrealized_pnl", dimensions: dimensions)
        realized = Gauge(label: "tradewind_position_realized_pnl", dimensions: dimensions)
        value = Gauge(label: "tradewind_position_value", dimensions: dimensions)
    }

    func set(_ position: Position) {
        quantity.record(position.quantity.doubleValue)
        unrealized.record(position.unrealizedPnl.doubleValue)
        realized.record(position.realizedPnl.doubleValue)
        value.record(position.marketValue.doubleValue)
    }
}

/// Prometheus gauges of the whole portfolio.
struct PortfolioGauges {
    let total = Gauge(label: "tradewind_portfolio_pnl", dimensions: [("kind", "total")])
    let realized = Gauge(label: "tradewind_portfolio_pnl", dimensions: [("kind", "realized")])
    let unrealized = Gauge(label: "tradewind_portfolio_pnl", dimensions: [("kind", "unrealized")])
    let drawdown = Gauge(label: "tradewind_portfolio_drawdown")
    let exposure = Gauge(label: "tradewind_portfolio_gross_exposure")

    func set(_ pnl: PortfolioPnl) {
        total.record(pnl.totalPnl.doubleValue)
        realized.record(pnl.realizedPnl.doubleValue)
        unrealized.record(pnl.unrealizedPnl.doubleValue)
        drawdown.record(pnl.drawdown.doubleValue)
        exposure.record(pnl.grossExposure.doubleValue)
    }
}
