import TradewindBus
import TradewindCore
import TradewindDaemonKit

@main
enum SignalBridgeDaemon {
    static func main() async {
        let sessionNs = WallClock.nowNs()
        let context = DaemonStartup.prepare(SuiteServices.signalBridge) { configuration in
            let runtime = try RuntimeSettings(configuration, startNs: sessionNs)
            return (runtime: runtime, bridge: try SignalBridgeSettings(configuration, session: runtime.sessionId))
        }
        let engine: SignalEngine
        do {
            engine = try SignalEngine(strategies: [try EMACrossoverStrategy(configuration: context.settings.bridge.strategy)])
        } catch {
            DaemonStartup.failConfiguration(
                executable: context.executable,
                error: .invalidValue(path: "signal_bridge", value: context.settings.bridge.strategy.name, reason: "\(error)"))
        }
        let store = context.openStore(schema: SignalBridgeSchema.name, migrations: SignalBridgeSchema.migrations)
        let view = StateSnapshot(SignalView(strategies: engine.strategyNames))
        let host = SignalBridgeHost(
            engine: engine, sessionNs: sessionNs, store: store, view: view,
            lockstep: LockstepDriver(SuiteServices.signalBridge, runtime: context.settings.runtime))
        var daemon = BusDaemon(
            context: context,
            service: SuiteServices.signalBridge,
            store: store,
            handler: host)
        daemon.http.addJSONRoute(path: "/v1/signals") { view.read() }
        await daemon.run()
    }
}
