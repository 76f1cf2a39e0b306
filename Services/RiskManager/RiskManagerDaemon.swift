import TradewindBus
import TradewindCore
import TradewindDaemonKit

@main
enum RiskManagerDaemon {
    static func main() async {
        let startNs = WallClock.nowNs()
        let context = DaemonStartup.prepare(SuiteServices.riskManager) {
            (runtime: try RuntimeSettings($0, startNs: startNs), risk: try RiskManagerSettings($0))
        }
        let store = context.openStore(schema: RiskManagerSchema.name, migrations: RiskManagerSchema.migrations)
        let recovery = context.restore(from: store, RiskManagerRecovery.load)
        // fills the engine persisted after the snapshot may never have reached this daemon (it was
        // down): read them now, count the ones whose keys it does not remember once the bus runs
        let restoredFromNs = (recovery.snapshot?.latestTimeNs ?? 0) - EngineFillSource.marginNs
        let missed = context.restore(from: store) { try EngineFillSource.fills(since: restoredFromNs, $0) }
        let configured = context.settings.risk.engine
        let engine: RiskEngine
        do {
            engine = try RiskEngine.restoring(
                recovery.saved, limits: configured.limits, configuredState: configured.tradingState, timeNs: WallClock.nowNs())
        } catch {
            context.failStartup("restored risk state refused", error)
        }
        context.logger.info("state restored", metadata: [
            "trading_state": "\(engine.tradingState)", "kill_switch": "\(engine.killSwitchEngaged)",
            "positions": "\(engine.positions.count)", "pending_orders": "\(engine.pendingOrders.count)",
            "finished_orders_remembered": "\(recovery.finishedOrderIds.count)", "fills_remembered": "\(recovery.seenFillKeys.count)",
            "from_snapshot": "\(recovery.snapshot != nil)",
        ])
        let token: String?
        do {
            token = try BearerToken.load()
        } catch {
            DaemonStartup.failConfiguration(executable: context.executable, error: error)
        }
        let view = StateSnapshot(RiskView(engine, counters: .init()))
        let host = RiskManagerHost(
            engine: engine, missed: missed, lastFillTimeNs: max(recovery.snapshot?.latestTimeNs ?? 0, missed.map(\.timeNs).max() ?? 0),
            store: store, controlToken: token, view: view, clock: context.settings.runtime.clock,
            lockstep: LockstepDriver(SuiteServices.riskManager, runtime: context.settings.runtime))
        var daemon = BusDaemon(
            context: context,
            service: SuiteServices.riskManager,
            tickInterval: .milliseconds(100),
            store: store,
            handler: host)
        daemon.http.addJSONRoute(path: "/v1/risk") { view.read() }
        host.resync.attach(FillResync(url: store.settings.url, loop: daemon.loop, logger: context.logger) { reports, context in
            host.resyncRead(reports, context: context)
        })
        let loop = daemon.loop
        for (path, engage) in [("/v1/kill", true), ("/v1/resume", false)] {
            daemon.http.addRoute(.post, path: path, requiresToken: true) { request in
                let reason = request.query["reason"] ?? (engage ? "kill switch" : "resumed by operator")
                let issuedBy = request.headers["user-agent"].map { "http (\($0))" } ?? "http"
                let result = await loop.perform { context in
                    host.setKillSwitch(engage, reason: reason, source: "http", issuedBy: issuedBy, context: context)
                }
                guard let result else { return .error("the bus loop is stopping", status: 503) }
                return try .json(result)
            }
        }
        await daemon.run()
    }
}
