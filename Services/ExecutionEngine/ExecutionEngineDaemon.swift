import TradewindBus
import TradewindCore
import TradewindDaemonKit

@main
enum ExecutionEngineDaemon {
    static func main() async {
        let session = String(WallClock.nowNs() / 1_000_000, radix: 36)
        let context = DaemonStartup.prepare(SuiteServices.executionEngine) {
            try ExecutionEngineSettings($0, session: session)
        }
        let settings = context.settings
        let adapter = VenueFactory.adapter(settings, context: context)
        let store = context.openStore(schema: ExecutionEngineSchema.name, migrations: ExecutionEngineSchema.migrations)
        let recovery = context.restore(from: store, ExecutionEngineRecovery.load)
        context.logger.info("state restored", metadata: [
            "open_orders": "\(recovery.openOrders.count)", "finished_orders": "\(recovery.finishedOrderIds.count)",
            "audit_sequence": "\(recovery.audit.sequence)", "venue": "\(adapter.name)",
        ])
        let core = ExecutionCore(
            instruments: settings.instruments, restoring: recovery.openOrders, seenTradeIds: recovery.seenTradeIds,
            finishedOrderIds: recovery.finishedOrderIds, policy: settings.policy)
        let gateway = VenueGateway(adapter: adapter, logger: context.logger)
        let view = StateSnapshot(OrderBookView())
        let reconciliation = ReconciliationTracker(lastSuccessNs: recovery.lastReconciliationNs)
        let host = ExecutionEngineHost(
            core: core, gateway: gateway, settings: settings, audit: recovery.audit, store: store, view: view,
            reconciliation: reconciliation)
        var daemon = BusDaemon(
            context: context,
            service: SuiteServices.executionEngine,
            tickInterval: .milliseconds(50),
            store: store,
            handler: host)
        gateway.attach(daemon.loop)
        daemon.http.addJSONRoute(path: "/v1/orders") { view.read() }
        daemon.http.addJSONRoute(path: "/v1/reconciliation") { reconciliation.view }
        daemon.http.addReadinessCheck("reconciliation") { reconciliation.readiness() }
        let loop = daemon.loop
        daemon.http.addRoute(.post, path: "/v1/cancel-all", requiresToken: true) { request in
            let instrument: InstrumentId?
            if let text = request.query["instrument"] {
                guard let id = InstrumentId(text), settings.instruments[id] != nil else {
                    return .error("unknown instrument \(text)", status: 400)
                }
                instrument = id
            } else {
                instrument = nil
            }
            let reason = request.query["reason"] ?? "cancel-all by operator"
            guard let result = await loop.perform({ context in host.cancelAll(instrument: instrument, reason: reason, context: context) }) else {
                return .error("the bus loop is stopping", status: 503)
            }
            return try .json(result)
        }
        await daemon.run()
    }
}
