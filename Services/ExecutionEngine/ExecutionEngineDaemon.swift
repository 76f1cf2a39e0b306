import TradewindBus
import TradewindCore
import TradewindDaemonKit

@main
enum ExecutionEngineDaemon {
    static func main() async {
        let startNs = WallClock.nowNs()
        let context = DaemonStartup.prepare(SuiteServices.executionEngine) { configuration in
            let runtime = try RuntimeSettings(configuration, startNs: startNs)
            return (runtime: runtime, engine: try ExecutionEngineSettings(configuration, session: runtime.sessionId))
        }
        let settings = context.settings.engine
        // the simulated venue runs inside the engine, in event time; a real one behind the gateway
        // (built first: a missing credential stops start-up before anything waits for the database)
        let gateway = VenueFactory.gateway(settings, context: context)
        let link = gateway == nil ? VenueFactory.simulatedLink(settings, context: context) : nil
        let store = context.openStore(schema: ExecutionEngineSchema.name, migrations: ExecutionEngineSchema.migrations)
        let recovery = context.restore(from: store, ExecutionEngineRecovery.load)
        let core = ExecutionCore(
            instruments: settings.instruments, restoring: recovery.openOrders, seenTradeIds: recovery.seenTradeIds,
            finishedOrderIds: recovery.finishedOrderIds, policy: settings.policy)
        context.logger.info("state restored", metadata: [
            "open_orders": "\(recovery.openOrders.count)", "finished_orders": "\(recovery.finishedOrderIds.count)",
            "audit_sequence": "\(recovery.audit.sequence)", "venue": "\(gateway?.adapter.name ?? settings.simulated.venueName)",
        ])
        let view = StateSnapshot(OrderBookView())
        let reconciliation = ReconciliationTracker(lastSuccessNs: recovery.lastReconciliationNs)
        let host = ExecutionEngineHost(
            slice: ExecutionSlice(core: core, link: link, netFilled: recovery.netFilled), gateway: gateway, settings: settings,
            audit: recovery.audit, store: store, view: view, reconciliation: reconciliation,
            lastReconciliationNs: recovery.lastReconciliationNs, clock: context.settings.runtime.clock,
            lockstep: LockstepDriver(SuiteServices.executionEngine, runtime: context.settings.runtime))
        var daemon = BusDaemon(
            context: context,
            service: SuiteServices.executionEngine,
            tickInterval: .milliseconds(50),
            store: store,
            handler: host)
        gateway?.attach(daemon.loop)
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
