import Logging
import Metrics
import TradewindBus
import TradewindCore
import TradewindDaemonKit
import TradewindWire

/// Hosts the position engine on the bus thread: fills change positions and are published at once;
/// quotes re-mark them, published every `publishInterval` so a fast feed does not flood the bus.
final class PositionTrackerHost: BusHandler {
    private var engine = PositionEngine()
    private let view: StateSnapshot<PositionsView>
    private let publishIntervalNs: Int64
    private var lastPublishNs: Int64 = 0
    private var marksPending = false
    private let latency = PipelineMetrics.stage("position")
    private let refused = Counter(label: "tradewind_fills_refused_total")
    private var gauges: [InstrumentId: PositionGauges] = [:]
    private let portfolioGauges = PortfolioGauges()

    init(publishInterval: Duration, view: StateSnapshot<PositionsView>) {
        publishIntervalNs = Int64(publishInterval.components.seconds) * 1_000_000_000
            + publishInterval.components.attoseconds / 1_000_000_000
        self.view = view
    }

    func handle(_ message: BusMessage, context: BusLoopContext) {
        let timeNs = message.envelope.eventTimeNs
        do {
            switch message.payload {
            case .executionReport(let wire)?:
                let report = try ExecutionReport(wire: wire, timeNs: timeNs)
                guard report.isFill else { return }
                publish(engine.apply(.executionReport(report)), eventTimeNs: timeNs, correlationId: report.intentId, context: context)
                PipelineMetrics.record(latency, sinceNs: message.receivedAtNs, nowNs: context.nowNs)
            case .quote(let wire)?:
                marksPending = !engine.apply(.quote(try Quote(wire: wire, timeNs: timeNs))).isEmpty || marksPending
            default:
                return
            }
        } catch {
            PipelineMetrics.dropInvalidPayload(message, error: error, logger: context.logger)
        }
    }

    func tick(nowNs: Int64, context: BusLoopContext) {
        guard nowNs - lastPublishNs >= publishIntervalNs else { return }
        lastPublishNs = nowNs
        guard marksPending else { return }
        marksPending = false
        let outputs = engine.sortedPositions.filter { !$0.isFlat }.map(PositionOutput.position) + [.portfolio(engine.portfolio)]
        publish(outputs, eventTimeNs: nowNs, correlationId: "", context: context)
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
        view.publish(PositionsView(engine))
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
