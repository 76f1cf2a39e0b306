import TradewindBus
import TradewindCore
import TradewindDaemonKit

@main
enum ExecutionEngineDaemon {
    static func main() async {
        let session = String(WallClock.nowNs() / 1_000_000, radix: 36)
        let context = DaemonStartup.prepare(executable: "tradewind-execution-engine", section: "execution_engine") {
            try ExecutionEngineSettings($0, session: session)
        }
        let store = context.openStore(schema: ExecutionEngineSchema.name, migrations: ExecutionEngineSchema.migrations)
        let recovery = context.restore(from: store, ExecutionEngineRecovery.load)
        context.logger.info("state restored", metadata: [
            "open_orders": "\(recovery.openOrders.count)", "finished_orders": "\(recovery.finishedOrderIds.count)",
            "audit_sequence": "\(recovery.audit.sequence)",
        ])
        let core = ExecutionCore(
            instruments: context.settings.instruments, restoring: recovery.openOrders,
            seenTradeIds: recovery.seenTradeIds, finishedOrderIds: recovery.finishedOrderIds)
        let execution = SimulatedExecutionLoop(core: core, venue: context.settings.venue)
        let view = StateSnapshot(OrderBookView())
        let host = ExecutionEngineHost(execution: execution, recovery: recovery, store: store, view: view)
        var daemon = BusDaemon(
            context: context,
            upstreams: [
                Upstream(section: "risk_manager", service: "risk-manager", topicPrefixes: ["risk.order", "risk.state"]),
                Upstream(section: "market_data", service: "market-data", topicPrefixes: ["md.quote."]),
            ],
            tickInterval: .milliseconds(100),
            store: store,
            handler: host)
        daemon.http.addJSONRoute(path: "/v1/orders") { view.read() }
        await daemon.run()
    }
}
