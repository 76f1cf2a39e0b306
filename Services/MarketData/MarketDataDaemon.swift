import TradewindBus
import TradewindCore
import TradewindData
import TradewindDaemonKit

@main
enum MarketDataDaemon {
    static func main() async {
        let startNs = WallClock.nowNs()
        let context = DaemonStartup.prepare(SuiteServices.marketData) {
            (runtime: try RuntimeSettings($0, startNs: startNs), feed: try MarketDataSettings($0))
        }
        let settings = context.settings.feed
        let source: MarketDataSource
        switch settings.feedKind {
        case .synthetic:
            source = .synthetic(settings.feed, ticksPerSecond: settings.ticksPerSecond)
        case .replay:
            do {
                let reader = try DatasetReader(directory: settings.replay.dataset)
                source = .replay(try reader.events(), speed: settings.replay.speed)
                context.logger.info("replaying a dataset", metadata: [
                    "dataset": "\(settings.replay.dataset)", "events": "\(reader.manifest.counts.events)",
                    "speed": "\(settings.replay.speed)", "lockstep": "\(settings.replay.lockstep)",
                ])
            } catch {
                DaemonStartup.failConfiguration(
                    executable: context.executable,
                    error: .invalidValue(path: "market_data.replay_dataset", value: "\"\(settings.replay.dataset)\"", reason: "\(error)"))
            }
        }
        let store = context.openStore(schema: MarketDataSchema.name, migrations: MarketDataSchema.migrations)
        let view = StateSnapshot(MarketView())
        let lockstep = context.settings.runtime.lockstep
        let host = MarketDataHost(
            slice: MarketDataSlice(bars: settings.bars), source: source, lockstep: lockstep, store: store, view: view)
        // in lockstep, market data hears every downstream daemon's watermarks
        var daemon = BusDaemon(
            context: context, upstreams: lockstep ? SuiteServices.lockstepFeedback : [],
            tickInterval: MarketDataHost.tickInterval(settings), store: store, handler: host)
        daemon.http.addJSONRoute(path: "/v1/market") { view.read() }
        await daemon.run()
    }
}
