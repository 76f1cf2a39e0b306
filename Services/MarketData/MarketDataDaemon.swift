import TradewindDaemonKit

@main
enum MarketDataDaemon {
    static func main() async {
        let context = DaemonStartup.prepare(SuiteServices.marketData) {
            try MarketDataSettings($0)
        }
        let store = context.openStore(schema: MarketDataSchema.name, migrations: MarketDataSchema.migrations)
        let view = StateSnapshot(MarketView())
        let host = MarketDataHost(settings: context.settings, store: store, view: view)
        var daemon = BusDaemon(
            context: context, service: SuiteServices.marketData,
            tickInterval: MarketDataHost.tickInterval(ticksPerSecond: context.settings.ticksPerSecond),
            store: store, handler: host)
        daemon.http.addJSONRoute(path: "/v1/market") { view.read() }
        await daemon.run()
    }
}
