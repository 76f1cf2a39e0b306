import TradewindBus
import TradewindCore
import TradewindDaemonKit

@main
enum SignalBridgeDaemon {
    static func main() async {
        let sessionNs = WallClock.nowNs()
        let sessionPrefix = String(sessionNs / 1_000_000, radix: 36)
        let context = DaemonStartup.prepare(SuiteServices.signalBridge) {
            try SignalBridgeSettings($0, sessionPrefix: sessionPrefix)
        }
        let engine: SignalEngine
        do {
            engine = try SignalEngine(strategies: [try EMACrossoverStrategy(configuration: context.settings.strategy)])
        } catch {
            DaemonStartup.failConfiguration(
                executable: context.executable,
                error: .invalidValue(path: "signal_bridge", value: context.settings.strategy.name, reason: "\(error)"))
        }
        let store = context.openStore(schema: SignalBridgeSchema.name, migrations: SignalBridgeSchema.migrations)
        let view = StateSnapshot(SignalView(strategies: engine.strategyNames))
        let host = SignalBridgeHost(engine: engine, sessionNs: sessionNs, store: store, view: view)
        var daemon = BusDaemon(
            context: context,
            service: SuiteServices.signalBridge,
            store: store,
            handler: host)
        daemon.http.addJSONRoute(path: "/v1/signals") { view.read() }
        await daemon.run()
    }
}
